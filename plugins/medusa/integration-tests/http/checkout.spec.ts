/**
 * The providers inside a real Medusa 2 server (medusaIntegrationTestRunner: real PostgreSQL, real
 * HTTP), paid through the real xpay-connect sandbox, whose callbacks travel over loopback to
 * Medusa's own /hooks/payment/<provider> route. Nothing is mocked. Medusa processes a webhook 5 s
 * after it arrives (its fixed delay), which sets the pace of these tests.
 */
import { createServer } from "node:net";
import path from "node:path";
import { medusaIntegrationTestRunner } from "@medusajs/test-utils";
import { Money } from "@xpay-connect/core";
import { startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import { checkout, complete, eventually, orderCount, orderOfCart, seedStore, sessionOf, watchWebhooks, type Checkout, type Seed } from "./helpers";

jest.setTimeout(180_000);

let sandbox: SandboxHandle;
let medusaUrl = "";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    }).on("error", reject);
  });
}

async function control(route: string, body: Record<string, unknown> = {}, method = "POST"): Promise<any> {
  const res = await fetch(`${sandbox.url}/_sandbox/${route}`, { method, ...(method === "POST" ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}) });
  if (res.status >= 300) throw new Error(`sandbox ${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

// Runs before the Medusa runner's own beforeAll: medusa-config reads the sandbox URL and the port.
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 11, retryScale: 0.001 });
  const port = await freePort();
  medusaUrl = `http://localhost:${port}`;
  Object.assign(process.env, { PORT: String(port), XPAY_SANDBOX_URL: sandbox.url, MEDUSA_BACKEND_URL: medusaUrl });
  // XPay PK and XPay EG post to the URL set in their dashboards.
  await control("xpay-pk/settings", { webhookUrl: `${medusaUrl}/hooks/payment/xpay-pk_default` });
  await control("xpay-eg/settings", { callbackUrl: `${medusaUrl}/hooks/payment/xpay-eg_default` });
});
afterAll(async () => {
  await sandbox?.close();
});

/** The sandbox's "shopper pays on the hosted page" for a session. */
const pay = (c: Checkout, gateway: string) =>
  control(`${gateway}/orders/${gateway === "xpress-pay" ? c.session.data.merchant_ref : c.session.data.gateway_ref}/approve`, gateway === "xpress-pay" ? { mobile: "03001234567" } : {});

