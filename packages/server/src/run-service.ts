import type { RouteModule } from "./app";
import type { PluginMigration } from "./db/migrations";
import { startService } from "./service";

/**
 * Runs the service as a process, configured from the environment (docs/server.md): logs where it listens, stops
 * gracefully on SIGTERM/SIGINT, exits 1 with the reason when it cannot start. `node dist/main.js` runs it alone;
 * storefront plugins pass their routes and tables (`node plugins/shopify/dist/main.js`).
 */
export function runService(plugins: { routes?: RouteModule[]; migrations?: readonly PluginMigration[] } = {}): void {
  startService({}, plugins).then(
    (service) => {
      service.ctx.log.info({ url: service.url, database: service.ctx.db.kind }, "xpay-connect service listening");
      const stop = (signal: string) => {
        service.ctx.log.info({ signal }, "stopping: finishing callbacks in flight");
        void service.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
    },
    (error: unknown) => serviceFailed(error),
  );
}

/** Prints why the service could not start and exits 1. */
export function serviceFailed(error: unknown): never {
  process.stderr.write(`xpay-connect failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
