import { createHmac, timingSafeEqual } from "node:crypto";
import type { Emulator, EmulatorContext, OrderAction } from "../../emulator";
import { html, json, redirect, type Router, type SandboxRequest, type SandboxResponse } from "../../http";
import { minorToDecimal } from "../../money";
import { decisionForm, escapeHtml, page } from "../../pages";
import { OrderBook, isEmail, isUrl, withQuery } from "../orders";

/** The sandbox test merchant's secret API key (`x-api-key`). Works only against the sandbox. */
export const XPAY_PK_API_KEY = "xpay_sk_test_sandbox_5f0c3a9e1b7d4c28a6e2";
/** The sandbox test merchant's account id (`x-account-id`). */
export const XPAY_PK_ACCOUNT_ID = "0a1b2c3d4e5f6071";
/** The sandbox test merchant's API HMAC secret: `x-signature` = hex HMAC-SHA256(body, this). */
export const XPAY_PK_HMAC_SECRET = "sandbox_api_hmac_7c2e91d04b6a3f58e1d0c9b7";
/** The sandbox test merchant's webhook secret: the webhook's `X-Signature` = hex HMAC-SHA256(raw body, this). */
export const XPAY_PK_WEBHOOK_SECRET = "sandbox_webhook_hmac_3b8f0e6a2d94c71e5f08";

/** Test cards (any future expiry, any 3-digit CVC). Any other number is refused as an invalid card. */
export const XPAY_PK_TEST_CARDS = {
  approve: "4242424242424242",
  decline: "4000000000000002",
  threeDSecure: "4000000000003220",
} as const;

/** The one-time password the 3-D Secure page accepts. */
export const XPAY_PK_TEST_OTP = "123456";

/** Our choice (XPay documents none): retries after the first attempt until a 2xx, spaced 1 min, 5 min, 30 min, 2 h, 6 h. */
export const XPAY_PK_WEBHOOK_RETRY_DELAYS_MS = [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000] as const;

/** pi_status values in which an intent can still take a card. */
const OPEN = new Set(["requires_payment_method", "requires_action"]);

interface Card {
  number: string;
  expiryMonth: string;
  expiryYear: string;
  cvc: string;
  name: string;
}

