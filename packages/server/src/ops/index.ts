import type { RouteModule } from "../app";
import { metricsRoutes } from "./metrics";
import { openApiRoutes } from "./openapi";
import { readinessRoutes } from "./readiness";

export { ServiceMetrics } from "./metrics";
export { openApiDocument, UNDOCUMENTED_PREFIXES } from "./openapi";
export { readiness, type Readiness } from "./readiness";

/** Operations: `GET /metrics` (Prometheus), `GET /readyz`, `GET /openapi.json`. `/healthz` (liveness) is in app.ts. */
export const opsRoutes: RouteModule = (app, ctx) => {
  metricsRoutes(app, ctx);
  readinessRoutes(app, ctx);
  openApiRoutes(app, ctx);
};
