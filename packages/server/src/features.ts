import type { RouteModule } from "./app";
import type { ServiceContext } from "./context";
import { outboxRoutes, startOutbox } from "./outbox";
import { payoutRoutes } from "./payouts";
import { startReconciler } from "./reconcile";
import { opsRoutes } from "./ops";
import { demoRoutes } from "./demo";
import { startMaintenance } from "./maintenance";

/** A background worker: started with the service, stopped (finishing its work in flight) before the database closes. */
export type Worker = (ctx: ServiceContext) => Promise<{ stop(): Promise<void> }>;

/** The feature route modules, registered after the core payment and callback routes. */
export const FEATURE_ROUTES: RouteModule[] = [outboxRoutes, payoutRoutes, opsRoutes, demoRoutes];

/** The background workers. */
export const WORKERS: Worker[] = [startOutbox, startReconciler, startMaintenance];
