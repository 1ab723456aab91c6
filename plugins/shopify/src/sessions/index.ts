import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { CustomerRef, ShopDataHooks, ShopifyAppDeps } from "../deps";
import { applyPayment, type ServicePayment } from "../events/outcome";
import { eventRoutes } from "../events/routes";
import { MutationQueue, cancelShopMutations, type MutationQueueOptions } from "../mutations/queue";
import { actOn, checkRefund, receiveActionSession } from "./actions";
import { isHandle, type Handle } from "./gateways";
import { payPage, returnPage } from "./pages";
import { startPaymentSession } from "./payment";
import { CaptureSessionBody, HEADER_NAMES, type ActionSessionBody, PaymentSessionBody, RefundSessionBody, SessionHeaders, TOKEN, VoidSessionBody, firstIssue } from "./schemas";
import { findPaymentSession, type ActionSessionRow, type PaymentSessionRow } from "./store";

/** Timings of the sessions' background work (tests shorten them). */
export interface SessionOptions extends MutationQueueOptions {
  /** How often open sessions are checked with the service, in case an event was lost (ms). */
  fallbackPollMs?: number;
  /** Sessions quieter than this are checked by the fallback poll (ms). */
  quietMs?: number;
}

let options: SessionOptions = {};

/** Sets the timings for apps built after this call (as the service's configureOutbox does). */
export function configureSessions(next: SessionOptions): void {
  options = { ...next };
}

/** Payment statuses after which nothing more happens to an unpaid payment. */
const ENDED = new Set(["failed", "canceled", "expired"]);

/** The session a buyer-facing URL names; undefined for a token that is not one of ours (never queried). */
const sessionByToken = (deps: ShopifyAppDeps, token: string) => (TOKEN.test(token) ? findPaymentSession(deps.db, "token", token) : Promise.resolve(undefined));

const bad = (reply: FastifyReply, status: number, code: string, message: string) => reply.code(status).send({ error: { code, message } });

/** A session request's shop, handle and body, or the 400/404 already sent (naming the header or field). */
function readSession<T>(request: FastifyRequest<{ Params: { handle: string } }>, reply: FastifyReply, schema: z.ZodType<T>): { shop: string; handle: Handle; body: T } | undefined {
  const headers = SessionHeaders.safeParse(request.headers);
  if (!headers.success) return void bad(reply, 400, "invalid_request", firstIssue(headers.error, HEADER_NAMES));
  const handle = request.params.handle;
  if (!isHandle(handle)) return void bad(reply, 404, "unknown_extension", `handle: no payments extension "${handle.slice(0, 60)}"`);
  const body = schema.safeParse(request.body);
  if (!body.success) return void bad(reply, 400, "invalid_request", firstIssue(body.error));
  return { shop: headers.data["shopify-shop-domain"], handle, body: body.data };
}

/**
 * The payment/refund/capture/void session routes Shopify calls, the buyer's pages (QR/kiosk page,
 * the return from the gateway), the service's events, the durable mutation queue and the fallback
 * poll. Registered under the app's `/shopify` prefix.
 */
