// PLACEHOLDER (outbox helper): endpoints API and the signed delivery worker.
import type { RouteModule } from "../app";
import type { Worker } from "../features";
export const outboxRoutes: RouteModule = () => undefined;
export const startOutbox: Worker = async () => ({ stop: async () => undefined });
