import { execFileSync } from "node:child_process";
import path from "node:path";

/** Builds build/index.js (+ index.asset.php) from src/ so the browser test loads what the zip would ship. */
export default function globalSetup(): void {
  const dir = path.resolve(__dirname, "../..");
  execFileSync(path.join(dir, "node_modules/.bin/wp-scripts"), ["build"], {
    cwd: dir,
    stdio: ["ignore", "ignore", "inherit"],
    // Jest sets NODE_ENV=test, which would make wp-scripts build an unminified development bundle.
    env: { ...process.env, NODE_ENV: "production" },
  });
}
