import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from "node:fs";
import path from "node:path";
import type { ServiceContext } from "../context";
import { pointSandboxAt, sandboxAccounts } from "./sandbox-merchant";

/** The name the demo merchant is created with (and found by, when its key file is gone). */
export const DEMO_MERCHANT_NAME = "Demo store";

/** What the demo routes need to act as the demo merchant. Kept in server memory: never sent to a browser. */
export interface DemoState {
  merchantId: string;
  /** The demo merchant's API key: the demo calls the service's own /v1 API with it. */
  apiKey: string;
  /** The sandbox's base URL, for the clearly labelled sandbox actions (settling a payout). */
  sandboxUrl?: string;
}

/** How setupDemo went: the state, and whether the merchant was created now or reused from an earlier run. */
export interface DemoSetup extends DemoState {
  created: boolean;
  /** Where the key is kept between runs (undefined for an in-memory data directory). */
  keyFile?: string;
}

const states = new WeakMap<ServiceContext, DemoState>();

/** Makes the demo routes of this service act as `state`'s merchant. */
export function attachDemo(ctx: ServiceContext, state: DemoState): void {
  states.set(ctx, { ...state });
}

/** The demo state of a service, once attached. */
export function demoStateOf(ctx: ServiceContext): DemoState | undefined {
  return states.get(ctx);
}

interface KeyFile {
  merchantId: string;
  apiKey: string;
}

/**
 * Creates the demo merchant on first run, or reuses it: its id and API key are kept in
 * `<dataDir>/demo-merchant.json` (mode 0600, next to the master key that already lives there), so the
 * printed key stays the same across runs and no unused keys pile up. Then wires all five gateway
 * accounts to the sandbox at `sandboxUrl` (rewritten each run: the sandbox port may change), points the
 * sandbox's dashboard settings (callbacks, XPay EG's redirect to the demo's return page) at this
 * service, and attaches the demo routes.
 */
export async function setupDemo(ctx: ServiceContext, options: { sandboxUrl: string }): Promise<DemoSetup> {
  const keyFile = ctx.config.dataDir === ":memory:" ? undefined : path.join(ctx.config.dataDir, "demo-merchant.json");
  let saved = keyFile ? readKeyFile(keyFile) : undefined;
  // A key file from another database (deleted data, a new DATABASE_URL) does not count.
  if (saved && (await ctx.merchants.authenticate(saved.apiKey)) !== saved.merchantId) saved = undefined;
  let created = false;
  if (!saved) {
    const existing = (await ctx.merchants.list()).find((m) => m.name === DEMO_MERCHANT_NAME);
    if (existing) {
      // Its key was lost with the key file: nobody can use the old ones, so replace them.
      saved = { merchantId: existing.id, apiKey: await ctx.merchants.rotateKey(existing.id, { mode: "test" }) };
    } else {
      const { merchant, apiKey } = await ctx.merchants.create(DEMO_MERCHANT_NAME, "test");
      saved = { merchantId: merchant.id, apiKey };
      created = true;
    }
    if (keyFile) writeKeyFile(keyFile, saved);
  }
  for (const [gateway, config] of Object.entries(sandboxAccounts(options.sandboxUrl))) {
    await ctx.merchants.setGatewayAccount(saved.merchantId, gateway, config);
  }
  await pointSandboxAt(options.sandboxUrl, ctx.config.publicUrl);
  await sandboxSettings(options.sandboxUrl, "xpay-eg", { redirectUrl: `${ctx.config.publicUrl}/demo/return` });
  attachDemo(ctx, { ...saved, sandboxUrl: options.sandboxUrl });
  return { ...saved, sandboxUrl: options.sandboxUrl, created, ...(keyFile ? { keyFile } : {}) };
}

async function sandboxSettings(sandboxUrl: string, gateway: string, settings: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${sandboxUrl}/_sandbox/${gateway}/settings`, { method: "POST", body: JSON.stringify(settings), headers: { "content-type": "application/json" } });
  if (!res.ok) throw new Error(`sandbox ${gateway} settings: HTTP ${res.status} ${await res.text()}`);
}

function readKeyFile(file: string): KeyFile | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as Partial<KeyFile>;
    return typeof data.merchantId === "string" && typeof data.apiKey === "string" ? { merchantId: data.merchantId, apiKey: data.apiKey } : undefined;
  } catch {
    // An unreadable file is replaced by a fresh merchant key.
    return undefined;
  }
}

function writeKeyFile(file: string, data: KeyFile): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(data, null, 2) + "\n", { mode: 0o600 });
  // writeFileSync's mode only applies to a new file.
  chmodSync(file, 0o600);
}
