import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a storefront receiver got, and what it answered. */
export interface Receipt {
  eventId: string;
  signature: string;
  body: string;
  headers: IncomingHttpHeaders;
  answered: number;
  /** Where the answer goes (kept while held). */
  response?: ServerResponse;
}

/**
 * A tiny storefront receiver on loopback: records every delivery and answers as `mode` says
 * (200, 500, or holding the answer until the mode changes). It can stop listening and listen again
 * on the same port, as a storefront that goes down and comes back does.
 */
export class Receiver {
  /** How the receiver answers the next request. */
  mode: "ok" | "fail" | "hang" = "ok";
  readonly receipts: Receipt[] = [];
  private server: Server | undefined;
  private held: ServerResponse[] = [];
  private portNumber = 0;

  /** Listens (on the previous port when it listened before). */
  async listen(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const receipt: Receipt = {
          eventId: String(req.headers["x-xpay-connect-event-id"] ?? ""),
          signature: String(req.headers["x-xpay-connect-signature"] ?? ""),
          body: Buffer.concat(chunks).toString("utf8"),
          headers: req.headers,
          answered: 0,
        };
        this.receipts.push(receipt);
        if (this.mode === "hang") {
          receipt.response = res;
          this.held.push(res);
          return;
        }
        receipt.answered = this.mode === "ok" ? 200 : 500;
        res.writeHead(receipt.answered, { "content-type": "text/plain" }).end(this.mode === "ok" ? "ok" : "storefront exploded");
      });
    });
    server.keepAliveTimeout = 500;
    server.listen(this.portNumber, "127.0.0.1");
    await once(server, "listening");
    this.portNumber = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** The URL to register as an endpoint. */
  get url(): string {
    return `http://127.0.0.1:${this.portNumber}/xpay-connect/events`;
  }

  /** Changes how the receiver answers; held requests are then dropped (their sender has given up). */
  setMode(mode: Receiver["mode"]): void {
    this.mode = mode;
    for (const res of this.held.splice(0)) res.destroy();
  }

  /** Answers the held requests now with `status` (the sender may still be waiting for them, or may have given up). */
  answerHeld(status: number): void {
    for (const res of this.held.splice(0)) {
      const receipt = this.receipts.find((r) => r.response === res);
      if (receipt) receipt.answered = status;
      res.writeHead(status, { "content-type": "text/plain" }).end("late answer");
    }
  }

  /** Stops listening and drops every open connection. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const res of this.held.splice(0)) res.destroy();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** The requests answered 2xx, per event id. */
  accepted(): Map<string, Receipt[]> {
    const out = new Map<string, Receipt[]>();
    for (const r of this.receipts.filter((x) => x.answered >= 200 && x.answered < 300)) out.set(r.eventId, [...(out.get(r.eventId) ?? []), r]);
    return out;
  }
}
