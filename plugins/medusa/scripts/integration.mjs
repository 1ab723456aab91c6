#!/usr/bin/env node
// `pnpm test:medusa`: the Medusa integration tests (a real Medusa server on real PostgreSQL, the sandbox).
// Needs PostgreSQL on localhost:5432 (DB_HOST/DB_PORT/DB_USERNAME/DB_PASSWORD to change that). On a laptop
// without it the run is skipped with a loud reason; under CI=true a missing PostgreSQL fails the run.
import { spawnSync } from "node:child_process";
import { createConnection } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const env = { ...process.env };
env.DB_HOST ??= "localhost"; // not 127.0.0.1: Medusa's test utilities then ask for SSL
env.DB_PORT ??= "5432";
env.DB_USERNAME ??= "postgres";
env.DB_PASSWORD ??= "";
env.LOG_LEVEL ??= "error";
env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --experimental-vm-modules`.trim();

const reachable = await new Promise((done) => {
  const socket = createConnection({ host: env.DB_HOST, port: Number(env.DB_PORT) });
  socket.setTimeout(2000);
  socket.once("connect", () => { socket.destroy(); done(true); });
  socket.once("timeout", () => { socket.destroy(); done(false); });
  socket.once("error", () => done(false));
});
if (!reachable) {
  const why = `PostgreSQL is not reachable at ${env.DB_HOST}:${env.DB_PORT}: the Medusa integration tests need it`;
  if (env.CI === "true") {
    console.error(`FAIL: ${why}.`);
    process.exit(1);
  }
  console.warn(`\n!!! SKIPPED the Medusa integration tests: ${why}. Start PostgreSQL (see README) and run \`pnpm test:medusa\`.\n`);
  process.exit(0);
}

// Medusa loads the providers the way a store does, through the package's entry points: build them.
const tsc = resolve(here, "../../../node_modules/typescript/bin/tsc");
const build = spawnSync(process.execPath, [tsc, "-b", resolve(here, "..")], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const jest = resolve(here, "../../../node_modules/jest/bin/jest.js");
const args = [jest, "-c", resolve(here, "../jest.integration.config.js"), "--runInBand", ...process.argv.slice(2)];
// From the package folder: Medusa resolves its default plugins from the working directory.
const run = spawnSync(process.execPath, args, { stdio: "inherit", env, cwd: resolve(here, "..") });
process.exit(run.status ?? 1);
