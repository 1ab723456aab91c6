import type { RouteModule } from "./app";
import type { ServiceContext } from "./context";
import { outboxRoutes, startOutbox } from "./outbox";
import { gatewayRoutes } from "./gateways/routes";
import { payInRoutes } from "./payins/routes";
import { payoutRoutes } from "./payouts";
import { refundRoutes } from "./refunds";
import { startReconciler } from "./reconcile";
import { startMaintenance } from "./maintenance";
import { opsRoutes } from "./ops";
import { demoRoutes } from "./demo";

/** A background worker: started with the service, stopped (finishing its work in flight) before the database closes. */
export type Worker = (ctx: ServiceContext) => Promise<{ stop(): Promise<void> }>;

/** The merchant API's route groups, registered inside the `/v1` plugin (paths relative to `/v1`). */
export const V1_ROUTES: RouteModule[] = [payInRoutes, refundRoutes, payoutRoutes, outboxRoutes, gatewayRoutes];

/** The demo store's pages are for people, not API: every route it registers is hidden from /openapi.json. */
const demoStore: RouteModule = (app, ctx) => {
  app.addHook("onRoute", (route) => {
    route.schema = { ...route.schema, hide: true };
  });
  demoRoutes(app, ctx);
};

/** The route groups beside /v1 and /callbacks, each an encapsulated plugin: operations and the demo store. */
export const PLUGINS: RouteModule[] = [opsRoutes, demoStore];

/** The background workers. */
export const WORKERS: Worker[] = [startOutbox, startReconciler, startMaintenance];
