import type { EmulatorContext, EmulatorRoutes, OrderAction } from "../../emulator";
import { json, redirect, type Router, type SandboxRequest, type SandboxResponse } from "../../http";
import { lagQueries, lookedUp } from "../../lag";
import { isUrl, withQuery } from "../../orders";
import { XPAY_PK_ACCOUNT_ID, XPAY_PK_TEST_OTP } from "./merchant";
import { checkoutPage, notFoundPage, resultPage, threeDSHtml, threeDSPage } from "./pages";
import { XpayPkState, isOpen, type Intent } from "./state";
import { authorize, bodyOf, bodyProblem, cardFrom, createIntentBody, failure, invalidCard, tokenizedPaymentBody } from "./validation";

/** XPay by XStak, Pakistan (spec 002): payment intents, confirm with 3-D Secure, capture, saved-card payments, hosted checkout, signed webhooks. */
export function xpayPkRoutes(ctx: EmulatorContext): EmulatorRoutes {
  const state = new XpayPkState(ctx);

  const base = () => `${ctx.origin()}/xpay-pk`;
  const checkoutUrl = (i: Intent) => `${base()}/checkout/${i.gatewayRef}`;
  const threeDSUrl = (i: Intent) => `${base()}/3ds/${i.gatewayRef}`;
  const byClientSecret = (req: SandboxRequest) => state.byClientSecret(req.query.pi_client_secret ?? "");

  /** The full intent object (the spec's "Create PI Success" data). */
  const intentJson = (i: Intent) => ({
    _id: i.gatewayRef,
    pi_client_secret: i.clientSecret,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    amount: i.amountMinor,
    currency: i.currency,
    refund: { refunded_amount: 0, refund_object_id: null },
    object_name: "payment_intent",
    customer: { ...i.customer, vip_customer: false, previous_customer: false },
    description: i.description,
    pi_status: i.piStatus,
    pm_token: "",
    shipping: { address1: "", address2: "", city: "", country: "", firstName: "", lastName: "", phone: "", province: "", zip: "", shipping_method: "" },
    metadata: i.metadata,
    token: i.savedToken,
    capture_method: i.captureMethod,
    return_url: i.returnUrl,
    html_response: i.piStatus === "requires_action" ? threeDSHtml(threeDSUrl(i)) : "",
    bank_response: "",
    last_payment_response: i.lastPayment ?? { token: null },
    encryptionKey: "SANDBOX-ONLY-ENCRYPTION-KEY",
    product: { product_name: "", product_category: "", no_of_items: 0, _id: i.gatewayRef },
    billingAddress: {},
    routing_rules_history: [],
    subscription: {},
    checkout_page_url: checkoutUrl(i),
    dqr_data: {},
  });

  /** The spec's "Confirm PI Requires 3DS" data (also used for an authorized manual intent), plus the challenge in `html_response`. */
  const confirmJson = (i: Intent) => ({
    _id: i.gatewayRef,
    pi_client_secret: i.clientSecret,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    last_update: i.updatedAt,
    amount: i.amountMinor,
    currency: i.currency,
    payment_method_types: ["card"],
    customer: i.customer,
    description: i.description,
    pi_status: i.piStatus,
    pm_token: "",
    html_response: i.piStatus === "requires_action" ? threeDSHtml(threeDSUrl(i)) : "",
  });

  /** The spec's "Tokenized payment Captured" data: the intent, as the spec lists it for this answer. */
  const tokenizedJson = (i: Intent) => {
    const { customer, product: _product, ...full } = intentJson(i);
    return { ...full, last_update: i.updatedAt, payment_method_types: ["card"], customer: { name: customer.name, email: customer.email, phone: customer.phone }, gateway: "bank-alfalah" };
  };

  /** The spec's "Payment Captured" data. */
  const capturedJson = (i: Intent) => ({
    last_payment_response: i.lastPayment,
    error: false,
    status: "PAYMENT_CAPTURED",
    message: "Payment captured successfully",
    token: i.savedToken,
    payment_method_types: ["card"],
    account_id: XPAY_PK_ACCOUNT_ID,
    versionNo: "1",
    token_data: { agreementId: i.savedToken ? `agr_${i.gatewayRef.slice(8, 20)}` : "", traceId: ctx.rng().digits(12) },
  });

  /** The spec's "Payment Fail" answer. */
  const paymentFail = (i: Intent, message: string): SandboxResponse => {
    const cardDetails = i.cardLast4 ? { brand: "VISA", last4: i.cardLast4 } : {};
    return json(400, {
      success: false,
      responseStatus: "Bad Request",
      message: "Payment failed",
      data: {
        last_payment_response: { error: true, status: "PAYMENT_FAILED", message, token: null, card_details: cardDetails },
        error: true,
        status: "PAYMENT_FAILED",
        message,
        token: null,
        card_details: cardDetails,
        account_id: XPAY_PK_ACCOUNT_ID,
        versionNo: "1",
        payment_method_types: "card",
      },
    });
  };

  const ok = (data: unknown, message: string): SandboxResponse => json(200, { success: true, responseStatus: "OK", message, data });

  /** Why an intent cannot take a card now, in the spec's error shape. */
  const notConfirmable = (i: Intent): SandboxResponse | undefined => {
    if (i.piStatus === "succeeded") return failure(400, "Payment already captured");
    if (!isOpen(i)) return failure(409, `Payment intent cannot be confirmed: pi_status is ${i.piStatus}`);
    return undefined;
  };

  const create = (req: SandboxRequest): SandboxResponse => {
    const denied = authorize(req, true);
    if (denied) return denied;
    const body = bodyOf(req);
    if (!body) return failure(400, "request body must be a JSON object");
    const problem = bodyProblem(createIntentBody, body);
    if (problem) return problem;
    const intent = state.newIntent(body, (body.capture_method as Intent["captureMethod"] | undefined) ?? "automatic", (body.return_url as string | undefined) ?? "");
    return ok(intentJson(intent), "Payment intent created successfully");
  };

  const confirm = (req: SandboxRequest): SandboxResponse => {
    const denied = authorize(req, true);
    if (denied) return denied;
    const intent = byClientSecret(req);
    if (!intent) return failure(404, "Payment intent not found");
    const blocked = notConfirmable(intent);
    if (blocked) return blocked;
    const body = bodyOf(req) ?? {};
    const method = (body.payment_method && typeof body.payment_method === "object" ? body.payment_method : {}) as Record<string, unknown>;
    const card = (method.card && typeof method.card === "object" ? method.card : undefined) as Record<string, unknown> | undefined;
    if (!card) return failure(400, "payment_method.card: is required");
    const result = state.attempt(intent, cardFrom(card), body.save_payment_method === true);
    switch (result.outcome) {
      case "invalid":
        return invalidCard(result.message);
      case "declined":
        return paymentFail(intent, result.message);
      case "three_ds":
        return ok(confirmJson(intent), "Authentication required");
      case "approved":
        return intent.piStatus === "succeeded" ? ok(capturedJson(intent), "Payment captured successfully") : ok(confirmJson(intent), "Payment authorized");
    }
  };

  const capture = (req: SandboxRequest): SandboxResponse => {
    const denied = authorize(req, true);
    if (denied) return denied;
    const intent = byClientSecret(req);
    if (!intent) return failure(404, "Payment intent not found");
    if (intent.piStatus === "succeeded") return failure(400, "Payment already captured");
    if (intent.piStatus !== "requires_capture") return failure(409, `Payment intent cannot be captured: pi_status is ${intent.piStatus}`);
    const body = bodyOf(req) ?? {};
    if (body.amount !== undefined && body.amount !== intent.amountMinor) return failure(400, "amount: partial capture is not supported: omit amount to capture in full");
    state.capture(intent);
    return ok(capturedJson(intent), "Payment captured successfully");
  };

  const tokenizedPayment = (req: SandboxRequest): SandboxResponse => {
    const denied = authorize(req, true);
    if (denied) return denied;
    const body = bodyOf(req);
    if (!body) return failure(400, "request body must be a JSON object");
    const problem = bodyProblem(tokenizedPaymentBody, body);
    if (problem) return problem;
    const saved = state.tokens.get(body.token as string);
    if (!saved) return failure(404, "Token not found");
    return ok(tokenizedJson(state.payWithToken(body, saved.last4)), "Payment captured successfully");
  };

  const details = (req: SandboxRequest): SandboxResponse => {
    const denied = authorize(req, false);
    if (denied) return denied;
    const intent = state.intents.byGatewayRef(req.params.piId ?? "");
    if (!intent) return failure(404, "Payment intent not found");
    return ok({ ...intentJson(intent), pi_status: lookedUp(intent.lag, intent.piStatus) }, "Payment intent retrieved successfully");
  };

  /** Where the shopper goes when the hosted flow ends: the merchant's return_url, or a result page. */
  const finish = (i: Intent): SandboxResponse => {
    if (i.returnUrl) return redirect(withQuery(i.returnUrl, { payment_intent_id: i.gatewayRef, pi_status: i.piStatus }));
    return resultPage(i);
  };

  const checkoutSubmit = (req: SandboxRequest): SandboxResponse => {
    const intent = state.intents.byGatewayRef(req.params.piId ?? "");
    if (!intent) return notFoundPage();
    if (!isOpen(intent) || intent.piStatus === "requires_action") return checkoutPage(intent, threeDSUrl(intent));
    const form = bodyOf(req) ?? {};
    if (form.decision !== "pay") {
      state.setStatus(intent, "canceled");
      return finish(intent);
    }
    const result = state.attempt(intent, cardFrom(form), false);
    if (result.outcome === "invalid") return checkoutPage(intent, threeDSUrl(intent), result.message);
    if (result.outcome === "three_ds") return redirect(threeDSUrl(intent));
    return finish(intent);
  };

  const threeDSSubmit = (req: SandboxRequest): SandboxResponse => {
    const intent = state.intents.byGatewayRef(req.params.piId ?? "");
    if (!intent) return notFoundPage();
    if (intent.piStatus !== "requires_action") return resultPage(intent);
    const form = bodyOf(req) ?? {};
    if (form.decision === "approve" && String(form.otp ?? "").trim() !== XPAY_PK_TEST_OTP) {
      return threeDSPage(intent, `Wrong one-time password: the sandbox's is ${XPAY_PK_TEST_OTP}.`);
    }
    state.authenticate(intent, form.decision === "approve");
    return finish(intent);
  };

  return {
    register(router: Router) {
      router.add("POST", "/public/v1/payment/intent", "createIntent", create);
      router.add("GET", "/public/v1/payment/intent/details/:piId", "intentDetails", details);
      router.add("POST", "/public/v1/payment/intent/confirm", "confirmIntent", confirm);
      router.add("POST", "/public/v1/payment/intent/capture", "capture", capture);
      router.add("POST", "/public/v2/payment/intent/tokenized/payment", "tokenizedPayment", tokenizedPayment);
      router.add("GET", "/checkout/:piId", "checkoutPage", (req) => {
        const intent = state.intents.byGatewayRef(req.params.piId ?? "");
        return intent ? checkoutPage(intent, threeDSUrl(intent)) : notFoundPage();
      });
      router.add("POST", "/checkout/:piId", "checkoutSubmit", checkoutSubmit);
      router.add("GET", "/3ds/:piId", "threeDSPage", (req) => {
        const intent = state.intents.byGatewayRef(req.params.piId ?? "");
        return intent ? threeDSPage(intent) : notFoundPage();
      });
      router.add("POST", "/3ds/:piId", "threeDSSubmit", threeDSSubmit);
    },
    act(ref: string, action: OrderAction, options: Record<string, unknown>) {
      const intent = state.intents.find(ref);
      if (!intent) return json(404, { error: `ref: no xpay-pk payment intent ${ref}` });
      if (action === "expire") return json(400, { error: "action: XPay payment intents do not expire; use cancel" });
      if (!isOpen(intent)) return json(409, { error: `intent ${intent.gatewayRef} is no longer open (pi_status ${intent.piStatus})` });
      state.settle(intent, action, options);
      return json(200, { payment_intent_id: intent.gatewayRef, order_reference: intent.merchantRef, pi_status: intent.piStatus, ...(intent.savedToken ? { token: intent.savedToken } : {}) });
    },
    control(ref, action, options) {
      if (action !== "lag") return undefined;
      const intent = state.intents.find(ref);
      if (!intent) return json(404, { error: `ref: no xpay-pk payment intent ${ref}` });
      const queries = lagQueries(options);
      if (typeof queries === "string") return json(400, { error: queries });
      intent.lag = { before: intent.piStatus, queries };
      return json(200, { payment_intent_id: intent.gatewayRef, lag_queries: queries });
    },
    configure(input: Record<string, unknown>) {
      const url = input.webhookUrl;
      if (url !== null && !isUrl(url)) return json(400, { error: "webhookUrl: expected an absolute http(s) URL, or null to stop webhooks" });
      state.settings.webhookUrl = url;
      return json(200, { webhookUrl: state.settings.webhookUrl });
    },
    orders: () => state.orders(),
    reset: () => state.reset(),
    snapshot: () => state.snapshot(),
    restore: (snapshot) => state.restore(snapshot),
  };
}
