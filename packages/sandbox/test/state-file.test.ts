/**
 * The sandbox's state file: a sandbox started again on the same file has every emulator's state back
 * (orders, balances, settings, tokens) and goes on with new references; a file it cannot read is set
 * aside and the sandbox starts clean.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createConnector, type PayInConnector, type PayoutConnector } from "@xpay-connect/core";
import { CASES } from "@xpay-connect/conformance";
import { SANDBOX_GATEWAYS, startSandbox, type SandboxHandle } from "../src";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "xc-sandbox-state-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** One new order at every gateway, created by core's connector from the sandbox's test merchant; their gateway references. */
async function orderEverywhere(sandbox: SandboxHandle, tag: string): Promise<string[]> {
  const refs: string[] = [];
  for (const c of CASES) {
    const connector = createConnector(c.gateway, SANDBOX_GATEWAYS[c.gateway].testAccount(`${sandbox.url}/${c.gateway}`) as never) as unknown as PayInConnector & PayoutConnector;
    const request = c.request(`STATE-${tag}-${c.gateway.replace(/-/g, "")}`, { url: "http://127.0.0.1:9/cb/tok", token: "tok" }) as never;
    const created = c.flow === "pay_in" ? await connector.createPayIn(request) : await connector.createPayout(request);
    refs.push(String(created.gatewayRef));
  }
  return refs;
}

/** Every emulator's snapshot, as the state file stores it (JSON). */
const snapshots = (sandbox: SandboxHandle) => JSON.parse(JSON.stringify(Object.fromEntries([...sandbox.emulators].map(([id, e]) => [id, e.snapshot()])))) as unknown;

describe("the sandbox's state file", () => {
  it("a sandbox started again has every emulator's state back, and hands out new references", async () => {
    const file = path.join(dir, "sandbox-state.json");
    const first = await startSandbox({ port: 0, retryScale: 0.001, stateFile: file, seed: 7 });
    let before: unknown;
    let oldRefs: string[];
    try {
      expect(first.stateFile).toEqual({ path: file, restored: false });
      oldRefs = await orderEverywhere(first, "A");
      // An xPay KG QR opened by the shopper (ACTIVE -> WAITING): a hosted page's change is kept too.
      const kg = (await (await fetch(`${first.url}/_sandbox/orders?gateway=xpay-kg`)).json()) as { "xpay-kg": { gatewayRef: string }[] };
      await fetch(`${first.url}/xpay-kg/pay/${kg["xpay-kg"][0]?.gatewayRef}`);
      before = snapshots(first);
    } finally {
      await first.close();
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Written atomically: no temporary file is left behind.
    expect(readdirSync(dir)).toEqual(["sandbox-state.json"]);

    const second = await startSandbox({ port: 0, retryScale: 0.001, stateFile: file, seed: 7 });
    try {
      expect(second.stateFile).toEqual({ path: file, restored: true });
      expect(snapshots(second)).toEqual(before);
      expect(JSON.stringify(before)).toContain('"payStatus":"WAITING"');
      const newRefs = await orderEverywhere(second, "B");
      expect(newRefs.filter((ref) => oldRefs.includes(ref))).toEqual([]);
      // The old orders still answer the gateways' lookups through the control API.
      const easypaisa = oldRefs[CASES.findIndex((c) => c.gateway === "xpress-pay")];
      expect((await fetch(`${second.url}/_sandbox/xpress-pay/orders/${easypaisa}/approve`, { method: "POST", body: "{}" })).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it("a file that is not a state (or of another version) is set aside and the sandbox starts clean", async () => {
    for (const text of ["{ not json", JSON.stringify({ version: 99, seed: 1, rng: 1, gateways: {} }), JSON.stringify({ version: 1, seed: 1, rng: 1, gateways: { "xpress-pay": { payIns: 5 } } })]) {
      const file = path.join(dir, `state-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, text);
      const sandbox = await startSandbox({ port: 0, retryScale: 0.001, stateFile: file });
      try {
        expect(sandbox.stateFile?.restored).toBe(false);
        expect(readFileSync(String(sandbox.stateFile?.setAside), "utf8")).toBe(text);
        expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ version: 1 });
        expect(Object.values((await (await fetch(`${sandbox.url}/_sandbox/orders`)).json()) as Record<string, unknown[]>).flat()).toEqual([]);
      } finally {
        await sandbox.close();
      }
    }
  });
});
