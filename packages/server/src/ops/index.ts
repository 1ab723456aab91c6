// PLACEHOLDER (ops helper): /metrics, /readyz, /openapi.json.
import type { RouteModule } from "../app";
export const opsRoutes: RouteModule = () => undefined;