interface Intent {
  merchantRef: string;
  gatewayRef: string;
  clientSecret: string;
  amountMinor: number;
  currency: string;
  customer: { name: string; email: string; phone: string };
  description: string;
  metadata: Record<string, unknown>;
  captureMethod: "automatic" | "manual";
  returnUrl: string;
  piStatus: string;
  /** The intent was paid with a saved card (tokenized payment). */
  tokenized: boolean;
  /** The token of the card saved on this intent. */
  savedToken: string | null;
  cardLast4: string | null;
  lastPayment: { error: boolean; status: string; message: string; token: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

type Outcome = "invalid" | "declined" | "three_ds" | "approved";

const REASONS: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 409: "Conflict" };

/** The spec's error shape (Invalid Payment Intent, Payment Already Captured) for any refusal. */
function failure(statusCode: number, message: string): SandboxResponse {
  return json(statusCode, { success: false, responseStatus: REASONS[statusCode] ?? "Error", message, error: { message, statusCode } });
}

/** The spec's Invalid Card shape. */
function invalidCard(message: string): SandboxResponse {
  return json(400, { status: 400, message, data: [], success: false });
}

function hmacHex(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload).digest("hex");
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Why a card is refused as invalid, or undefined when it is well formed and unexpired. */
function cardProblem(card: Card): string | undefined {
  if (!/^\d{12,19}$/.test(card.number) || !luhn(card.number)) return "Invalid card number";
  if (!/^(0[1-9]|1[0-2])$/.test(card.expiryMonth) || !/^20\d{2}$/.test(card.expiryYear)) return "Invalid card expiry";
  const now = new Date();
  const expiry = Number(card.expiryYear) * 12 + Number(card.expiryMonth);
  if (expiry < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1) return "Card has expired";
  if (!/^\d{3,4}$/.test(card.cvc)) return "Invalid card CVC";
  if (!card.name.trim()) return "Card holder name is required";
  if (!(Object.values(XPAY_PK_TEST_CARDS) as string[]).includes(card.number)) return "Card not enrolled in the sandbox: use a test card";
  return undefined;
}

/** XPay by XStak, Pakistan (spec 002): payment intents, confirm with 3-D Secure, capture, saved-card payments, hosted checkout, signed webhooks. */
export function createXpayPkEmulator(ctx: EmulatorContext): Emulator {
  const intents = new OrderBook<Intent>();
  /** Saved card tokens -> the card they charge. */
  const tokens = new Map<string, { last4: string }>();
  /** Whether a card waiting on 3-D Secure should be saved once it passes. */
  const pendingSave = new Map<string, boolean>();
  /** Dashboard settings: where webhooks go (unset: none are sent). Kept across resets, like a real account. */
  const settings: { webhookUrl: string | null } = { webhookUrl: null };

  const base = () => `${ctx.origin()}/xpay-pk`;
  const checkoutUrl = (i: Intent) => `${base()}/checkout/${i.gatewayRef}`;
  const threeDSUrl = (i: Intent) => `${base()}/3ds/${i.gatewayRef}`;
  const header = (req: SandboxRequest, name: string): string => {
    const value = req.headers[name];
    return Array.isArray(value) ? (value[0] ?? "") : (value ?? "");
  };

  /** API key and account id on every API call; the body's HMAC on every POST. */
  const authorize = (req: SandboxRequest, signed: boolean): SandboxResponse | undefined => {
    if (!sameText(header(req, "x-api-key"), XPAY_PK_API_KEY)) return failure(401, "Invalid API key");
    if (!sameText(header(req, "x-account-id"), XPAY_PK_ACCOUNT_ID)) return failure(401, "Invalid account id");
    if (signed && !sameText(header(req, "x-signature").toLowerCase(), hmacHex(XPAY_PK_HMAC_SECRET, req.rawBody))) return failure(401, "Invalid signature");
    return undefined;
  };

  const bodyOf = (req: SandboxRequest): Record<string, unknown> | undefined =>
    req.body && typeof req.body === "object" && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : undefined;

  const byClientSecret = (req: SandboxRequest): Intent | undefined => {
    const secret = req.query.pi_client_secret ?? "";
    return intents.all().find((i) => sameText(i.clientSecret, secret));
  };

  /** Validates the fields create and tokenized payment share; the first problem is the answer. */
  const validatePayment = (body: Record<string, unknown>): SandboxResponse | undefined => {
    const customer = (body.customer && typeof body.customer === "object" ? body.customer : {}) as Record<string, unknown>;
    const filled = (v: unknown) => typeof v === "string" && v.trim() !== "";
    const metadata = body.metadata;
    const problems: (string | undefined)[] = [
      Number.isSafeInteger(body.amount) && (body.amount as number) > 0 ? undefined : "amount: must be a positive integer in the smallest currency unit",
      body.currency === "PKR" ? undefined : "currency: must be PKR",
      filled(customer.name) ? undefined : "customer.name: is required",
      isEmail(customer.email) ? undefined : "customer.email: must be an email address",
      filled(customer.phone) ? undefined : "customer.phone: is required",
      body.description === undefined || typeof body.description === "string" ? undefined : "description: must be a string",
      metadata === undefined || (metadata !== null && typeof metadata === "object" && !Array.isArray(metadata)) ? undefined : "metadata: must be an object",
      metadata && typeof metadata === "object" && "order_reference" in metadata && typeof (metadata as Record<string, unknown>).order_reference !== "string"
        ? "metadata.order_reference: must be a string"
        : undefined,
    ];
    const problem = problems.find(Boolean);
    return problem ? failure(400, problem) : undefined;
  };

  const newIntent = (body: Record<string, unknown>, captureMethod: Intent["captureMethod"], returnUrl: string): Intent => {
    const rng = ctx.rng();
    const gatewayRef = `xpay_pi_${rng.chars(24, "0123456789abcdef")}`;
    const customer = body.customer as Record<string, string>;
    const metadata = (body.metadata ?? {}) as Record<string, unknown>;
    const now = new Date().toISOString();
    return intents.add({
      merchantRef: typeof metadata.order_reference === "string" ? metadata.order_reference : "",
      gatewayRef,
      clientSecret: `${gatewayRef}_secret_${rng.chars(24)}`,
      amountMinor: body.amount as number,
      currency: "PKR",
      customer: { name: customer.name ?? "", email: customer.email ?? "", phone: customer.phone ?? "" },
      description: typeof body.description === "string" ? body.description : "",
      metadata: { ...metadata },
      captureMethod,
      returnUrl,
      piStatus: "requires_payment_method",
      tokenized: false,
      savedToken: null,
      cardLast4: null,
      lastPayment: null,
      createdAt: now,
      updatedAt: now,
    });
  };

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
    html_response: i.piStatus === "requires_action" ? threeDSHtml(i) : "",
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
    html_response: i.piStatus === "requires_action" ? threeDSHtml(i) : "",
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

  /** The bank's 3-D Secure challenge as XPay hands it over: a page that sends the shopper to the OTP page. */
  function threeDSHtml(i: Intent): string {
    const url = escapeHtml(threeDSUrl(i));
    return `<!doctype html><html><body><form id="xpay-3ds" method="get" action="${url}"><noscript><button type="submit">Continue to 3-D Secure</button></noscript></form><script>document.getElementById("xpay-3ds").submit()</script></body></html>`;
  }

  /** Posts the webhook to the dashboard URL, signed with the webhook secret, retried until a 2xx. */
  const notify = (i: Intent): void => {
    if (!settings.webhookUrl) return;
    const body = JSON.stringify({ status: i.piStatus, payment_intent_id: i.gatewayRef, amount: i.amountMinor, currency: i.currency, metadata: i.metadata });
    ctx.callbacks.enqueue({
      gateway: "xpay-pk",
      url: settings.webhookUrl,
      body,
      headers: { "content-type": "application/json", "X-Signature": hmacHex(XPAY_PK_WEBHOOK_SECRET, body) },
      acked: (status) => status >= 200 && status < 300,
      retryDelaysMs: XPAY_PK_WEBHOOK_RETRY_DELAYS_MS,
    });
  };

  const setStatus = (i: Intent, piStatus: string): void => {
    i.piStatus = piStatus;
    i.updatedAt = new Date().toISOString();
    if (piStatus !== "requires_action") notify(i);
  };

  /** The card was approved (and 3-D Secure passed): captured now, or authorized for a manual capture. */
  const approve = (i: Intent, save: boolean): void => {
    if (save && !i.savedToken) {
      i.savedToken = `xpay_tok_${ctx.rng().chars(24)}`;
      tokens.set(i.savedToken, { last4: i.cardLast4 ?? "4242" });
    }
    const captured = i.captureMethod === "automatic";
    i.lastPayment = { error: false, status: captured ? "PAYMENT_CAPTURED" : "PAYMENT_AUTHORIZED", message: captured ? "Payment captured successfully" : "Payment authorized", token: i.savedToken };
    setStatus(i, captured ? "succeeded" : "requires_capture");
  };

  const decline = (i: Intent, message: string): void => {
    i.lastPayment = { error: true, status: "PAYMENT_FAILED", message, token: null };
    setStatus(i, "failed");
  };

  /** One card attempt on an open intent, from the API or the hosted page. */
  const attempt = (i: Intent, card: Card, save: boolean): { outcome: Outcome; message: string } => {
    const problem = cardProblem(card);
    if (problem) return { outcome: "invalid", message: problem };
    i.cardLast4 = card.number.slice(-4);
    if (card.number === XPAY_PK_TEST_CARDS.decline) {
      decline(i, "Do not honour");
      return { outcome: "declined", message: "Do not honour" };
    }
    if (card.number === XPAY_PK_TEST_CARDS.threeDSecure) {
      pendingSave.set(i.gatewayRef, save);
      setStatus(i, "requires_action");
      return { outcome: "three_ds", message: "Authentication required" };
    }
    approve(i, save);
    return { outcome: "approved", message: "Approved" };
  };
  /** Why an intent cannot take a card now, in the spec's error shape. */
  const notConfirmable = (i: Intent): SandboxResponse | undefined => {
    if (i.piStatus === "succeeded") return failure(400, "Payment already captured");
    if (!OPEN.has(i.piStatus)) return failure(409, `Payment intent cannot be confirmed: pi_status is ${i.piStatus}`);
    return undefined;
  };

  const cardFrom = (source: Record<string, unknown>): Card => {
    const s = (v: unknown) => (typeof v === "string" ? v.trim() : typeof v === "number" ? String(v) : "");
    return {
      number: s(source.number).replace(/[\s-]/g, ""),
      expiryMonth: s(source.expiry_month).padStart(2, "0"),
      expiryYear: s(source.expiry_year),
      cvc: s(source.cvc),
      name: s(source.name),
    };
  };

  const create = (req: SandboxRequest): SandboxResponse => {
    const denied = authorize(req, true);
    if (denied) return denied;
    const body = bodyOf(req);
    if (!body) return failure(400, "request body must be a JSON object");
    const problem = validatePayment(body);
    if (problem) return problem;
    const types = body.payment_method_types;
    if (!(types === "card" || (Array.isArray(types) && types.includes("card")))) return failure(400, 'payment_method_types: must be "card"');
    if (body.capture_method !== undefined && body.capture_method !== "automatic" && body.capture_method !== "manual") return failure(400, "capture_method: must be automatic or manual");
    if (body.return_url !== undefined && body.return_url !== "" && !isUrl(body.return_url)) return failure(400, "return_url: must be a URL");
    const intent = newIntent(body, (body.capture_method as Intent["captureMethod"] | undefined) ?? "automatic", (body.return_url as string | undefined) ?? "");
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
    const result = attempt(intent, cardFrom(card), body.save_payment_method === true);
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
    intent.lastPayment = { error: false, status: "PAYMENT_CAPTURED", message: "Payment captured successfully", token: intent.savedToken };
    setStatus(intent, "succeeded");
    return ok(capturedJson(intent), "Payment captured successfully");
  };

  const tokenizedPayment = (req: SandboxRequest): SandboxResponse => {
    const denied = authorize(req, true);
    if (denied) return denied;
    const body = bodyOf(req);
    if (!body) return failure(400, "request body must be a JSON object");
    const problem = validatePayment(body);
    if (problem) return problem;
    if (typeof body.token !== "string" || body.token === "") return failure(400, "token: is required");
    const saved = tokens.get(body.token);
    if (!saved) return failure(404, "Token not found");
    const intent = newIntent(body, "automatic", "");
    intent.tokenized = true;
    intent.cardLast4 = saved.last4;
    approve(intent, false);
    return ok(tokenizedJson(intent), "Payment captured successfully");
  };

  const details = (req: SandboxRequest): SandboxResponse => {
    const denied = authorize(req, false);
    if (denied) return denied;
    const intent = intents.byGatewayRef(req.params.piId ?? "");
    return intent ? ok(intentJson(intent), "Payment intent retrieved successfully") : failure(404, "Payment intent not found");
  };

  /** Where the shopper goes when the hosted flow ends: the merchant's return_url, or a result page. */
  const finish = (i: Intent): SandboxResponse => {
    if (i.returnUrl) return redirect(withQuery(i.returnUrl, { payment_intent_id: i.gatewayRef, pi_status: i.piStatus }));
    return resultPage(i);
  };

  const resultPage = (i: Intent): SandboxResponse => {
    const words: Record<string, string> = { succeeded: "paid", requires_capture: "authorized (awaiting capture)", failed: "declined", canceled: "canceled" };
    return html(page("XPay payment", `<p id="result" data-status="${escapeHtml(i.piStatus)}">This payment is ${escapeHtml(words[i.piStatus] ?? i.piStatus)}.</p>`));
  };

  const checkoutPage = (i: Intent, error = ""): SandboxResponse => {
    if (i.piStatus === "requires_action") return redirect(threeDSUrl(i));
    if (!OPEN.has(i.piStatus)) return resultPage(i);
    const field = (id: string, label: string, attrs: string) => `<label for="${id}">${label}</label><input id="${id}" name="${id}" ${attrs} required>`;
    const cards = Object.entries(XPAY_PK_TEST_CARDS)
      .map(([what, number]) => `<tr><td><code>${number}</code></td><td>${what === "threeDSecure" ? "asks for 3-D Secure (OTP " + XPAY_PK_TEST_OTP + ")" : what}</td></tr>`)
      .join("");
    return html(
      page(
        "Pay by card",
        `<p class="amount">${escapeHtml(i.currency)} ${minorToDecimal(i.amountMinor)}</p><p>Order ${escapeHtml(i.merchantRef)}</p>
         ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
         <form method="post" action="/xpay-pk/checkout/${escapeHtml(i.gatewayRef)}">
           ${field("number", "Card number", 'inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242"')}
           ${field("expiry_month", "Expiry month", 'inputmode="numeric" placeholder="12" pattern="0[1-9]|1[0-2]"')}
           ${field("expiry_year", "Expiry year", 'inputmode="numeric" placeholder="2030" pattern="20[0-9]{2}"')}
           ${field("cvc", "CVC", 'inputmode="numeric" placeholder="123" pattern="[0-9]{3,4}"')}
           ${field("name", "Name on card", 'autocomplete="cc-name"')}
           <button type="submit" name="decision" value="pay" class="primary">Pay ${escapeHtml(i.currency)} ${minorToDecimal(i.amountMinor)}</button>
           <button type="submit" name="decision" value="cancel" formnovalidate>Cancel</button>
         </form>
         <h2>Sandbox test cards</h2><table><tr><th>number</th><th>result</th></tr>${cards}</table>`,
      ),
    );
  };

  const threeDSPage = (i: Intent, error = ""): SandboxResponse => {
    if (i.piStatus !== "requires_action") return resultPage(i);
    return html(
      page(
        "3-D Secure verification",
        `<p>Your bank sent a one-time password for ${escapeHtml(i.currency)} ${minorToDecimal(i.amountMinor)} (card ending ${escapeHtml(i.cardLast4 ?? "")}).</p>
         ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
         ${decisionForm(`/xpay-pk/3ds/${i.gatewayRef}`, `<label for="otp">One-time password (sandbox: ${XPAY_PK_TEST_OTP})</label><input id="otp" name="otp" inputmode="numeric" value="">`, [
           { value: "approve", label: "Verify", kind: "primary" },
           { value: "fail", label: "Fail authentication", kind: "danger" },
         ])}`,
      ),
    );
  };

  const notFoundPage = () => html(page("Not found", "<p>No such payment.</p>"), 404);

  return {
    id: "xpay-pk",
    credentials: { apiKey: XPAY_PK_API_KEY, accountId: XPAY_PK_ACCOUNT_ID, hmacSecret: XPAY_PK_HMAC_SECRET, webhookSecret: XPAY_PK_WEBHOOK_SECRET },
    register(router: Router) {
      router.add("POST", "/public/v1/payment/intent", "createIntent", create);
      router.add("GET", "/public/v1/payment/intent/details/:piId", "intentDetails", details);
      router.add("POST", "/public/v1/payment/intent/confirm", "confirmIntent", confirm);
      router.add("POST", "/public/v1/payment/intent/capture", "capture", capture);
      router.add("POST", "/public/v2/payment/intent/tokenized/payment", "tokenizedPayment", tokenizedPayment);
      router.add("GET", "/checkout/:piId", "checkoutPage", (req) => {
        const intent = intents.byGatewayRef(req.params.piId ?? "");
        return intent ? checkoutPage(intent) : notFoundPage();
      });
      router.add("POST", "/checkout/:piId", "checkoutSubmit", (req) => {
        const intent = intents.byGatewayRef(req.params.piId ?? "");
        if (!intent) return notFoundPage();
        if (!OPEN.has(intent.piStatus) || intent.piStatus === "requires_action") return checkoutPage(intent);
        const form = (bodyOf(req) ?? {}) as Record<string, unknown>;
        if (form.decision !== "pay") {
          setStatus(intent, "canceled");
          return finish(intent);
        }
        const result = attempt(intent, cardFrom(form), false);
        if (result.outcome === "invalid") return checkoutPage(intent, result.message);
        if (result.outcome === "three_ds") return redirect(threeDSUrl(intent));
        return finish(intent);
      });
      router.add("GET", "/3ds/:piId", "threeDSPage", (req) => {
        const intent = intents.byGatewayRef(req.params.piId ?? "");
        return intent ? threeDSPage(intent) : notFoundPage();
      });
      router.add("POST", "/3ds/:piId", "threeDSSubmit", (req) => {
        const intent = intents.byGatewayRef(req.params.piId ?? "");
        if (!intent) return notFoundPage();
        if (intent.piStatus !== "requires_action") return resultPage(intent);
        const form = (bodyOf(req) ?? {}) as Record<string, unknown>;
        if (form.decision === "approve") {
          if (String(form.otp ?? "").trim() !== XPAY_PK_TEST_OTP) return threeDSPage(intent, `Wrong one-time password: the sandbox's is ${XPAY_PK_TEST_OTP}.`);
          approve(intent, pendingSave.get(intent.gatewayRef) === true);
        } else {
          decline(intent, "3-D Secure authentication failed");
        }
        pendingSave.delete(intent.gatewayRef);
        return finish(intent);
      });
    },
    act(ref: string, action: OrderAction, options: Record<string, unknown>) {
      const intent = intents.find(ref);
      if (!intent) return json(404, { error: `ref: no xpay-pk payment intent ${ref}` });
      if (action === "expire") return json(400, { error: "action: XPay payment intents do not expire; use cancel" });
      if (!OPEN.has(intent.piStatus)) return json(409, { error: `intent ${intent.gatewayRef} is no longer open (pi_status ${intent.piStatus})` });
      if (action === "approve") {
        intent.cardLast4 ??= XPAY_PK_TEST_CARDS.approve.slice(-4);
        approve(intent, options.saveCard === true);
      } else if (action === "decline") {
        decline(intent, typeof options.message === "string" ? options.message : "Do not honour");
      } else {
        setStatus(intent, "canceled");
      }
      pendingSave.delete(intent.gatewayRef);
      return json(200, { payment_intent_id: intent.gatewayRef, order_reference: intent.merchantRef, pi_status: intent.piStatus, ...(intent.savedToken ? { token: intent.savedToken } : {}) });
    },
    configure(input: Record<string, unknown>) {
      const url = input.webhookUrl;
      if (url !== null && !isUrl(url)) return json(400, { error: "webhookUrl: expected an absolute http(s) URL, or null to stop webhooks" });
      settings.webhookUrl = url;
      return json(200, { webhookUrl: settings.webhookUrl });
    },
    orders: () =>
      intents.all().map((i) => ({
        merchantRef: i.merchantRef,
        gatewayRef: i.gatewayRef,
        clientSecret: i.clientSecret,
        amount: minorToDecimal(i.amountMinor),
        amountMinor: i.amountMinor,
        currency: i.currency,
        piStatus: i.piStatus,
        captureMethod: i.captureMethod,
        tokenized: i.tokenized,
        savedToken: i.savedToken,
        createdAt: i.createdAt,
      })),
    reset() {
      intents.clear();
      tokens.clear();
      pendingSave.clear();
    },
  };
}
