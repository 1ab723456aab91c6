import { h } from "./dom.js";

/** A radio card: a title, an optional line under it. */
export function choice(name: string, value: string, title: string, sub: string | null, checked: boolean, onpick: () => void): HTMLLabelElement {
  return h("label", { class: "choice" }, [
    h("input", { type: "radio", name, value, checked, onchange: onpick }),
    h("span", {}, [h("strong", { text: title }), sub ? h("small", { text: sub }) : null]),
  ]);
}

/** A labelled text field that reports each edit. */
export function input(id: string, label: string, type: string, value: string | undefined, placeholder: string | undefined, onchange: (value: string) => void): HTMLDivElement {
  return h("div", {}, [
    h("label", { class: "field", for: id, text: label }),
    h("input", { id, name: id, type, value: value ?? "", placeholder: placeholder ?? "", oninput: (e) => onchange((e.target as HTMLInputElement).value) }),
  ]);
}

/** An error line. */
export function errorLine(message: string): HTMLParagraphElement {
  return h("p", { class: "error", text: message });
}
