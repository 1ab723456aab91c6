/** What an element may hold: nodes and text; null, undefined and false stand for nothing. */
export type Child = Node | string | null | undefined | false;

/** An element's attributes, properties and `on<event>` listeners. */
export type Props = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

/** The element with this id, if the page has it. */
export function byId(id: string): HTMLElement | null {
  return document.getElementById(id);
}

/** A slot the page always has (a missing one is a bug in page.ts). */
export function slot(id: string): HTMLElement {
  const el = byId(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el;
}

/** Builds an element; text always goes in as text, never as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, kids?: Child | Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = String(v);
    else if (k === "text") el.textContent = String(v);
    else if (typeof v === "function") el.addEventListener(k.slice(2), v);
    // `checked`, `selected`...: set the live property, not only the initial attribute.
    else if (typeof v !== "string" && k in el) (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, kids);
  return el;
}

/** Appends `kids` to `el`. */
export function append(el: Element, kids?: Child | Child[]): void {
  if (kids === null || kids === undefined) return;
  for (const c of Array.isArray(kids) ? kids : [kids]) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  }
}

/** Replaces what `el` holds by `kids`. */
export function fill(el: Element, kids?: Child | Child[]): void {
  el.textContent = "";
  append(el, kids);
}
