#!/usr/bin/env node
// Rewrites the generated config tables in docs/ from the gateways' schemas (run after core is built: `pnpm docs:config`).
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const core = createRequire(import.meta.url)(path.join(root, "packages/core/dist/index.js"));

/** Each generated block: the file it lives in, its name, and the table. */
const blocks = [
  ["docs/server.md", "gateway-config", core.gatewaysTable(Object.values(core.GATEWAYS))],
  ...core.GATEWAY_IDS.map((id) => [`docs/gateways/${id}.md`, "config", core.configTable(core.GATEWAYS[id])]),
];
for (const [file, name, table] of blocks) {
  const full = path.join(root, file);
  const before = readFileSync(full, "utf8");
  const after = core.replaceGenerated(before, name, table);
  if (after !== before) writeFileSync(full, after);
  console.log(`${after === before ? "unchanged" : "updated  "} ${file} (${name})`);
}
