/** The config tables in docs/ are generated from the gateways' schemas: a stale one fails here (fix: `pnpm docs:config`). */
import { readFileSync } from "node:fs";
import path from "node:path";
import { GATEWAYS, GATEWAY_IDS, configTable, gatewaysTable, replaceGenerated } from "../src";

const docs = (file: string) => readFileSync(path.join(__dirname, "../../../docs", file), "utf8");

describe("docs config tables", () => {
  it("docs/server.md lists every gateway's keys as their schemas say", () => {
    const text = docs("server.md");
    expect(replaceGenerated(text, "gateway-config", gatewaysTable(Object.values(GATEWAYS)))).toBe(text);
  });

  it.each(GATEWAY_IDS.map((id) => [id]))("docs/gateways/%s.md has its schema's config table", (id) => {
    const text = docs(`gateways/${id}.md`);
    expect(replaceGenerated(text, "config", configTable(GATEWAYS[id]))).toBe(text);
    for (const key of Object.keys(GATEWAYS[id].config.shape)) expect(text).toContain(`| \`${key}\` |`);
  });
});