export function sessionRoutes(app: FastifyInstance, deps: ShopifyAppDeps): void {
  const settings = options;
  const queue = new MutationQueue(
    {
      db: deps.db,
      log: deps.log,
      shopifyOrigin: (shop) => deps.shopifyOrigin(shop),
      accessToken: async (shop) => {
        try {
          return await deps.accessToken(shop);
        } catch (error) {
          // Uninstalled (no token): stop this shop's mutations; anything else is retried.
          if (error instanceof Error && error.name === "ShopNotInstalledError") return undefined;
          throw error;
        }
      },
    },
    settings,
  );
  const lastRefresh = new Map<string, number>();

  /** Asks the service about a session's payment and applies the answer (throttled per session). */
  async function refresh(session: PaymentSessionRow, minGapMs = 1000): Promise<void> {
    // A buyer's cancel only settles the session once the service agrees the payment is over (a cancel the page claimed may be followed by a payment).
    if (!session.payment_id || session.outcome || (session.cancelled_at && ENDED.has(session.payment_status ?? ""))) return;
    const last = lastRefresh.get(session.id) ?? 0;
    if (Date.now() - last < minGapMs) return;
    lastRefresh.set(session.id, Date.now());
    if (lastRefresh.size > 10_000) lastRefresh.clear();
    const service = await deps.serviceFor(session.shop);
    if (!service) return;
    try {
      const res = await service.request<ServicePayment>("GET", `/v1/payments/${encodeURIComponent(session.payment_id)}`);
      if (res.status === 200) await applyPayment(deps.db, queue, deps.log, session.id, res.body);
    } catch (error) {
      deps.log.debug({ session: session.id, err: { message: error instanceof Error ? error.message : String(error) } }, "shopify: the service did not answer a status check");
    }
  }

  /** Where the buyer is now sent: Shopify's URL after a final (or, on pages that wait, pending) mutation, or cancel_url. */
  async function statusOf(session: PaymentSessionRow, pendingIsFinal: boolean) {
    const accepted = await queue.acceptedFor(session.gid);
    const final = accepted.find((m) => m.operation === "PaymentSessionResolve" || m.operation === "PaymentSessionReject");
    const pending = accepted.find((m) => m.operation === "PaymentSessionPending");
    if (final?.redirect_url) {
      return { state: final.operation === "PaymentSessionResolve" ? "resolved" : "rejected", message: "Taking you back to the shop…", redirect: final.redirect_url };
    }
    if (session.cancelled_at) return { state: "cancelled", message: "Payment cancelled: taking you back to the checkout…", redirect: session.cancel_url };
    if (pending?.redirect_url) {
      return pendingIsFinal
        ? { state: "pending", message: "Taking you back to the shop…", redirect: pending.redirect_url }
        : { state: "pending", message: "Waiting for your payment. You can go back to the shop: the order is confirmed when it arrives.", pendingRedirect: pending.redirect_url };
    }
    return { state: "waiting", message: session.outcome ? "Confirming with Shopify…" : "Waiting for the payment…" };
  }

  const onPaymentEvent = async (shop: string, type: string, payment: ServicePayment): Promise<void> => {
    const session = await findPaymentSession(deps.db, "payment_id", payment.id);
    if (!session || session.shop !== shop) return;
    await applyPayment(deps.db, queue, deps.log, session.id, payment);
    if (type === "payment.refunded" || type === "payment.partially_refunded") {
      const rows = await deps.db.query<ActionSessionRow>("select * from shopify_action_sessions where payment_session_id = $1 and status = 'refunding'", [session.id]);
      for (const row of rows) await checkRefund(deps, queue, row);
    }
  };

  // Payment session: 200 {redirect_url}, the same for every request with the same id.
  app.post<{ Params: { handle: string } }>("/sessions/payment/:handle", async (request, reply) => {
    const read = readSession(request, reply, PaymentSessionBody);
    if (!read) return reply;
    const answer = await startPaymentSession(deps, read.shop, read.handle, read.body, async (session, payment) => {
      await applyPayment(deps.db, queue, deps.log, session.id, payment);
    });
    if (answer.status === 200) return reply.code(200).send({ redirect_url: answer.redirectUrl });
    return bad(reply, answer.status, answer.code, answer.message);
  });

  // Refund, capture, void: 201 with an empty body, then the action, once per id.
  const actionRoute = (kind: ActionSessionRow["kind"], schema: z.ZodType<ActionSessionBody>) =>
    app.post<{ Params: { handle: string } }>(`/sessions/${kind}/:handle`, async (request, reply) => {
      const read = readSession<ActionSessionBody>(request, reply, schema);
      if (!read) return reply;
      let fresh: boolean;
      try {
        fresh = await receiveActionSession(deps, kind, read.shop, read.body);
      } catch (error) {
        return bad(reply, 400, "invalid_request", error instanceof Error ? error.message : "amount: invalid");
      }
      if (fresh) {
        const [row] = await deps.db.query<ActionSessionRow>("select * from shopify_action_sessions where id = $1", [read.body.id]);
        if (row) setImmediate(() => void actOn(deps, queue, row).catch((error: unknown) => deps.log.warn({ session: row.id, err: { message: String(error) } }, "shopify: acting on a session failed; the poll retries")));
      }
      return reply.code(201).send();
    });
  actionRoute("refund", RefundSessionBody);
  actionRoute("capture", CaptureSessionBody);
  actionRoute("void", VoidSessionBody);

  // The buyer's pages.
  app.get<{ Params: { token: string } }>("/pay/:token", async (request, reply) => {
    const session = await sessionByToken(deps, request.params.token);
    if (!session) return bad(reply, 404, "not_found", "token: no such payment");
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(await payPage(session, deps.config.appUrl));
  });
  // XPay EG sends every buyer to one dashboard URL with its transaction id.
  app.get<{ Querystring: { transaction_uuid?: string } }>("/return/xpay-eg", async (request, reply) => {
    const uuid = request.query.transaction_uuid;
    const session = typeof uuid === "string" && /^[A-Za-z0-9_-]{1,100}$/.test(uuid) ? await findPaymentSession(deps.db, "gateway_ref", uuid) : undefined;
    if (!session) return bad(reply, 404, "not_found", "transaction_uuid: no Shopify payment has this transaction");
    return reply.redirect(`${deps.config.appUrl}/shopify/return/${session.token}`, 303);
  });
  app.get<{ Params: { token: string }; Querystring: { status?: string } }>("/return/:token", async (request, reply) => {
    const session = await sessionByToken(deps, request.params.token);
    if (!session) return bad(reply, 404, "not_found", "token: no such payment");
    // Xpress Pay's page says a cancel only in the return URL (its API reports it as failed): only decides where the buyer goes.
    if (request.query.status === "cancel") {
      await deps.db.query("update shopify_payment_sessions set cancelled_at = coalesce(cancelled_at, now()), updated_at = now() where id = $1 and outcome is null", [session.id]);
    }
    await refresh(session, 0);
    const status = await statusOf((await findPaymentSession(deps.db, "id", session.id)) ?? session, true);
    if (status.redirect) return reply.redirect(status.redirect, 303);
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(returnPage(session, deps.config.appUrl));
  });
  app.get<{ Params: { token: string }; Querystring: { page?: string } }>("/return/:token/status", async (request, reply) => {
    let session = await sessionByToken(deps, request.params.token);
    if (!session) return bad(reply, 404, "not_found", "token: no such payment");
    await refresh(session);
    session = (await findPaymentSession(deps.db, "id", session.id)) ?? session;
    return reply.header("cache-control", "no-store").send(await statusOf(session, request.query.page !== "pay" && session.next_action?.type !== "qr" && session.next_action?.type !== "kiosk"));
  });

  eventRoutes(app, deps, onPaymentEvent);

  // The fallback poll: open sessions whose event may have been lost, refunds still pending, actions not yet acted on.
  let pollTimer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  const poll = async (): Promise<void> => {
    const quiet = (settings.quietMs ?? 10_000) / 1000;
    const open = await deps.db.query<PaymentSessionRow>(
      `select * from shopify_payment_sessions where outcome is null and payment_id is not null
         and (cancelled_at is null or payment_status is null or payment_status not in ('failed', 'canceled', 'expired'))
         and created_at > now() - interval '4 days' and updated_at < now() - make_interval(secs => $1) order by updated_at limit 50`,
      [quiet],
    );
    for (const session of open) await refresh(session, 0);
    const actions = await deps.db.query<ActionSessionRow>(
      "select * from shopify_action_sessions where status in ('received', 'refunding') and updated_at < now() - make_interval(secs => $1) order by updated_at limit 50",
      [quiet],
    );
    for (const row of actions) {
      await deps.db.query("update shopify_action_sessions set updated_at = now() where id = $1", [row.id]);
      await (row.status === "refunding" ? checkRefund(deps, queue, row) : actOn(deps, queue, row));
    }
  };
  app.addHook("onReady", async () => {
    queue.start();
    pollTimer = setInterval(() => {
      polling ??= poll()
        .catch((error: unknown) => deps.log.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, "shopify: the fallback poll failed; it runs again"))
        .finally(() => (polling = undefined));
    }, settings.fallbackPollMs ?? 30_000);
    pollTimer.unref();
  });
  app.addHook("onClose", async () => {
    if (pollTimer) clearInterval(pollTimer);
    await polling;
    await queue.stop();
  });
}

