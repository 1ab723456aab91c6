import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";
import { safeEqual } from "@xpay-connect/core";

/**
 * The service's secrets: one 32-byte master key from the environment (XPAY_CONNECT_KEY, base64 or hex).
 * It encrypts gateway credentials and endpoint secrets at rest (AES-256-GCM) and derives the
 * per-payment callback tokens (HMAC), so a callback URL can be checked without a database read.
 */
export class Secrets {
  private readonly encKey: Buffer;
  private readonly tokenKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error("XPAY_CONNECT_KEY: expected 32 bytes (base64 or hex)");
    this.encKey = createHmac("sha256", masterKey).update("encryption").digest();
    this.tokenKey = createHmac("sha256", masterKey).update("callback-token").digest();
  }

  /** Reads the master key: 64 hex characters or base64 of 32 bytes. */
  static fromText(text: string): Secrets {
    const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
    return new Secrets(key);
  }

  /** "v1.<iv>.<tag>.<ciphertext>", all base64url. */
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.encKey, iv);
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return ["v1", iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
  }

  decrypt(sealed: string): string {
    const [v, iv, tag, data] = sealed.split(".");
    if (v !== "v1" || !iv || !tag || data === undefined) throw new Error("unreadable ciphertext");
    const decipher = createDecipheriv("aes-256-gcm", this.encKey, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  }

  /** The unguessable token of a payment's callback URL. */
  callbackToken(paymentId: string): string {
    return createHmac("sha256", this.tokenKey).update(paymentId).digest("base64url");
  }

  /** Constant-time check of a callback URL token. */
  checkCallbackToken(paymentId: string, token: string | undefined): boolean {
    return typeof token === "string" && safeEqual(this.callbackToken(paymentId), token);
  }
}

/** API keys are 32 random bytes: a plain SHA-256 is enough to store them (no password stretching needed). */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** A new API key: "xc_live_" or "xc_test_" and 32 random bytes. */
export function newApiKey(mode: "live" | "test" = "live"): string {
  return `xc_${mode}_${randomBytes(32).toString("base64url")}`;
}

/** A prefixed random id ("pay_3kTq..."). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
}

/** A stable id derived from its parts (outbox events: one per payment and transition). */
export function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}_${createHash("sha256").update(parts.join("\u0000")).digest("base64url").slice(0, 22).replace(/[-_]/g, "x")}`;
}
