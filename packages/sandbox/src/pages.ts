/** HTML escaping for hosted pages. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

/** A plain hosted page in the sandbox's look. `body` is trusted HTML (escape what you put in it). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1d2433}
h1{font-size:1.3rem}.banner{background:#fff4ce;border:1px solid #e5c94f;padding:.4rem .6rem;font-size:.85rem;border-radius:4px}
.amount{font-size:1.6rem;font-weight:600;margin:.5rem 0}label{display:block;margin:.6rem 0 .2rem}
input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}button{padding:.6rem 1rem;font-size:1rem;margin:.8rem .4rem 0 0;cursor:pointer}
button.primary{background:#1a7f37;color:#fff;border:0;border-radius:4px}button.danger{background:#fff;border:1px solid #b42318;color:#b42318;border-radius:4px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;font-size:.85rem}
.error{color:#b42318}
</style></head><body>
<p class="banner">Sandbox: no real money moves.</p>
<h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}

/** A form that posts to `action` with buttons named `decision`. */
export function decisionForm(action: string, fields: string, buttons: { value: string; label: string; kind?: "primary" | "danger" }[]): string {
  return `<form method="post" action="${escapeHtml(action)}">${fields}${buttons
    .map((b) => `<button type="submit" name="decision" value="${escapeHtml(b.value)}" class="${b.kind ?? ""}">${escapeHtml(b.label)}</button>`)
    .join("")}</form>`;
}
