/** The config page's HTML: server-rendered forms, no script; every value escaped; secrets never printed. */

export const escapeHtml = (value: unknown): string =>
  String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

/** One gateway's config schema as GET /v1/gateways/schema answers it. */
export interface GatewaySchemaRow {
  gateway: string;
  title: string;
  country: string;
  schema: { properties?: Record<string, { type?: string; title?: string; description?: string; secret?: boolean; enum?: unknown[]; default?: unknown; format?: string }>; required?: string[] };
}

/** One gateway account as GET /v1/gateways answers it. */
export interface GatewayAccountRow {
  gateway: string;
  title: string;
  config: Record<string, unknown>;
  secrets_set: string[];
  capabilities: { pay_in: boolean; pay_in_methods: string[]; currencies: string[] };
  updated_at: string;
}

export interface PageModel {
  shop: string;
  csrf: string;
  linked: { merchantId: string; externalHandle: string | null } | null;
  ready: boolean;
  notice?: { kind: "ok" | "error"; text: string };
  schemas: GatewaySchemaRow[];
  accounts: GatewayAccountRow[];
}

const field = (gateway: string, key: string, property: NonNullable<GatewaySchemaRow["schema"]["properties"]>[string], account: GatewayAccountRow | undefined, required: boolean): string => {
  const id = `gw-${gateway}-${key}`;
  const name = `gw.${key}`;
  const label = `${escapeHtml(property.title ?? key)}${required ? " *" : ""}`;
  let input: string;
  if (property.secret) {
    const set = account?.secrets_set.includes(key);
    input = `<input type="password" id="${id}" name="${name}" value="" autocomplete="new-password" placeholder="${set ? "Saved: enter it again to save changes" : ""}">`;
  } else if (Array.isArray(property.enum)) {
    const current = String(account?.config[key] ?? property.default ?? "");
    input = `<select id="${id}" name="${name}">${property.enum.map((o) => `<option value="${escapeHtml(o)}"${String(o) === current ? " selected" : ""}>${escapeHtml(o)}</option>`).join("")}</select>`;
  } else {
    const type = property.type === "integer" || property.type === "number" ? "number" : property.format === "uri" ? "url" : "text";
    const value = account?.config[key];
    input = `<input type="${type}" id="${id}" name="${name}" value="${escapeHtml(value !== undefined && value !== null && typeof value !== "object" ? value : "")}">`;
  }
  return `<p><label for="${id}">${label}</label><br>${input}${property.description ? `<br><small>${escapeHtml(property.description)}</small>` : ""}</p>`;
};

/** The whole page for one shop. */
export function renderPage(model: PageModel): string {
  const hidden = `<input type="hidden" name="csrf" value="${escapeHtml(model.csrf)}">`;
  const notice = model.notice ? `<p id="notice" class="${model.notice.kind}">${escapeHtml(model.notice.text)}</p>` : "";
  const status = `<p id="status">Shop <code>${escapeHtml(model.shop)}</code> · ${
    model.linked ? `linked to merchant <code>${escapeHtml(model.linked.merchantId)}</code>` : "not linked"
  } · payments ${model.ready ? "<strong>ready</strong>" : "not ready"}</p>`;
  const body = !model.linked
    ? `<h2>Link your xpay-connect merchant</h2>
<form method="post" action="/shopify/app/link" id="link">${hidden}
<p><label for="apiKey">xpay-connect API key</label><br><input type="password" id="apiKey" name="apiKey" autocomplete="off" required></p>
<p><button type="submit">Link</button></p></form>`
    : `<form method="post" action="/shopify/app/unlink" id="unlink">${hidden}<button type="submit">Unlink (payments stop being offered)</button></form>
<h2>Gateway accounts</h2>
<table><thead><tr><th>Gateway</th><th>Methods</th><th>Currencies</th><th>Updated</th></tr></thead><tbody>${
        model.accounts.map((a) => `<tr data-gateway="${escapeHtml(a.gateway)}"><td>${escapeHtml(a.title)} <code>${escapeHtml(a.gateway)}</code></td><td>${escapeHtml(a.capabilities.pay_in_methods.join(", "))}</td><td>${escapeHtml(a.capabilities.currencies.join(", "))}</td><td>${escapeHtml(a.updated_at)}</td></tr>`).join("") ||
        `<tr><td colspan="4">No gateway account yet: add one below.</td></tr>`
      }</tbody></table>
${model.schemas
  .map((row) => {
    const account = model.accounts.find((a) => a.gateway === row.gateway);
    const required = row.schema.required ?? [];
    const fields = Object.entries(row.schema.properties ?? {}).map(([key, p]) => field(row.gateway, key, p, account, required.includes(key))).join("\n");
    return `<h3 id="gw-${escapeHtml(row.gateway)}">${escapeHtml(row.title)} <code>${escapeHtml(row.gateway)}</code></h3>
<form method="post" action="/shopify/app/gateways/${encodeURIComponent(row.gateway)}" data-gateway="${escapeHtml(row.gateway)}">${hidden}
${fields}
<p><button type="submit">Save ${escapeHtml(row.title)}</button></p></form>`;
  })
  .join("\n")}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>xpay-connect payments · ${escapeHtml(model.shop)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}.error{color:#b00020}.ok{color:#0a7a2f}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left}</style>
</head><body><h1>xpay-connect payments</h1>${status}${notice}${body}</body></html>`;
}
