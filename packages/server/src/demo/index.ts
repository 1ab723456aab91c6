import type { FastifyInstance, FastifyReply } from "fastify";
import type { RouteModule } from "../app";
import type { ServiceContext } from "../context";
import { ApiError } from "../api/errors";
import type { PaymentRow } from "../payments";
import { DemoBackend, ORDER_REF, newOrderRef, orderView, type ApiPayment } from "./backend";
import { PRODUCTS, catalogJson } from "./catalog";
import { serveDemoAssets } from "./assets";
import { withQrImage } from "./qr-image";
import { notSetUpPage, shellPage } from "./page";
import { balance, recentPayouts, sendPayout, settleInSandbox } from "./payouts";
import { OrderParams, OrderRequest, PayoutRequest, SandboxActionParams, parseRequest } from "./requests";
import { demoStateOf } from "./setup";

export { attachDemo, demoStateOf, setupDemo, DEMO_MERCHANT_NAME, type DemoState, type DemoSetup } from "./setup";
export { sandboxAccounts, pointSandboxAt } from "./sandbox-merchant";

/** How often an idle event stream gets a comment line, so proxies keep it open. */
const HEARTBEAT_MS = 15_000;

/**
 * The demo store at /demo: pages, their browser modules and stylesheet (demo-web/, served under
 * /demo/assets/), and its own JSON routes under /demo/api that act as the demo merchant through the
 * service's /v1 API. Active once `setupDemo` (run by `pnpm
 * start`) has attached a merchant; until then every demo route says how to start it.
 */
export const demoRoutes: RouteModule = (app: FastifyInstance, ctx: ServiceContext) => {
  const backend = (): DemoBackend => {
    const state = demoStateOf(ctx);
    if (!state) throw new ApiError(404, "demo_not_set_up", "the demo store runs with `pnpm start` (it creates the demo merchant and the sandbox)");
    return new DemoBackend(app, ctx, state);
  };
  const page = (reply: FastifyReply, html: string) => reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(html);
  const info = () => ({ sandboxUrl: demoStateOf(ctx)?.sandboxUrl ?? null });

  // A newcomer opens the bare address: with the demo mounted it leads there; without, it stays the 404 it was.
  app.get("/", async (request, reply) => {
    if (!demoStateOf(ctx)) return reply.code(404).send({ error: { code: "not_found", message: `no route ${request.method} /` } });
    return reply.redirect("/demo");
  });
  for (const path of ["/demo", "/demo/"]) {
    app.get(path, async (_request, reply) => page(reply, demoStateOf(ctx) ? shellPage({ view: "store", ...info() }) : notSetUpPage()));
  }
  app.get<{ Params: { ref: string } }>("/demo/order/:ref", async (request, reply) => {
    if (!demoStateOf(ctx)) return page(reply, notSetUpPage());
    if (!ORDER_REF.test(request.params.ref)) return reply.redirect("/demo");
    return page(reply, shellPage({ view: "order", ref: request.params.ref, ...info() }));
  });
  // XPay EG sends every shopper to one dashboard URL with its transaction id: find the order it belongs to.
  app.get<{ Querystring: Record<string, string | undefined> }>("/demo/return", async (request, reply) => {
    const uuid = request.query.transaction_uuid;
    const ref = uuid ? await backend().refByGatewayRef(uuid) : undefined;
    return reply.redirect(ref ? `/demo/order/${ref}` : "/demo");
  });
  serveDemoAssets(app);

  app.get<{ Params: { file: string } }>("/demo/assets/products/:file", async (request, reply) => {
    const product = PRODUCTS.find((p) => `${p.id}.svg` === request.params.file);
    if (!product) throw new ApiError(404, "not_found", "no such picture");
    return reply.type("image/svg+xml").header("cache-control", "max-age=3600").send(product.svg);
  });
  app.get("/demo/api/catalog", async () => {
    backend();
    return catalogJson();
  });
  app.get("/demo/api/orders", async () => ({ data: await backend().recentOrders() }));
  app.post("/demo/api/orders", async (request, reply) => {
    const b = backend();
    const answer = await b.placeOrder(parseRequest(OrderRequest, request.body));
    if (answer.status === 201 || answer.status === 202) return reply.code(201).send({ order: await withQrImage(orderView(answer.body as unknown as ApiPayment)) });
    if (answer.status >= 500) throw new ApiError(502, "gateway_unavailable", "the gateway did not answer; try again");
    return reply.code(answer.status).send(answer.body);
  });
  app.get("/demo/api/orders/:ref", async (request) => {
    const b = backend();
    return { order: await b.order(parseRequest(OrderParams, request.params).ref) };
  });

  app.get("/demo/api/balance", async () => ({ balance: await balance(backend()) }));
  app.get("/demo/api/payouts", async () => ({ data: await recentPayouts(backend()) }));
  app.post("/demo/api/payouts", async (request, reply) => {
    const b = backend();
    const payout = await sendPayout(b, parseRequest(PayoutRequest, request.body), newOrderRef("DEMO-PAYOUT-"));
    return reply.code(201).send({ payout });
  });
  app.post("/demo/api/payouts/:id/sandbox/:action", async (request) => {
    const b = backend();
    const { id, action } = parseRequest(SandboxActionParams, request.params);
    return { payout: await settleInSandbox(b, id, action) };
  });

  registerEvents(app, ctx);
};

/** GET /demo/api/events: Server-Sent Events, one `payment` event per status change of a demo merchant's payment. */
function registerEvents(app: FastifyInstance, ctx: ServiceContext): void {
  const streams = new Map<(line: string) => void, () => void>();
  // One listener for every stream: many open pages must not pile listeners on the shared emitter.
  ctx.events.on("payment.changed", (change: { payment: PaymentRow; from: string; to: string }) => {
    const p = change.payment;
    if (!streams.size || p.merchant_id !== demoStateOf(ctx)?.merchantId) return;
    const line = `event: payment\ndata: ${JSON.stringify({ id: p.id, kind: p.kind, order_ref: p.order_ref, from: change.from, to: change.to, status: p.status })}\n\n`;
    for (const write of streams.keys()) write(line);
  });
  // Open streams would hold the server open: end them when it closes.
  app.addHook("preClose", async () => {
    for (const end of [...streams.values()]) end();
  });
  app.get("/demo/api/events", async (request, reply) => {
    if (!demoStateOf(ctx)) throw new ApiError(404, "demo_not_set_up", "the demo store runs with `pnpm start`");
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive", "x-accel-buffering": "no" });
    res.write("retry: 2000\n: connected\n\n");
    const write = (line: string) => {
      if (!res.writableEnded) res.write(line);
    };
    const heartbeat = setInterval(() => write(": ping\n\n"), HEARTBEAT_MS);
    heartbeat.unref();
    const end = () => {
      clearInterval(heartbeat);
      streams.delete(write);
      if (!res.writableEnded) res.end();
    };
    streams.set(write, end);
    request.raw.on("close", end);
  });
}
