import "@fastify/cookie";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

/** The config page's cookie: the shop the merchant opened the app for, after the admin link's HMAC was verified. */
export const SESSION_COOKIE = "xpc_shopify";

/** A page session lasts a working hour; the merchant reopens the app from the admin after that. */
const SESSION_SECONDS = 3600;

interface PageSession {
  shop: string;
  expires: number;
  nonce: string;
}

/** Sets the signed, HttpOnly session cookie for `shop` (Secure when the app is served over https). */
export function startSession(reply: FastifyReply, shop: string, secure: boolean): PageSession {
  const session = { shop, expires: Math.floor(Date.now() / 1000) + SESSION_SECONDS, nonce: randomBytes(12).toString("base64url") };
  reply.setCookie(SESSION_COOKIE, `${session.shop}|${session.expires}|${session.nonce}`, {
    signed: true,
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/shopify",
    maxAge: SESSION_SECONDS,
  });
  return session;
}

/** The page session of a request, or null when the cookie is missing, forged or expired. */
export function sessionOf(request: FastifyRequest): PageSession | null {
  const raw = request.cookies[SESSION_COOKIE];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  const [shop, expires, nonce] = unsigned.value.split("|");
  if (!shop || !nonce || !/^\d+$/.test(expires ?? "") || Number(expires) < Date.now() / 1000) return null;
  return { shop, expires: Number(expires), nonce };
}

/** The CSRF token of a page session: forms carry it, and a POST without the session's own token is refused. */
export function csrfToken(secret: string, session: PageSession): string {
  return createHmac("sha256", secret).update(`csrf|${session.shop}|${session.expires}|${session.nonce}`).digest("base64url");
}

export function csrfValid(secret: string, session: PageSession, token: unknown): boolean {
  if (typeof token !== "string") return false;
  const expected = Buffer.from(csrfToken(secret, session));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
