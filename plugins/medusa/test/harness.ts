/**
 * The providers' unit-test rig: the real sandbox on a free loopback port and a recorder playing
 * Medusa's /hooks/payment route, which keeps every callback the sandbox posts (raw body, headers) so a
 * test can hand it to getWebhookActionAndData. XPay PK and XPay EG post to their dashboard URL: it is
 * pointed at the recorder.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";

export type Received = { url: string; rawBody: Buffer; headers: Record<string, string | string[] | undefined> };

export interface Harness {
  sandbox: SandboxHandle;
  /** http://127.0.0.1:<port>/hooks/payment: append "/<provider>_default". */
  hookUrl: string;
  hooks: Received[];
  /** POST to the sandbox's control API; answers its JSON (a 3xx-5xx throws with the answer). */
  control(path: string, body?: Record<string, unknown>): Promise<any>;
  close(): Promise<void>;
}

export async function startHarness(seed: number): Promise<Harness> {
  const sandbox = await startSandbox({ port: 0, seed, retryScale: 0.001 });
  const hooks: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      hooks.push({ url: req.url ?? "", rawBody: Buffer.concat(chunks), headers: req.headers });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("SUCCESS");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/payment`;
  const control = async (path: string, body: Record<string, unknown> = {}) => {
    const res = await fetch(`${sandbox.url}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  await control("xpay-pk/settings", { webhookUrl: `${hookUrl}/xpay-pk_default` });
  await control("xpay-eg/settings", { callbackUrl: `${hookUrl}/xpay-eg_default` });
  return {
    sandbox,
    hookUrl,
    hooks,
    control,
    close: async () => {
      await sandbox.callbacks.idle();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await sandbox.close();
    },
  };
}
