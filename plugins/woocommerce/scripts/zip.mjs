// Packs the plugin's run-time files into xpay-connect-woocommerce.zip under a top folder xpay-connect-woocommerce/,
// as WordPress's "Upload Plugin" expects. Only what runs in WordPress goes in: no src/, tests, node_modules or source
// maps. Entries are sorted and dated alike, so the same files make the same zip.
//   node scripts/zip.mjs [--out <file.zip>] [--dir <plugin folder>]   (defaults: ./xpay-connect-woocommerce.zip from this plugin)
import { createWriteStream, existsSync, readdirSync, statSync } from "node:fs";
import { finished } from "node:stream/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import yazl from "yazl";

const SLUG = "xpay-connect-woocommerce";
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? path.resolve(process.argv[i + 1]) : undefined;
};
const dir = arg("--dir") ?? path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = arg("--out") ?? path.join(dir, `${SLUG}.zip`);

// Files the plugin cannot run without, and the optional rest of the plugin's run-time tree.
const REQUIRED = [`${SLUG}.php`, "methods.json", "readme.txt", "uninstall.php", "includes", "build/index.js", "build/index.asset.php"];
const OPTIONAL = ["assets", "languages", "build"];
// Left out: hidden files and node_modules anywhere, source maps, and in languages/ anything but translations (its .pot
// generator is a development tool).
const TRANSLATION = /\.(pot|po|mo|json|l10n\.php)$/;
const skipEntry = (name) => name.startsWith(".") || name === "node_modules";
const skipFile = (rel) => rel.endsWith(".map") || (rel.startsWith("languages/") && !TRANSLATION.test(rel));
const MTIME = new Date("2000-01-01T00:00:00Z");

const missing = REQUIRED.filter((p) => !existsSync(path.join(dir, p)));
if (missing.length) {
  const hint = missing.some((p) => p.startsWith("build/")) ? " (wp-scripts build makes build/)" : "";
  console.error(`zip: missing ${missing.join(", ")}${hint}`);
  process.exit(1);
}

/** Relative paths of the files to ship under `rel` (a file or a folder). */
function walk(rel) {
  const abs = path.join(dir, rel);
  if (!statSync(abs).isDirectory()) return skipFile(rel) ? [] : [rel];
  return readdirSync(abs)
    .filter((name) => !skipEntry(name))
    .flatMap((name) => walk(path.posix.join(rel, name)));
}

const files = [...new Set([...REQUIRED, ...OPTIONAL.filter((p) => existsSync(path.join(dir, p)))].flatMap(walk))].sort();
const folders = [...new Set(files.flatMap((f) => f.split("/").slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join("/"))))].sort();

const zip = new yazl.ZipFile();
zip.addEmptyDirectory(`${SLUG}/`, { mtime: MTIME });
for (const f of folders) zip.addEmptyDirectory(`${SLUG}/${f}/`, { mtime: MTIME });
for (const f of files) zip.addFile(path.join(dir, f), `${SLUG}/${f}`, { mtime: MTIME, mode: 0o100644 });
zip.end();
await finished(zip.outputStream.pipe(createWriteStream(out)));
console.log(`zip: ${path.relative(process.cwd(), out) || out} (${files.length} files, ${statSync(out).size} bytes)`);