/** Matches a stored customer to a compliance webhook's customer by email or phone. */
const CUSTOMER_MATCH = "shop = $1 and customer is not null and ((customer->>'email') = $2 or (customer->>'phone') = $3)";

/** What uninstall and the compliance webhooks do to the sessions' data. */
export const sessionHooks: ShopDataHooks = {
  uninstalled: async (deps, shop) => {
    await cancelShopMutations(deps.db, shop);
  },
  redactShop: async (deps, shop) => {
    await deps.db.tx(async (sql) => {
      await sql.query("delete from shopify_mutations where shop = $1", [shop]);
      await sql.query("delete from shopify_action_sessions where shop = $1", [shop]);
      await sql.query("delete from shopify_payment_sessions where shop = $1", [shop]);
    });
  },
  redactCustomer: async (deps, shop, customer: CustomerRef) => {
    if (!customer.email && !customer.phone) return 0;
    const rows = await deps.db.query(
      `update shopify_payment_sessions set customer = null,
         service_request = jsonb_set(service_request, '{customer}', '{"name": "redacted"}'::jsonb), updated_at = now()
       where ${CUSTOMER_MATCH} returning id`,
      [shop, customer.email ?? null, customer.phone ?? null],
    );
    return rows.length;
  },
  customerData: async (deps, shop, customer: CustomerRef) => {
    if (!customer.email && !customer.phone) return [];
    return deps.db.query(
      `select id as payment_session_id, customer, amount_minor, currency, created_at from shopify_payment_sessions where ${CUSTOMER_MATCH} order by created_at`,
      [shop, customer.email ?? null, customer.phone ?? null],
    );
  },
};

