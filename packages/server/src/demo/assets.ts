import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** The server package's folder: this file runs from src/demo (Jest) or dist/demo (built), both two levels down. */
const PACKAGE_DIR = path.resolve(__dirname, "../..");

/**
 * Where /demo/assets/ is read from, first match wins: the browser modules `tsc -b` compiles from
 * demo-web/src, then the files served as they are (the stylesheet).
 */
export const DEMO_ASSET_DIRS = [path.join(PACKAGE_DIR, "dist/demo-web"), path.join(PACKAGE_DIR, "demo-web/public")];

/** Serves the demo's script and stylesheet as static files under /demo/assets/. */
export function serveDemoAssets(app: FastifyInstance): void {
  app.register(fastifyStatic, {
    root: DEMO_ASSET_DIRS,
    prefix: "/demo/assets/",
    index: false,
    dotfiles: "ignore",
    // Nothing else of ours uses reply.sendFile: leave the reply undecorated for any other static plugin.
    decorateReply: false,
    // Revalidated on every load (ETag, Last-Modified), so a rebuilt script is picked up at once.
    cacheControl: false,
    setHeaders: (reply) => void reply.header("cache-control", "no-cache"),
  });
}
