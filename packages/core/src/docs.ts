import { configJsonSchema, type ConfigFieldSchema, type GatewayDefinition } from "./gateway";

/** The markers between which docs/ holds a generated table; `pnpm docs:config` rewrites what lies between. */
const DOCS_TABLE_MARKERS = { start: (name: string) => `<!-- generated:${name} (pnpm docs:config) -->`, end: (name: string) => `<!-- /generated:${name} -->` };

function typeOf(field: ConfigFieldSchema): string {
  if (Array.isArray(field.enum)) return field.enum.map((v) => `\`${String(v)}\``).join(" or ");
  if (field.format === "uri") return "URL";
  return String(field.type ?? "any");
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** A gateway's config keys as a Markdown table: key, type, required, secret, description. */
export function configTable(definition: GatewayDefinition): string {
  const schema = configJsonSchema(definition);
  const rows = Object.entries(schema.properties).map(
    ([key, field]) =>
      `| \`${key}\` | ${typeOf(field)} | ${schema.required.includes(key) ? "yes" : "no"} | ${field.secret ? "**secret**" : ""} | ${cell(field.description ?? "")} |`,
  );
  return ["| key | type | required | secret | what it is |", "|---|---|---|---|---|", ...rows].join("\n");
}

/** Every gateway in one Markdown table: required and optional keys, and where its callbacks go. */
export function gatewaysTable(definitions: readonly GatewayDefinition[]): string {
  const rows = definitions.map((d) => {
    const schema = configJsonSchema(d);
    const own = Object.keys(schema.properties).filter((k) => k !== "baseUrl" && k !== "timeoutMs");
    const keys = (required: boolean) =>
      own
        .filter((k) => schema.required.includes(k) === required)
        .map((k) => `\`${k}\`${schema.properties[k]?.secret ? " (secret)" : ""}`)
        .join(", ");
    const callback = d.capabilities.callbackUrl === "dashboard" ? `**dashboard**: \`<PUBLIC_URL>/callbacks/${d.id}\`` : "per payment, automatic";
    return `| \`${d.id}\` | ${keys(true)} | ${keys(false)} | ${callback} |`;
  });
  return ["| gateway | required | optional | callback URL |", "|---|---|---|---|", ...rows].join("\n");
}

/** `text` with the generated block `name` replaced by `table`; throws when the markers are missing. */
export function replaceGenerated(text: string, name: string, table: string): string {
  const start = DOCS_TABLE_MARKERS.start(name);
  const end = DOCS_TABLE_MARKERS.end(name);
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`no ${start} ... ${end} block`);
  return `${text.slice(0, i + start.length)}\n${table}\n${text.slice(j)}`;
}
