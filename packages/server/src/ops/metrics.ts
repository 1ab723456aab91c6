import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { isGatewayId } from "@xpay-connect/core";
import type { ServiceContext } from "../context";
import type { PaymentRow } from "../payments";
import { safeError } from "./log";

/** Seconds buckets for callback and HTTP latencies: 1 ms to 30 s (query-back verification can be slow). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** A label value we accept from the outside: a known gateway, or "other" (no unbounded label sets). */
function gatewayLabel(value: unknown): string {
  return isGatewayId(value) ? value : "other";
}

/** One run of `read` shared by every caller while it is running. */
function shared(read: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= read().finally(() => (running = undefined)));
}

/** Short bounded text for a label from an event payload. */
function label(value: unknown): string {
  return typeof value === "string" && /^[a-z0-9_.-]{1,40}$/i.test(value) ? value : "other";
}

/**
 * The service's Prometheus metrics, in a registry of its own (several services in one process,
 * as in tests, never share counters). Counters come from `ctx.events`; what the database knows
 * (payments by status, outbox lag, callback backlog) is read on each scrape, so every instance
 * behind a load balancer reports the same shared truth for those.
 */
export class ServiceMetrics {
  /** The registry `/metrics` serializes. */
  readonly registry = new Registry();
  private readonly detach: (() => void)[] = [];

  constructor(private readonly ctx: ServiceContext) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const dbErrors = new Counter({ name: "xpay_connect_metrics_db_errors_total", help: "Scrapes whose database reads failed (those gauges are left empty).", registers });
    // A collect that reads the database; on failure its gauges read NaN (or lose their series) rather than stay stale.
    const fromDb = (collect: () => Promise<void>, unknown: () => void) => async () => {
      try {
        await collect();
      } catch (error) {
        unknown();
        dbErrors.inc();
        ctx.log.warn({ err: safeError(error) }, "metrics: database read failed");
      }
    };

    const payments: Gauge = new Gauge({
      name: "xpay_connect_payments",
      help: "Payments and payouts in the database, by gateway, kind and status.",
      labelNames: ["gateway", "kind", "status"],
      registers,
      collect: fromDb(async () => {
        const rows = await ctx.db.query<{ gateway: string; kind: string; status: string; n: number }>(
          "select gateway, kind, status, count(*)::int as n from payments group by gateway, kind, status",
        );
        payments.reset();
        for (const r of rows) payments.set({ gateway: r.gateway, kind: r.kind, status: r.status }, Number(r.n));
      }, () => payments.reset()),
    });

    // Each pair of gauges is read by one query; the registry collects metrics concurrently, so both share the run.
    const outbox = shared(
      fromDb(async () => {
        const [row] = await ctx.db.query<{ n: number; lag: number | null }>(
          `select count(*)::int as n, extract(epoch from now() - min(e.created_at))::float8 as lag
           from deliveries d join outbox_events e on e.id = d.event_id where d.delivered_at is null and d.abandoned_at is null`,
        );
        outboxWaiting.set(Number(row?.n ?? 0));
        outboxLag.set(Math.max(0, Number(row?.lag ?? 0)));
      }, () => [outboxLag, outboxWaiting].forEach((g) => g.set(NaN))),
    );
    const outboxLag: Gauge = new Gauge({
      name: "xpay_connect_outbox_lag_seconds",
      help: "Age of the oldest status event still being delivered to a storefront endpoint (0 when none waits; given-up deliveries excluded).",
      registers,
      collect: outbox,
    });
    const outboxWaiting: Gauge = new Gauge({ name: "xpay_connect_outbox_undelivered", help: "Deliveries to storefront endpoints not yet acknowledged and still retried.", registers, collect: outbox });

    const callbacks = shared(
      fromDb(async () => {
        const [row] = await ctx.db.query<{ n: number; age: number | null }>(
          "select count(*)::int as n, extract(epoch from now() - min(received_at))::float8 as age from callbacks where state in ('received', 'retry')",
        );
        backlog.set(Number(row?.n ?? 0));
        backlogAge.set(Math.max(0, Number(row?.age ?? 0)));
      }, () => [backlog, backlogAge].forEach((g) => g.set(NaN))),
    );
    const backlog: Gauge = new Gauge({ name: "xpay_connect_callbacks_backlog", help: "Stored callbacks waiting to be verified and applied (received or retrying).", registers, collect: callbacks });
    const backlogAge: Gauge = new Gauge({ name: "xpay_connect_callbacks_backlog_age_seconds", help: "Age of the oldest stored callback still waiting (0 when none waits).", registers, collect: callbacks });

