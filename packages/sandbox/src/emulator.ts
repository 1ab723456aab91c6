import type { CallbackSender } from "./callbacks";
import type { Router, SandboxResponse } from "./http";
import type { Rng } from "./rng";

/** What the hosted page's buttons (and the control API) can do to an order. */
export type OrderAction = "approve" | "decline" | "cancel" | "expire";

/** Shared services an emulator gets from the sandbox. */
export interface EmulatorContext {
  /** The seeded generator (re-created on reset). */
  rng(): Rng;
  callbacks: CallbackSender;
  /** The sandbox's own origin, for hosted-page links ("http://127.0.0.1:4010"). */
  origin(): string;
}

/** One gateway's emulator: its routes at the spec's paths, its test merchant, its orders. */
export interface Emulator {
  readonly id: string;
  /** The documented test merchant's credentials (public: they only work against the sandbox). */
  readonly credentials: Record<string, string | number>;
  /** Registers the gateway's routes (paths relative to `/<id>`), hosted pages included. */
  register(router: Router): void;
  /** Does what a shopper (or the gateway) does to an order; `ref` is the merchant's or the gateway's reference. */
  act(ref: string, action: OrderAction, options: Record<string, unknown>): SandboxResponse | Promise<SandboxResponse>;
  /** Gateway-specific control actions beyond approve/decline/cancel (e.g. "recall"). */
  control?(ref: string, action: string, options: Record<string, unknown>): SandboxResponse | Promise<SandboxResponse | undefined> | undefined;
  /** Changes the test merchant's dashboard settings (XPay EG's callback and redirect URLs). */
  configure?(settings: Record<string, unknown>): SandboxResponse;
  /** The orders, for `GET /_sandbox/orders`. */
  orders(): unknown[];
  /** Forgets every order. */
  reset(): void;
}
