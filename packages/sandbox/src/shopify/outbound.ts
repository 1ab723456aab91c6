import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

/** What the app answered: its status and body, or status 0 when nothing came back in time. */
export interface AppAnswer {
  status: number;
  body: string;
  error?: string;
}

/** Client certificate for https session URLs (Shopify authenticates session requests with mTLS). */
export interface ClientCertificate {
  cert: string;
  key: string;
  ca?: string;
}

/** POSTs a body to the app, as Shopify's side does, giving up after `timeoutMs`. */
export function postToApp(url: string, body: string, headers: Record<string, string>, timeoutMs: number, tls?: ClientCertificate): Promise<AppAnswer> {
  return new Promise((settle) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      settle({ status: 0, body: "", error: `not a URL: ${url}` });
      return;
    }
    const resolve = (answer: AppAnswer): void => {
      clearTimeout(timer);
      settle(answer);
    };
    const https = target.protocol === "https:";
    const send = https ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        ...(https && tls ? { cert: tls.cert, key: tls.key, ...(tls.ca ? { ca: tls.ca } : {}) } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", (e) => resolve({ status: 0, body: "", error: e.message }));
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on("error", (e) => resolve({ status: 0, body: "", error: e.message }));
    req.end(body);
  });
}
