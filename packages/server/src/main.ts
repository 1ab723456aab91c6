#!/usr/bin/env node
import { startService } from "./service";

/** `node dist/main.js`: the service alone, configured from the environment (see docs/server.md). Stops gracefully on SIGTERM/SIGINT. */
startService().then(
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
  (error: unknown) => {
    process.stderr.write(`xpay-connect failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
