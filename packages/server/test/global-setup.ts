import { execFileSync } from "node:child_process";
import path from "node:path";

/**
 * Jest runs the server from its TypeScript sources and builds nothing, but the demo pages load their
 * browser modules from dist/demo-web, which `tsc -b` (pnpm start, pnpm typecheck) compiles. Build
 * that one project once here, before any worker starts (incremental: quick when up to date).
 */
export default function buildDemoAssets(): void {
  const root = path.resolve(__dirname, "../../..");
  try {
    execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-b", "packages/server/demo-web"], { cwd: root, stdio: "pipe" });
  } catch (error) {
    const out = (error as { stdout?: Buffer }).stdout?.toString() ?? String(error);
    throw new Error(`the demo's browser code does not compile (tsc -b packages/server/demo-web):\n${out.slice(0, 4000)}`, { cause: error });
  }
}
