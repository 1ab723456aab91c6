import type { Logger } from "pino";
import { startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import path from "node:path";
import type { RouteModule } from "../app";
import { loadConfig, type ServerConfig } from "../config";
import type { PluginMigration } from "../db/migrations";
import { startService, type Service } from "../service";
import { setupDemo, type DemoSetup } from "./setup";

/** The sandbox's state file in the data directory (its orders, kept between runs like the database's payments). */
export const SANDBOX_STATE_FILE = "sandbox-state.json";

/** What `pnpm start` runs: ports and the service's configuration (the environment's, unless overridden). */
export interface LaunchOptions {
  /** The sandbox's port (default 4010; 0 picks a free one). */
  sandboxPort?: number;
  /** Overrides of the service's configuration (port, dataDir...); the rest comes from the environment. */
  service?: Partial<ServerConfig>;
  log?: Logger;
  /** Storefront plugins mounted in the service's process (their routes and tables), given the sandbox's URL (e.g. the Shopify app pointed at the sandbox's Shopify emulator). */
  plugins?: (sandboxUrl: string) => { routes?: RouteModule[]; migrations?: readonly PluginMigration[] };
}

/** The sandbox, the service and the demo merchant, running. */
export interface Launched {
  sandbox: SandboxHandle;
  service: Service;
  demo: DemoSetup;
  /** Stops the service (finishing callbacks in flight), then the sandbox. */
  stop(): Promise<void>;
}

/** Starts the sandbox and the service, then creates or reuses the demo merchant wired to the sandbox. */
export async function launch(options: LaunchOptions = {}): Promise<Launched> {
  // The sandbox keeps its orders next to the database's payments, so both agree after a restart.
  const { dataDir } = { ...loadConfig(), ...options.service };
  const stateFile = dataDir === ":memory:" ? undefined : path.join(dataDir, SANDBOX_STATE_FILE);
  const sandbox = await startSandbox({ port: options.sandboxPort ?? 4010, retryScale: 1, ...(stateFile ? { stateFile } : {}) });
  let service: Service | undefined;
  try {
    // The demo's store runs on this host: its endpoints are loopback addresses (ALLOW_PRIVATE_ENDPOINTS=false still refuses them).
    const allowPrivateEndpoints = process.env.ALLOW_PRIVATE_ENDPOINTS !== "false";
    const plugins = options.plugins?.(sandbox.url) ?? {};
    service = await startService({ allowPrivateEndpoints, ...options.service }, { ...plugins, ...(options.log ? { log: options.log } : {}) });
    const demo = await setupDemo(service.ctx, { sandboxUrl: sandbox.url });
    const running = service;
    let stopping: Promise<void> | undefined;
    return {
      sandbox,
      service: running,
      demo,
      stop: () =>
        (stopping ??= (async () => {
          await running.stop();
          await sandbox.close();
        })()),
    };
  } catch (error) {
    await service?.stop();
    await sandbox.close();
    throw error;
  }
}

/** One "label  value" row of the banner's table. */
export type BannerRow = [label: string, value: string];

/** The lines `pnpm start` prints: where everything is (with `more` rows from mounted plugins), and the demo merchant's API key. */
export function banner(running: Launched, more: BannerRow[] = []): string {
  const url = running.service.ctx.config.publicUrl;
  const { demo } = running;
  const db = running.service.ctx.config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${running.service.ctx.config.dataDir}`;
  const rows: BannerRow[] = [
    ["Demo store", `${url}/demo`],
    ["Service (API)", `${url}/v1`],
    ["OpenAPI", `${url}/openapi.json`],
    ["Metrics", `${url}/metrics`],
    ["Sandbox", `${running.sandbox.url}/`],
    ...(running.sandbox.stateFile
      ? [["Sandbox state", `${running.sandbox.stateFile.path} (${running.sandbox.stateFile.restored ? "the last run's orders" : "new"})`] as BannerRow]
      : []),
    ["Database", db],
    ...more,
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [
    "",
    "  xpay-connect is running (sandbox gateways: no real money moves)",
    "",
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    "",
    `  Demo merchant ${demo.merchantId} (${demo.created ? "created now" : "from an earlier run"}), wired to all five sandbox gateways.`,
    `  Its API key: ${demo.apiKey}`,
    demo.keyFile ? `  (kept in ${demo.keyFile}, readable only by you; delete the data directory to start over)` : "  (in memory only: this data directory is not on disk)",
    "",
    `  Try it:  curl -H "Authorization: Bearer ${demo.apiKey}" ${url}/v1/payments`,
    "",
    ...(running.sandbox.stateFile?.setAside ? [`  The sandbox's unreadable state file was moved to ${running.sandbox.stateFile.setAside}; it started clean.`, ""] : []),
    "  Ctrl-C stops everything.",
    "",
  ].join("\n");
}