/** Callbacks the sandbox delivered to Medusa for a session (retries included), once none is in flight. */
async function deliveredTo(c: Checkout): Promise<number> {
  await sandbox.callbacks.idle();
  const { deliveries }: { deliveries: Array<{ body: string; url: string; attempts: { status: number | null }[] }> } = await control("callbacks", {}, "GET");
  const refs = [c.session.id, c.session.data.gateway_ref as string];
  return deliveries
    .filter((d) => d.url.startsWith(medusaUrl) && refs.some((r) => d.body.includes(r)))
    .reduce((n, d) => n + d.attempts.filter((a) => a.status === 200).length, 0);
}

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../../app"),
  testSuite: ({ api, getContainer }) => {
    let seed: Seed;
    let webhooks: ReturnType<typeof watchWebhooks>;

    beforeAll(async () => {
      webhooks = watchWebhooks(getContainer());
      seed = await seedStore(api, getContainer());
    });

    /** Waits until every callback the sandbox delivered for the session was judged and its workflow run finished. */
    const settled = async (c: Checkout) => webhooks.settled(c.session.id, await deliveredTo(c));
    const orderPlaced = (c: Checkout) => eventually(() => orderOfCart(getContainer(), api, seed, c.cartId), `the order of cart ${c.cartId}`);

    it("each gateway: the callback places the order and captures the payment; the shopper's return then gets that order", async () => {
      const flows: Array<[string, "pkr" | "egp" | "kgs", string, string | undefined, string]> = [
        ["xpress-pay", "pkr", "pp_xpress-pay_default", "easypaisa", "redirect"],
        ["xpress-pay", "pkr", "pp_xpress-pay_default", "jazzcash", "redirect"],
        ["xpay-pk", "pkr", "pp_xpay-pk_default", undefined, "redirect"],
        ["xpay-eg", "egp", "pp_xpay-eg_default", "card", "iframe"],
        ["xpay-eg", "egp", "pp_xpay-eg_default", "kiosk", "kiosk"],
        ["xpay-kg", "kgs", "pp_xpay-kg_default", undefined, "qr"],
      ];
      await Promise.all(
        flows.map(async ([gateway, currency, provider, method, nextAction]) => {
          const c = await checkout(api, seed, currency, provider, method);
          const total = c.market.total;
          // What the storefront gets: where to send the shopper, public values only.
          expect(c.session.status).toBe("pending");
          expect(c.session.data).toMatchObject({ gateway, merchant_ref: c.session.id, amount: total.format(), currency: currency.toUpperCase() });
          expect(c.session.data.next_action.type).toBe(nextAction);
          expect(JSON.stringify(c.session.data)).not.toMatch(/secret|api_?key|token/i);

          await pay(c, gateway);
          const order = await orderPlaced(c);
          await settled(c);
          expect(order.payment_status).toBe("captured");
          expect(order.payments).toHaveLength(1);
          expect(Money.fromJsonNumber(order.payments[0].amount, currency.toUpperCase()).equals(total)).toBe(true);
          expect(order.payments[0].captured_at).toBeTruthy();
          expect((await sessionOf(getContainer(), c.session.id)).status).toBe("authorized");

          const back = await complete(api, seed, c.cartId);
          expect(back.status).toBe(200);
          expect(back.data).toMatchObject({ type: "order", order: { id: order.id } });
        }),
      );
      expect(await orderCount(getContainer())).toBe(flows.length);
    });

    it("the shopper returns before the callback: one order, and the late callbacks change nothing", async () => {
      await control("callbacks/mode", { gateway: "xpay-kg", mode: "reorder", batch: 100 }); // hold the callback
      try {
        const c = await checkout(api, seed, "kgs", "pp_xpay-kg_default");
        await pay(c, "xpay-kg");
        const placed = await complete(api, seed, c.cartId);
        expect(placed.status).toBe(200);
        expect(placed.data.type).toBe("order");
        await control("callbacks/flush", { gateway: "xpay-kg" });
        const verdicts = await settled(c);
        expect(verdicts.some((l) => l.endsWith("-> captured"))).toBe(true);
        // Nothing left failed: every workflow run the late callbacks started ended without an error.
        expect(webhooks.runs(c.session.id).length).toBeGreaterThan(0);
        expect(webhooks.runs(c.session.id).map((r) => r.error ?? "ok")).toEqual(webhooks.runs(c.session.id).map(() => "ok"));
        const order = await orderOfCart(getContainer(), api, seed, c.cartId);
        expect(order?.id).toBe(placed.data.order.id);
        expect(order?.payments).toHaveLength(1);
        expect(order?.payment_status).toBe("captured");
        expect(await orderCount(getContainer())).toBe(1);
        expect((await sessionOf(getContainer(), c.session.id)).status).toBe("authorized");
      } finally {
        await control("callbacks/mode", { gateway: "xpay-kg", mode: "normal" });
      }
    });

    it("Xpress Pay retries its callback (Medusa does not answer its SUCCESS): still one order, one payment", async () => {
      const c = await checkout(api, seed, "pkr", "pp_xpress-pay_default", "easypaisa");
      await pay(c, "xpress-pay");
      await orderPlaced(c);
      const delivered = await deliveredTo(c);
      expect(delivered).toBeGreaterThan(1); // the first delivery and Xpress Pay's retries all reached Medusa
      await settled(c);
      expect(webhooks.runs(c.session.id).map((r) => r.error ?? "ok")).toEqual(webhooks.runs(c.session.id).map(() => "ok"));
      const order = await orderOfCart(getContainer(), api, seed, c.cartId);
      expect(order?.payments).toHaveLength(1);
      expect(await orderCount(getContainer())).toBe(1);
    });

    it("the shopper returns before paying: 400, then the callback places the order", async () => {
      const c = await checkout(api, seed, "pkr", "pp_xpay-pk_default");
      const early = await complete(api, seed, c.cartId);
      expect(early.status).toBe(400);
      expect(await orderOfCart(getContainer(), api, seed, c.cartId)).toBeUndefined();
      await pay(c, "xpay-pk");
      const order = await orderPlaced(c);
      await settled(c);
      expect(order.payment_status).toBe("captured");
      expect(await orderCount(getContainer())).toBe(1);
    });

    it("XPay EG kiosk: the order is placed with the bill reference, payment awaiting; the kiosk payment's callback captures it", async () => {
      const c = await checkout(api, seed, "egp", "pp_xpay-eg_default", "kiosk");
      expect(c.session.data.next_action).toMatchObject({ type: "kiosk", billReference: expect.any(String) });
      const placed = await complete(api, seed, c.cartId);
      expect(placed.status).toBe(200);
      expect(placed.data.type).toBe("order");
      const awaiting = await orderOfCart(getContainer(), api, seed, c.cartId);
      expect(awaiting).toMatchObject({ id: placed.data.order.id, payment_status: "awaiting", payments: [] });

      await pay(c, "xpay-eg"); // the shopper pays the bill at a kiosk
      const paid = await eventually(async () => {
        const o = await orderOfCart(getContainer(), api, seed, c.cartId);
        return o?.payment_status === "captured" ? o : undefined;
      }, "the kiosk payment captured on the order");
      await settled(c);
      expect(paid.id).toBe(placed.data.order.id);
      expect(paid.payments).toHaveLength(1);
      expect(Money.fromJsonNumber(paid.payments[0].amount, "EGP").equals(c.market.total)).toBe(true);
      expect(await orderCount(getContainer())).toBe(1);
    });

    it("the cart changes after the shopper paid: the paid session is kept, and its callback places the order with that payment", async () => {
      await control("callbacks/mode", { gateway: "xpay-kg", mode: "reorder", batch: 100 }); // hold the callback
      try {
        const c = await checkout(api, seed, "kgs", "pp_xpay-kg_default");
        await pay(c, "xpay-kg");
        // Another tab adds an item: Medusa would delete the payment session; the provider refuses for a paid one.
        const changed = await api.post(`/store/carts/${c.cartId}/line-items`, { variant_id: seed.variant, quantity: 1 }, { ...seed.store, validateStatus: () => true });
        expect(changed.status).not.toBe(200);
        expect((await sessionOf(getContainer(), c.session.id)).data.gateway_ref).toBe(c.session.data.gateway_ref);
        await control("callbacks/flush", { gateway: "xpay-kg" });
        const order = await orderPlaced(c);
        await settled(c);
        expect(order.payments).toHaveLength(1);
        expect(order.payments[0].payment_session_id).toBe(c.session.id);
        expect(Money.fromJsonNumber(order.payments[0].amount, "KGS").equals(c.market.total)).toBe(true);
        expect(order.payments[0].captured_at).toBeTruthy();
        expect(await orderCount(getContainer())).toBe(1);
      } finally {
        await control("callbacks/mode", { gateway: "xpay-kg", mode: "normal" });
      }
    });

    it("declined and canceled payments place no order and leave the session not authorized", async () => {
      const declined = await checkout(api, seed, "pkr", "pp_xpay-pk_default");
      const canceled = await checkout(api, seed, "kgs", "pp_xpay-kg_default");
      await control(`xpay-pk/orders/${declined.session.data.gateway_ref}/decline`);
      await control(`xpay-kg/orders/${canceled.session.data.gateway_ref}/cancel`);
      for (const c of [declined, canceled]) await settled(c);
      expect(webhooks.about(declined.session.id).every((l) => l.endsWith("-> failed"))).toBe(true);
      expect(webhooks.about(canceled.session.id).every((l) => l.endsWith("-> canceled"))).toBe(true);

      for (const [c, status] of [[declined, "error"], [canceled, "canceled"]] as const) {
        const back = await complete(api, seed, c.cartId);
        expect(back.status).toBe(400);
        expect(await orderOfCart(getContainer(), api, seed, c.cartId)).toBeUndefined();
        const session = await sessionOf(getContainer(), c.session.id);
        expect(session.status).toBe(status);
        expect(session.authorized_at ?? null).toBeNull();
      }
      expect(await orderCount(getContainer())).toBe(0);
    });

    it("forged callbacks place no order", async () => {
      const kg = await checkout(api, seed, "kgs", "pp_xpay-kg_default");
      const pk = await checkout(api, seed, "pkr", "pp_xpay-pk_default");
      const kgTotal = kg.market.total.format();
      // xPay KG signs nothing: a body claiming the QR was paid is checked by asking the gateway, which says it was not.
      await api.post("/hooks/payment/xpay-kg_default", { type: "dynamic", qr_transaction_id: kg.session.data.gateway_ref, pay_status: "COMPLETED", payer_id: kg.session.id, request_amount: kgTotal, amount: kgTotal });
      // XPay PK signs its webhooks: a well-formed body with a made-up signature and token is refused.
      const pkMinor = pk.market.total.minor;
      await api.post(
        "/hooks/payment/xpay-pk_default",
        { status: "succeeded", payment_intent_id: pk.session.data.gateway_ref, amount: pkMinor, currency: "PKR", metadata: { order_reference: pk.session.id, callback_token: "guessed" } },
        { headers: { "x-signature": "0".repeat(64) } },
      );
      for (const c of [kg, pk]) {
        const verdicts = await webhooks.settled(c.session.id, 1);
        expect(verdicts.join("\n")).toMatch(/failed verification/);
        expect(webhooks.runs(c.session.id)).toHaveLength(0);
        expect((await complete(api, seed, c.cartId)).status).toBe(400);
        expect(await orderOfCart(getContainer(), api, seed, c.cartId)).toBeUndefined();
      }
      expect(await orderCount(getContainer())).toBe(0);
    });

    it("XPay EG: the admin refunds part of a captured payment through the gateway", async () => {
      const c = await checkout(api, seed, "egp", "pp_xpay-eg_default", "card");
      await pay(c, "xpay-eg");
      const order = await orderPlaced(c);
      await settled(c);
      const payment = order.payments[0];
      const refunded = await api.post(`/admin/payments/${payment.id}/refund`, { amount: 40 }, seed.admin);
      expect(refunded.status).toBe(200);
      const after = await orderOfCart(getContainer(), api, seed, c.cartId);
      expect(after?.payments[0].refunds.map((r: { amount: unknown }) => Number(r.amount))).toEqual([40]);
      const gatewayOrders: { "xpay-eg": unknown[] } = await control("orders?gateway=xpay-eg", {}, "GET");
      const atGateway = JSON.stringify(gatewayOrders["xpay-eg"].find((o) => JSON.stringify(o).includes(c.session.data.gateway_ref)));
      expect(atGateway).toMatch(/refund/i);
      // Over-refunding is refused by Medusa before it reaches the gateway.
      const tooMuch = await api.post(`/admin/payments/${payment.id}/refund`, { amount: 1000 }, { ...seed.admin, validateStatus: () => true });
      expect(tooMuch.status).toBe(400);
    });
  },
});
