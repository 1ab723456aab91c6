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
  /** The documented test merchant as core connector config (public: it only works against the sandbox); see EmulatorDefinition. */
  testAccount(gatewayUrl: string): Record<string, unknown>;
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
  /** Everything the emulator keeps (orders, balances, settings, tokens), as JSON-ready data for the state file. */
  snapshot(): unknown;
  /** Takes back what `snapshot` gave (from the state file of an earlier run), replacing the current state. */
  restore(snapshot: unknown): void;
}

/** What a gateway folder's `routes.ts` builds: the emulator without the id and test merchant its definition carries. */
export type EmulatorRoutes = Omit<Emulator, "id" | "testAccount">;

/**
 * One gateway folder's emulator, as `gateways/index.ts` lists it: the gateway's id, the spec it is
 * faithful to, its documented test merchant (as core connector config), and
 * how to build a fresh emulator.
 */
export interface EmulatorDefinition {
  readonly id: string;
  /** The spec file (shared/specs) the emulator answers like; the sandbox lists gateways in this order. */
  readonly spec: string;
  /**
   * The core connector config of the test merchant, for the gateway served at `gatewayUrl` (`${sandbox.url}/<id>`):
   * the field names `xpay-connect gateway add` and core's config schema take. `GET /_sandbox/credentials` lists it.
   */
  testAccount(gatewayUrl: string): Record<string, unknown>;
  /** Gateways whose callback URL is a dashboard setting: the `POST /_sandbox/<id>/settings` body sending callbacks to `callbackUrl`. */
  dashboardSettings?(callbackUrl: string): Record<string, unknown>;
  /** A fresh emulator (its own orders and settings) on the sandbox's shared services. */
  create(ctx: EmulatorContext): EmulatorRoutes;
}

/** Declares a gateway folder's emulator, keeping its exact type (literal id, test account fields, dashboard settings or none) for the packages that read it. */
export function defineEmulator<const D extends EmulatorDefinition>(definition: D): D {
  return definition;
}
