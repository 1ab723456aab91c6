#!/usr/bin/env node
// `pnpm new-connector <id>`: scaffolds a gateway's folder set from scripts/new-connector/templates and
// adds its one registry line in core, the sandbox and the conformance suite (docs/adding-a-connector.md).
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(import.meta.dirname, "..");
const templates = path.join(import.meta.dirname, "new-connector", "templates");

const COUNTRIES = { PK: "PKR", EG: "EGP", KG: "KGS" };

const HELP = `Usage: pnpm new-connector <id> [options]

Scaffolds a new gateway: the core connector (wire.ts, connector.ts, gateway.ts, index.ts), its
tests and fixtures, the sandbox emulator, the conformance case and docs/gateways/<id>.md, plus one
registry line in each of core, the sandbox and the conformance suite. The generated tests fail
until the connector and its emulator are written from the spec.

  <id>               the gateway's id: lowercase words joined by "-" (acme, acme-pay)

Options:
  --title <text>     what a store owner sees (default: the id in words, "Acme Pay")
  --country <code>   ${Object.keys(COUNTRIES).join(", ")} (default PK); sets the currency (${Object.entries(COUNTRIES)
    .map(([c, cur]) => `${c}: ${cur}`)
    .join(", ")})
  --spec <file>      the spec file in shared/specs (default <id>.txt); the sandbox lists gateways in spec order
  --no-docs          do not run \`pnpm docs:config\` afterwards (it builds core to fill the config tables)
  -h, --help         this help
`;

/** Stops with a message and the usage line. */
function fail(message) {
  console.error(`new-connector: ${message}\nRun \`pnpm new-connector --help\` for the options.`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      title: { type: "string" },
      country: { type: "string", default: "PK" },
      spec: { type: "string" },
      "no-docs": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
} catch (error) {
  fail(error.message);
}
const { values, positionals } = parsed;
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
if (positionals.length !== 1) fail(`expected one <id>, got ${positionals.length === 0 ? "none" : positionals.map((p) => JSON.stringify(p)).join(" ")}`);

const id = positionals[0];
if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id)) fail(`<id>: expected lowercase letters and digits in words joined by "-", starting with a letter (acme, acme-pay), got ${JSON.stringify(id)}`);
const country = values.country.toUpperCase();
if (!Object.hasOwn(COUNTRIES, country)) fail(`--country: expected one of ${Object.keys(COUNTRIES).join(", ")}, got ${JSON.stringify(values.country)}`);
const spec = values.spec ?? `${id}.txt`;
if (!/^[\w.-]+$/.test(spec)) fail(`--spec: expected a file name (letters, digits, ".", "_", "-"), got ${JSON.stringify(spec)}`);
const words = id.split("-");
const title = values.title ?? words.map((w) => w[0].toUpperCase() + w.slice(1)).join(" ");
if (/["\\`$\n]/.test(title)) fail(`--title: expected text without quotes, backslashes, backticks, "$" or line breaks, got ${JSON.stringify(title)}`);

const names = {
  __id__: id,
  __camel__: words[0] + words.slice(1).map((w) => w[0].toUpperCase() + w.slice(1)).join(""),
  __Pascal__: words.map((w) => w[0].toUpperCase() + w.slice(1)).join(""),
  __CONST__: words.join("_").toUpperCase(),
  __title__: title,
  __country__: country,
  __currency__: COUNTRIES[country],
  __spec__: spec,
};
const fill = (text) => text.replace(/__(id|camel|Pascal|CONST|title|country|currency|spec)__/g, (token) => names[token]);

/** The registries, each gaining one line (appended, so existing gateways keep their order). */
const registries = [
  ["packages/core/src/connectors/index.ts", `export * from "./${id}";`],
  ["packages/sandbox/src/gateways/index.ts", `export { ${names.__camel__}Emulator } from "./${id}";`],
  ["packages/conformance/src/cases/index.ts", `export { ${names.__camel__}Case } from "./${id}";`],
];

/** Every template file, as [template path, path in the repository]. */
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return [[full, fill(path.relative(templates, full)).replace(/\.tmpl$/, "")]];
  });
}
const files = walk(templates).sort(([, a], [, b]) => a.localeCompare(b));

// Refuse before writing anything: an existing gateway, folder, file or exported name is never overwritten.
const unit = (file) => (file.includes(`/${id}/`) ? file.slice(0, file.lastIndexOf(`/${id}/`) + id.length + 1) : file);
const taken = [...new Set(files.map(([, file]) => unit(file)))].filter((p) => existsSync(path.join(root, p)));
if (taken.length) fail(`<id>: ${JSON.stringify(id)} exists already (${taken.join(", ")})`);
const connectorsDir = path.join(root, "packages/core/src/connectors");
const coreNames = [`${names.__camel__}Gateway`, `${names.__Pascal__}Connector`, `${names.__Pascal__}Config`, `${names.__CONST__}_STATUS_MAP`];
for (const folder of readdirSync(connectorsDir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
  const text = readFileSync(path.join(connectorsDir, folder.name, "index.ts"), "utf8");
  const clash = coreNames.find((name) => new RegExp(`\\b${name}\\b`).test(text));
  if (clash) fail(`<id>: core's connectors/${folder.name} already exports ${clash}; choose another id`);
}
for (const [registry, line] of registries) {
  const text = readFileSync(path.join(root, registry), "utf8");
  if (text.includes(`"./${id}"`)) fail(`<id>: ${registry} already lists ${JSON.stringify(id)}`);
  const exported = line.match(/export \{ (\w+) \}/)?.[1];
  if (exported && new RegExp(`\\b${exported}\\b`).test(text)) fail(`<id>: ${registry} already exports ${exported}`);
}

for (const [template, file] of files) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), fill(readFileSync(template, "utf8")), { flag: "wx" });
  console.log(`created  ${file}`);
}
for (const [registry, line] of registries) {
  const full = path.join(root, registry);
  const text = readFileSync(full, "utf8");
  appendFileSync(full, `${text.endsWith("\n") ? "" : "\n"}${line}\n`);
  console.log(`added    ${registry}: ${line}`);
}

if (values["no-docs"]) {
  console.log("\nThen fill the config tables: pnpm docs:config");
} else {
  console.log("\npnpm docs:config");
  const docs = spawnSync("pnpm", ["docs:config"], { cwd: root, stdio: "inherit" });
  if (docs.status !== 0) {
    console.error("new-connector: `pnpm docs:config` failed (above); the files are in place: fix the build and run it again.");
    process.exit(1);
  }
}

console.log(`
Next (docs/adding-a-connector.md walks each step):
  1. packages/core/src/connectors/${id}/wire.ts        the spec's shapes and statuses
  2. packages/core/src/connectors/${id}/connector.ts   the flows; then gateway.ts (config schema)
  3. packages/sandbox/src/gateways/${id}/              the emulator (state, validation, pages, routes)
  4. packages/core/test/${id}/                          the spec's examples in fixtures.ts; these tests fail until then
  5. CONFORMANCE_ONLY=${id} NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects conformance
  6. docs/gateways/${id}.md                             every TODO; pnpm docs:config after a config change
  pnpm typecheck and pnpm lint check it all; grep -rn "TODO(${id})" finds what is left.`);
