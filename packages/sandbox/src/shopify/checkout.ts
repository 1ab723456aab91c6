import type { CheckoutMethod } from "./pages";
import { postToApp, type AppAnswer } from "./outbound";
import { randomBase64, randomToken, requestId, type Checkout, type DeployedApp, type DeployedExtension, type FollowUpSessionRecord, type PaymentSessionRecord, type ShopifyState } from "./state";

/** Shopify's limit on the app's redirect_url. */
const REDIRECT_URL_LIMIT = 8192;

/** The payment methods a buyer sees: each extension of an app installed and ready on the shop that takes the checkout's currency. */
export function checkoutMethods(state: ShopifyState, checkout: Checkout): CheckoutMethod[] {
  const methods: CheckoutMethod[] = [];
  for (const installation of state.shop(checkout.shop).installations.values()) {
    const app = state.apps.get(installation.clientId);
    if (!app || !installation.installed || !installation.configuration.ready) continue;
    for (const extension of app.extensions) {
      if (extension.supported_buyer_contexts.some((c) => c.currency === checkout.currency)) methods.push({ app, extension });
    }
  }
  return methods;
}

/** The three headers of every session request (reference §2). */
function sessionHeaders(shop: string, extension: DeployedExtension): Record<string, string> {
  return {
    "content-type": "application/json",
    accept: "application/json",
    "Shopify-Shop-Domain": shop,
    "Shopify-Request-Id": requestId(),
    "Shopify-Api-Version": extension.api_version,
  };
}

/** What happened to one "Pay now". */
export interface PayOutcome {
  session: PaymentSessionRecord;
  /** The app's last HTTP status (0: no answer). */
  status: number;
  redirectUrl?: string;
  attempts: number;
}

/**
 * Sends a request to the app with Shopify's retries: the same body (same id) again after each delay when the app
 * did not answer as `accepted` says, timed out, or its answer is dropped by the `dropSessionResponses` fault.
 */
async function sendWithRetries(
  state: ShopifyState,
  url: string,
  body: string,
  headers: () => Record<string, string>,
  app: DeployedApp,
  sleep: (ms: number) => Promise<void>,
  accepted: (answer: AppAnswer) => boolean,
  onAttempt: () => void,
): Promise<{ answer: AppAnswer; ok: boolean; attempts: number }> {
  const delays = [0, ...state.faults.sessionRetryDelaysMs];
  let answer: AppAnswer = { status: 0, body: "" };
  let attempts = 0;
  for (const delay of delays) {
    if (delay > 0) await sleep(delay);
    attempts += 1;
    onAttempt();
    answer = await postToApp(url, body, headers(), state.faults.sessionTimeoutMs, app.client_certificate);
    if (state.faults.dropSessionResponses > 0) {
      state.faults.dropSessionResponses -= 1;
      continue;
    }
    if (accepted(answer)) return { answer, ok: true, attempts };
  }
  return { answer, ok: false, attempts };
}