    const transitions = new Counter({
      name: "xpay_connect_payment_transitions_total",
      help: "Status changes applied by this instance, by gateway, kind and the status reached.",
      labelNames: ["gateway", "kind", "to"],
      registers,
    });
    const received = new Counter({ name: "xpay_connect_callbacks_received_total", help: "Callbacks stored (and so acknowledged) by this instance, by gateway.", labelNames: ["gateway"], registers });
    const processed = new Counter({
      name: "xpay_connect_callbacks_processed_total",
      help: "Stored callbacks processed by this instance, by gateway and outcome (applied, unchanged, conflict, rejected, retry).",
      labelNames: ["gateway", "outcome"],
      registers,
    });
    const processing = new Histogram({
      name: "xpay_connect_callback_processing_seconds",
      help: "From a callback's arrival to its verification and status change (includes query-back to the gateway).",
      labelNames: ["gateway"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const intake = new Histogram({
      name: "xpay_connect_callback_intake_seconds",
      help: "Callback HTTP intake: request received to acknowledgement sent (the callback is stored in between).",
      labelNames: ["gateway", "status_code"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const reconciled = new Counter({
      name: "xpay_connect_reconcile_results_total",
      help: "Reconciliation re-queries of stale payments by this instance, by gateway and outcome.",
      labelNames: ["gateway", "outcome"],
      registers,
    });
    const requests = new Counter({ name: "xpay_connect_http_requests_total", help: "HTTP requests answered, by method, route and status code.", labelNames: ["method", "route", "status_code"], registers });
    const duration = new Histogram({ name: "xpay_connect_http_request_duration_seconds", help: "HTTP request duration, by method and route.", labelNames: ["method", "route"], buckets: LATENCY_BUCKETS, registers });

    this.on("payment.changed", (e: { payment?: PaymentRow; to?: string }) => {
      transitions.inc({ gateway: gatewayLabel(e.payment?.gateway), kind: label(e.payment?.kind), to: label(e.to) });
    });
    const needsAttention = new Counter({
      name: "xpay_connect_payments_needs_attention_total",
      help: "Payments raised for a person by this instance (each also a payment.needs_attention event), by gateway and reason (paid_after_expired, paid_after_failed, paid_after_canceled, recall_unconfirmed).",
      labelNames: ["gateway", "reason"],
      registers,
    });
    this.on("payment.needs_attention", (e: { payment?: PaymentRow; reason?: string }) => needsAttention.inc({ gateway: gatewayLabel(e.payment?.gateway), reason: label(e.reason) }));
    this.on("callback.stored", (gateway: unknown) => received.inc({ gateway: gatewayLabel(gateway) }));
    this.on("callback.processed", (e: { gateway?: string; outcome?: string; latencyMs?: number }) => {
      const gateway = gatewayLabel(e.gateway);
      processed.inc({ gateway, outcome: label(e.outcome) });
      if (typeof e.latencyMs === "number" && e.latencyMs >= 0) processing.observe({ gateway }, e.latencyMs / 1000);
    });
    this.on("reconcile.result", (e: { gateway?: string; outcome?: string }) => reconciled.inc({ gateway: gatewayLabel(e.gateway), outcome: label(e.outcome) }));

    this.observe = (request, reply) => {
      const route = request.routeOptions.url ?? "unmatched";
      const seconds = reply.elapsedTime / 1000;
      requests.inc({ method: request.method, route, status_code: String(reply.statusCode) });
      duration.observe({ method: request.method, route }, seconds);
      if (route.startsWith("/callbacks/")) {
        intake.observe({ gateway: gatewayLabel((request.params as { gateway?: string } | undefined)?.gateway), status_code: String(reply.statusCode) }, seconds);
      }
    };
  }

  /** Records one answered request (an onResponse hook). */
  readonly observe: (request: FastifyRequest, reply: FastifyReply) => void;

  /** Stops listening to the service's events. */
  close(): void {
    for (const off of this.detach.splice(0)) off();
  }

  private on<T>(event: string, listener: (payload: T) => void): void {
    this.ctx.events.on(event, listener);
    this.detach.push(() => this.ctx.events.off(event, listener));
  }
}

/** The service's metrics, observing every request the app answers (its hooks sit on the root, above every route plugin). */
export function observeRequests(app: FastifyInstance, ctx: ServiceContext): ServiceMetrics {
  const metrics = new ServiceMetrics(ctx);
  app.addHook("onResponse", async (request, reply) => metrics.observe(request, reply));
  app.addHook("onClose", async () => metrics.close());
  return metrics;
}
