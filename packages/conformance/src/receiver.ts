import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { EventEmitter } from "node:events";
import {
  createCallbackToken,
  transition,
  isXpayError,
  type CallbackInput,
  type CallbackKind,
  type Money,
  type PaymentStatus,
} from "@xpay-connect/core";
import type { FlowConnector } from "./case";

/** Headers that describe one hop, not the callback: a replay must not copy them. */
const HOP_HEADERS = new Set(["content-length", "host", "connection", "transfer-encoding", "keep-alive"]);

/** A payment as the receiver (a minimal merchant backend) keeps it. */
export interface ReceivedPayment {
  gateway: string;
  merchantRef: string;
  kind: CallbackKind;
  amount: Money;
  token: string;
  status: PaymentStatus;
  /** Applied transitions, in order ("pending->succeeded"). */
  applied: string[];
  /** Callbacks that verified but changed nothing (duplicates, older news). */
  noops: number;
  conflicts: string[];
  /** Verification failures, by reason. */
  rejected: string[];
  /** Every callback body that reached this payment, with its headers. */
  inputs: CallbackInput[];
}

/**
 * A minimal merchant backend for the suite: real HTTP on loopback, one callback URL per payment
 * (`/cb/<ref>/<token>`) or one fixed URL (`/cb/fixed/<gateway>`), verification through the
 * connector, the monotone status machine, and the gateway's expected reply.
 */
export class Receiver {
  readonly payments = new Map<string, ReceivedPayment>();
  private readonly connectors = new Map<string, FlowConnector>();
  private readonly changes = new EventEmitter();
  private server?: Server;
  base = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        void this.handle(req.url ?? "/", Buffer.concat(chunks).toString("utf8"), req.headers).then(({ status, contentType, body }) => {
          res.writeHead(status, { "content-type": contentType });
          res.end(body);
        });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Registers a payment about to be created; answers its callback URL and token. */
  expect(connector: FlowConnector, merchantRef: string, kind: CallbackKind, amount: Money): { url: string; token: string } {
    this.connectors.set(connector.id, connector);
    const token = createCallbackToken();
    this.payments.set(merchantRef, {
      gateway: connector.id, merchantRef, kind, amount, token, status: "pending", applied: [], noops: 0, conflicts: [], rejected: [], inputs: [],
    });
    return { url: `${this.base}/cb/${encodeURIComponent(merchantRef)}/${token}`, token };
  }

  /** The fixed URL of a gateway whose callback URL is set in its dashboard. */
  fixedUrl(gateway: string): string {
    return `${this.base}/cb/fixed/${gateway}`;
  }

  /** Posts a callback to this receiver as a gateway would (for forged and replayed callbacks). */
  async post(path: string, input: CallbackInput): Promise<{ status: number; body: string }> {
    const headers = Object.fromEntries(
      Object.entries(input.headers ?? {}).filter(([k, v]) => typeof v === "string" && !HOP_HEADERS.has(k.toLowerCase())),
    ) as Record<string, string>;
    const res = await fetch(this.base + path, { method: "POST", body: input.rawBody, headers });
    return { status: res.status, body: await res.text() };
  }

  /** Resolves once `predicate` holds for the payment; rejects after `ms` (a bound, not a sleep). */
  waitFor(merchantRef: string, predicate: (p: ReceivedPayment) => boolean, ms = 5000): Promise<ReceivedPayment> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const p = this.payments.get(merchantRef);
        if (p && predicate(p)) {
          clearTimeout(timer);
          this.changes.off("change", check);
          resolve(p);
        }
      };
      const timer = setTimeout(() => {
        this.changes.off("change", check);
        reject(new Error(`payment ${merchantRef} did not reach the expected state in ${ms} ms: ${JSON.stringify(this.payments.get(merchantRef))}`));
      }, ms);
      this.changes.on("change", check);
      check();
    });
  }

  private async handle(url: string, rawBody: string, headers: Record<string, string | string[] | undefined>) {
    const parts = url.split("?")[0]?.split("/").filter(Boolean).map(decodeURIComponent) ?? [];
    const input: CallbackInput = { rawBody, headers };
    let payment: ReceivedPayment | undefined;
    let receivedToken: string | undefined;
    let connector: FlowConnector | undefined;
    if (parts[1] === "fixed") {
      connector = this.connectors.get(parts[2] ?? "");
      try {
        payment = connector ? this.payments.get(connector.parseCallback(input).merchantRef) : undefined;
      } catch {
        payment = undefined;
      }
    } else {
      payment = this.payments.get(parts[1] ?? "");
      receivedToken = parts[2];
      connector = payment && this.connectors.get(payment.gateway);
    }
    if (!payment || !connector) return { status: 404, contentType: "text/plain", body: "unknown payment" };
    payment.inputs.push(input);
    try {
      const event = await connector.verifyCallback(input, {
        kind: payment.kind,
        merchantRef: payment.merchantRef,
        amount: payment.amount,
        token: { expected: payment.token, received: receivedToken },
      });
      const step = transition(payment.status, event.status);
      if (step.kind === "apply") {
        payment.applied.push(`${step.from}->${step.to}`);
        payment.status = step.to;
      } else if (step.kind === "conflict") {
        payment.conflicts.push(`${step.from}->${step.to}`);
      } else {
        payment.noops++;
      }
      return connector.callbackReply(true);
    } catch (error) {
      payment.rejected.push(isXpayError(error) && "reason" in error ? String(error.reason) : isXpayError(error) ? error.code : String(error));
      return connector.callbackReply(false);
    } finally {
      this.changes.emit("change");
    }
  }
}