/** The buyer clicked "Pay now" with `method`: a new payment session, its request to the app, and where the buyer goes next. */
export async function pay(state: ShopifyState, checkout: Checkout, method: CheckoutMethod, shopOrigin: string, sleep: (ms: number) => Promise<void>): Promise<PayOutcome> {
  const id = randomToken(18);
  const session: PaymentSessionRecord = {
    id,
    gid: `gid://shopify/PaymentSession/${id}`,
    group: checkout.group,
    session_id: randomBase64(),
    shop: checkout.shop,
    clientId: method.app.client_id,
    handle: method.extension.handle,
    checkout: checkout.token,
    amount: checkout.amount,
    currency: checkout.currency,
    test: checkout.test,
    kind: checkout.kind,
    proposed_at: new Date().toISOString(),
    ...(checkout.customer ? { customer: checkout.customer } : {}),
    answered: false,
    state: { code: "REDIRECTING" },
    requests: 0,
    mutations: [],
  };
  state.sessions.set(id, session);
  checkout.sessions.push(id);
  const body = JSON.stringify({
    id: session.id,
    gid: session.gid,
    group: session.group,
    session_id: session.session_id,
    amount: session.amount,
    currency: session.currency,
    test: session.test,
    merchant_locale: "en",
    payment_method: { type: "offsite", data: { cancel_url: `${shopOrigin}/checkouts/cn/${checkout.token}/processing` } },
    proposed_at: session.proposed_at,
    ...(session.customer ? { customer: session.customer } : {}),
    kind: session.kind,
  });
  const sent = await sendWithRetries(
    state,
    method.extension.payment_session_url,
    body,
    () => sessionHeaders(checkout.shop, method.extension),
    method.app,
    sleep,
    (answer) => answer.status >= 200 && answer.status < 300 && redirectUrlOf(answer) !== undefined,
    () => void (session.requests += 1),
  );
  if (!sent.ok) return { session, status: sent.answer.status, attempts: sent.attempts };
  const redirectUrl = redirectUrlOf(sent.answer) as string;
  session.answered = true;
  session.redirectUrl = redirectUrl;
  return { session, status: sent.answer.status, redirectUrl, attempts: sent.attempts };
}

/** The `redirect_url` of a 2xx answer, when it is an absolute URL under Shopify's size limit. */
function redirectUrlOf(answer: AppAnswer): string | undefined {
  try {
    const url = (JSON.parse(answer.body) as { redirect_url?: unknown }).redirect_url;
    return typeof url === "string" && Buffer.byteLength(url) < REDIRECT_URL_LIMIT && URL.canParse(url) ? url : undefined;
  } catch {
    return undefined;
  }
}

const FOLLOW_UP_URL = { refund: "refund_session_url", capture: "capture_session_url", void: "void_session_url" } as const;
const FOLLOW_UP_GID = { refund: "RefundSession", capture: "CaptureSession", void: "VoidSession" } as const;

/**
 * A refund, capture or void session request about a payment session, to the extension's URL; the app must answer
 * 201 Created (empty body), else Shopify retries with the same id. Returns the session, or an error naming the field.
 */
export async function followUp(
  state: ShopifyState,
  kind: FollowUpSessionRecord["kind"],
  payment: PaymentSessionRecord,
  amount: string | undefined,
  sleep: (ms: number) => Promise<void>,
): Promise<FollowUpSessionRecord | string> {
  const app = state.apps.get(payment.clientId);
  const extension = app?.extensions.find((e) => e.handle === payment.handle);
  const url = extension?.[FOLLOW_UP_URL[kind]];
  if (!app || !extension || !url) return `payment_session_id: the extension ${payment.handle} has no ${FOLLOW_UP_URL[kind]}`;
  if (payment.state.code !== "RESOLVED") return `payment_session_id: the payment session ${payment.id} is ${payment.state.code}, not RESOLVED`;
  const id = randomToken(18);
  const record: FollowUpSessionRecord = {
    kind,
    id,
    gid: `gid://shopify/${FOLLOW_UP_GID[kind]}/${id}`,
    shop: payment.shop,
    payment_id: payment.id,
    ...(kind === "void" ? {} : { amount: amount ?? payment.amount, currency: payment.currency }),
    status: 0,
    requests: 0,
    state: null,
    mutations: [],
  };
  state.followUps.set(`${kind}:${id}`, record);
  const body = JSON.stringify({
    id: record.id,
    gid: record.gid,
    payment_id: record.payment_id,
    ...(kind === "void" ? {} : { amount: record.amount, currency: record.currency }),
    test: payment.test,
    merchant_locale: "en",
    proposed_at: new Date().toISOString(),
  });
  const sent = await sendWithRetries(
    state,
    url,
    body,
    () => sessionHeaders(payment.shop, extension),
    app,
    sleep,
    (answer) => answer.status === 201,
    () => void (record.requests += 1),
  );
  record.status = sent.answer.status;
  return record;
}
