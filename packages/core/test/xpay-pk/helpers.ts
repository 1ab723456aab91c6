import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { XpayPkConnector, type Logger } from "../../src";
import { XPAY_PK_ACCOUNT_ID, XPAY_PK_API_KEY, XPAY_PK_HMAC_SECRET, XPAY_PK_WEBHOOK_SECRET } from "@xpay-connect/sandbox";

/** The sandbox test merchant. */
export const MERCHANT = { apiKey: XPAY_PK_API_KEY, accountId: XPAY_PK_ACCOUNT_ID, hmacSecret: XPAY_PK_HMAC_SECRET, webhookSecret: XPAY_PK_WEBHOOK_SECRET };

/** A connector for the test merchant at `baseUrl`. */
export function connectorFor(baseUrl: string, extra: { logger?: Logger; timeoutMs?: number; hmacSecret?: string } = {}): XpayPkConnector {
  return new XpayPkConnector({ baseUrl, ...MERCHANT, ...extra });
}

/** One request as a stub saw it. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback server that answers canned gateway responses (the spec's fixtures) and records what it was sent. */
export class Stub {
  readonly seen: Seen[] = [];
  url = "";
  private server?: Server;
  /** The next answers, in order; the last one repeats. */
  answers: { status: number; body: unknown }[] = [];

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        const answer = this.answers.length > 1 ? this.answers.shift() : this.answers[0];
        const text = typeof answer?.body === "string" ? answer.body : JSON.stringify(answer?.body ?? {});
        res.writeHead(answer?.status ?? 200, { "content-type": typeof answer?.body === "string" ? "text/plain" : "application/json" });
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
    return this;
  }

  answer(...answers: { status: number; body: unknown }[]): void {
    this.answers = answers;
    this.seen.length = 0;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
