#!/usr/bin/env node
/*
 * `pnpm start`: the sandbox (SANDBOX_PORT, default 4010), the service (PORT, default 4000; PGlite in
 * .data/xpay-connect unless DATABASE_URL) and the demo store at /demo with its merchant. Ctrl-C stops both.
 */
import { banner, launch, type BannerRow, type Launched, type LaunchOptions } from "./demo/launch";

function sandboxPort(): number {
  const port = Number(process.env.SANDBOX_PORT ?? 4010);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SANDBOX_PORT: expected a port number, got ${process.env.SANDBOX_PORT}`);
  return port;
}

function explain(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { port?: number };
  if (e?.code === "EADDRINUSE") return `port ${e.port ?? ""} is already in use: stop what runs there, or set PORT (service) / SANDBOX_PORT (sandbox)`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `pnpm start`: launches, prints the banner (with `more`'s rows in its table), stops on SIGINT/SIGTERM.
 * Storefront plugins mounted in the service (the Shopify app's launcher) pass `plugins`.
 */
export async function runStart(options: { plugins?: LaunchOptions["plugins"]; more?: (running: Launched) => Promise<BannerRow[]> } = {}): Promise<void> {
  const running = await launch({ sandboxPort: sandboxPort(), ...(options.plugins ? { plugins: options.plugins } : {}) });
  let more: BannerRow[];
  try {
    more = options.more ? await options.more(running) : [];
  } catch (error) {
    await running.stop();
    throw error;
  }
  process.stdout.write(banner(running, more) + "\n");
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping (finishing callbacks in flight)...\n`);
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stop failed: ${explain(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

/** Prints why the start failed and exits 1. */
export function startFailed(error: unknown): never {
  process.stderr.write(`xpay-connect failed to start: ${explain(error)}\n`);
  process.exit(1);
}

if (require.main === module) runStart().catch(startFailed);
