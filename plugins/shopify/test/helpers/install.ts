import { CookieJar, visit, type ShopifyStack } from "./stack";

/** The hidden inputs of the first form on a page (name -> value). */
export function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1] as string] = (m[2] as string).replace(/&amp;/g, "&").replace(/&quot;/g, '"');
  return fields;
}

/** The config page's CSRF token. */
export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no CSRF token on the page: ${html.slice(0, 300)}`);
  return m[1] as string;
}

const location = (response: Response, what: string): string => {
  const to = response.headers.get("location");
  if (response.status !== 302 || !to) throw new Error(`${what}: expected a 302, got ${response.status}`);
  return to;
};

/**
 * Installs the app on `shop` the way a merchant does, through the emulator: /shopify/auth -> the shop's authorize
 * page -> Install -> the app's callback (token exchange) -> the admin's app link -> the config page. Answers the
 * merchant's cookie jar (holding the config page's session) and the page's HTML.
 */
export async function installShop(stack: ShopifyStack, shop: string): Promise<{ jar: CookieJar; page: string }> {
  const jar = new CookieJar();
  const authorizeUrl = location(await visit(jar, `${stack.appUrl}/shopify/auth?shop=${encodeURIComponent(shop)}`), "GET /shopify/auth");
  const authorizePage = await fetch(authorizeUrl);
  if (authorizePage.status !== 200) throw new Error(`authorize page: ${authorizePage.status} ${await authorizePage.text()}`);
  const grant = await fetch(`${stack.origin(shop)}/admin/oauth/authorize`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(formFields(await authorizePage.text())).toString(),
  });
  const callback = location(grant, "POST authorize");
  const adminApp = location(await visit(jar, callback), "GET /shopify/auth/callback");
  const opened = await openFromAdmin(stack, jar, shop, adminApp);
  return { jar, page: opened };
}

/** Opens the app from the shop's admin (the emulator signs the link) and answers the config page. */
export async function openFromAdmin(stack: ShopifyStack, jar: CookieJar, shop: string, adminUrl = `${stack.origin(shop)}/admin/apps/${stack.clientId}`): Promise<string> {
  const appLink = location(await fetch(adminUrl, { redirect: "manual" }), "GET /admin/apps/<client_id>");
  const page = await visit(jar, appLink);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`config page: ${page.status} ${html.slice(0, 300)}`);
  return html;
}

/** Submits a config page form (`/shopify/app/...`) with the page's CSRF token. */
export async function submit(stack: ShopifyStack, jar: CookieJar, page: string, action: string, fields: Record<string, string> = {}): Promise<{ status: number; html: string }> {
  const res = await visit(jar, `${stack.appUrl}/shopify/app/${action}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrf: csrfOf(page), ...fields }).toString(),
  });
  return { status: res.status, html: await res.text() };
}

/** Installs the app on `shop` and links the stack's merchant on the config page: the shop is ready to take payments. */
export async function installAndLink(stack: ShopifyStack, shop: string): Promise<{ jar: CookieJar; page: string }> {
  const { jar, page } = await installShop(stack, shop);
  const linked = await submit(stack, jar, page, "link", { apiKey: stack.apiKey });
  if (linked.status !== 200) throw new Error(`link: ${linked.status} ${linked.html.slice(0, 500)}`);
  return { jar, page: linked.html };
}
