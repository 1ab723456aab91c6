import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");

/** Builds the service (a no-op when dist is current) so tests can run it as a real process. */
export function buildService(): void {
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-b", path.join(ROOT, "packages/server")], { stdio: "inherit" });
}

/** A service running as its own process (`node dist/main.js`), for crash and multi-process tests. */
export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  /** Everything it printed. */
  output(): string;
}

/** Starts `node packages/server/dist/main.js` (or another launcher of the service, `script` from the repository root) with `env` and resolves once it listens. */
export async function spawnService(env: Record<string, string>, script = "packages/server/dist/main.js"): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, script)], {
    env: { ...process.env, PORT: "0", LOG_LEVEL: "info", ALLOW_PRIVATE_ENDPOINTS: "true", ...env, NODE_OPTIONS: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`service exited (${code}) before listening:\n${out}`)));
  });
  return { child, url, output: () => out };
}

/** Kills a service process with `signal` and waits for it to be gone. */
export async function kill(p: ServiceProcess, signal: NodeJS.Signals): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = once(p.child, "exit");
  p.child.kill(signal);
  await exited;
}
