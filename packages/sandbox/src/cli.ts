#!/usr/bin/env node
import { startSandbox } from "./sandbox";

/** `xpay-sandbox [--port N] [--seed N] [--retry-scale X] [--state FILE]` */
function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function numberOption(name: string, fallback: number): number {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`--${name}: expected a non-negative number, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return n;
}

// A parent that stopped reading our banner must not take the sandbox down with EPIPE.
process.stdout.on("error", () => undefined);

startSandbox({
  port: numberOption("port", Number(process.env.PORT ?? 4010)),
  host: option("host") ?? "127.0.0.1",
  seed: numberOption("seed", 1),
  retryScale: numberOption("retry-scale", 1),
  ...(option("state") ? { stateFile: option("state") } : {}),
}).then(
  (sandbox) => {
    process.stdout.write(`xpay-connect sandbox listening on ${sandbox.url}\n`);
    for (const id of sandbox.emulators.keys()) process.stdout.write(`  ${id.padEnd(11)} ${sandbox.url}/${id}\n`);
    process.stdout.write(`  shopify     ${sandbox.url}/shopify/stores/<shop>.myshopify.com (test hooks: ${sandbox.url}/_sandbox/shopify)\n`);
    process.stdout.write(`  control     ${sandbox.url}/_sandbox (test merchants: ${sandbox.url}/_sandbox/credentials)\n`);
    if (sandbox.stateFile) process.stdout.write(`  state       ${sandbox.stateFile.path} (${sandbox.stateFile.restored ? "the last run's orders, restored" : "new"})\n`);
    if (sandbox.stateFile?.setAside) process.stdout.write(`  (an unreadable state file was moved to ${sandbox.stateFile.setAside})\n`);
    const stop = () => void sandbox.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  },
  (error: unknown) => {
    process.stderr.write(`sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
