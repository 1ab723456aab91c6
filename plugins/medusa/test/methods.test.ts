/**
 * Every provider method and option check, against the real sandbox over loopback HTTP (no mocks).
 * Stands alone: its own sandbox, its own callback recorder, its own providers.
 */
import { MedusaError, PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils";
import {
  configJsonSchema,
  gatewayDefinition,
  CapabilityError, DeclinedError, InvalidInputError, OutcomeUnknownError, PAYMENT_STATUSES, VerificationError, hmacSha256Hex, type PaymentStatus,
} from "@xpay-connect/core";
import {
  type SandboxHandle,
  XPRESS_PAY_APP_ID, XPAY_KG_CLIENT_ID, XPAY_KG_CLIENT_SECRET,
  XPAY_PK_API_KEY, XPAY_PK_ACCOUNT_ID, XPAY_PK_HMAC_SECRET, XPAY_PK_WEBHOOK_SECRET,
  XPAY_EG_API_KEY, XPAY_EG_COMMUNITY_ID, XPAY_EG_VARIABLE_AMOUNT_ID,
} from "@xpay-connect/sandbox";
import {
  XpayEgProviderService, XpayKgProviderService, XpayPkProviderService, XpressPayProviderService, sessionStatusOf, webhookActionOf,
  type XpayEgOptions, type XpayKgOptions, type XpayPkOptions, type XpressPayOptions,
} from "../src";
import { medusaErrorOf } from "../src/base";
import { startHarness, type Harness, type Received } from "./harness";

/* ------------------------------------------------------------------ harness */

let harness: Harness;
let sandbox: SandboxHandle;
let hookUrl = "";
let hooks: Received[] = [];

/** Everything the providers wrote to the logger, every error message thrown at us, every session data we got back. */
const logLines: string[] = [];
const errorMessages: string[] = [];
const outputs: unknown[] = [];

const SECRETS = { XPAY_PK_API_KEY, XPAY_PK_HMAC_SECRET, XPAY_PK_WEBHOOK_SECRET, XPAY_EG_API_KEY, XPAY_KG_CLIENT_SECRET };

beforeAll(async () => {
  harness = await startHarness(11);
  ({ sandbox, hookUrl, hooks } = harness);
});
afterAll(() => harness.close());

afterEach(() => {
  // A fault a test armed and did not use would break the next test: every test consumes its own.
  expect(sandbox.faults.list()).toEqual([]);
});

const control = (path: string, body: Record<string, unknown> = {}) => harness.control(path, body);
const fault = (f: Record<string, unknown>) => control("faults", f);

async function orders(gateway: string): Promise<any[]> {
  const res = await fetch(`${sandbox.url}/_sandbox/orders?gateway=${gateway}`);
  return ((await res.json()) as Record<string, any[]>)[gateway] ?? [];
}
async function orderOf(gateway: string, merchantRef: string): Promise<any> {
  return (await orders(gateway)).find((o) => o.merchantRef === merchantRef);
}

const cradle = {
  logger: {
    info: (m: string) => void logLines.push(m),
    warn: (m: string) => void logLines.push(m),
    error: (m: string) => void logLines.push(m),
  },
};
const common = () => ({ testMode: true, sandboxUrl: sandbox.url });

const make = {
  "xpress-pay": (o: Partial<XpressPayOptions> = {}) =>
    new XpressPayProviderService(cradle, { ...common(), appId: XPRESS_PAY_APP_ID, webhookUrl: `${hookUrl}/xpress-pay_default`, ...o }),
  "xpay-pk": (o: Partial<XpayPkOptions> = {}) =>
    new XpayPkProviderService(cradle, { ...common(), apiKey: XPAY_PK_API_KEY, accountId: XPAY_PK_ACCOUNT_ID, hmacSecret: XPAY_PK_HMAC_SECRET, webhookSecret: XPAY_PK_WEBHOOK_SECRET, ...o }),
  "xpay-eg": (o: Partial<XpayEgOptions> = {}) =>
    new XpayEgProviderService(cradle, { ...common(), apiKey: XPAY_EG_API_KEY, communityId: XPAY_EG_COMMUNITY_ID, variableAmountId: XPAY_EG_VARIABLE_AMOUNT_ID, ...o }),
  "xpay-kg": (o: Partial<XpayKgOptions> = {}) =>
    new XpayKgProviderService(cradle, { ...common(), clientId: XPAY_KG_CLIENT_ID, clientSecret: XPAY_KG_CLIENT_SECRET, webhookUrl: `${hookUrl}/xpay-kg_default`, ...o }),
};
type Gw = keyof typeof make;

const customer = { first_name: "John", last_name: "Doe", email: "john@example.com", phone: "03001234567" };
const G: Record<Gw, { currency: string; amount: string; context: Record<string, unknown> }> = {
  "xpress-pay": { currency: "pkr", amount: "1500.50", context: { customer } },
  "xpay-pk": { currency: "pkr", amount: "2500.00", context: { customer } },
  "xpay-eg": { currency: "egp", amount: "100.00", context: { customer: { ...customer, phone: "+201119045759" } } },
  "xpay-kg": { currency: "kgs", amount: "1234.00", context: { customer } },
};
const ALL = Object.keys(make) as Gw[];

let seq = 0;
/** A fresh Medusa payment session id. */
const sid = (tag: string) => `payses_MT${String(++seq).padStart(4, "0")}${tag.replace(/-/g, "")}`;

/** Keeps what a provider answered (for the secrets check) and gives it back. */
function keep<T>(out: T): T {
  outputs.push(out);
  return out;
}

async function start(gw: Gw, over: { options?: Record<string, unknown>; data?: Record<string, unknown>; context?: Record<string, unknown>; amount?: unknown; currency?: string } = {}) {
  const p: any = (make[gw] as (o: unknown) => unknown)(over.options ?? {});
  const session_id = sid(gw);
  const out = keep(await p.initiatePayment({
    amount: over.amount ?? G[gw].amount,
    currency_code: over.currency ?? G[gw].currency,
    data: { session_id, ...over.data },
    context: over.context ?? G[gw].context,
  }));
  return { p, session_id, out, data: out.data as Record<string, any> };
}

/** Runs `work`, which must fail; records the message; answers the error. */
async function failure(work: Promise<unknown> | (() => unknown)): Promise<any> {
  try {
    await (typeof work === "function" ? work() : work);
  } catch (e) {
    errorMessages.push(String((e as Error)?.message ?? e));
    return e;
  }
  // Not the result itself: it may hold a provider, whose config holds credentials.
  throw new Error("expected a failure, but the call succeeded");
}
function failureSync(work: () => unknown): unknown {
  try {
    work();
  } catch (e) {
    errorMessages.push(String((e as Error)?.message ?? e));
    return e;
  }
  throw new Error("expected a failure, but the call succeeded");
}
function expectMedusa(e: unknown, type: string, ...patterns: (RegExp | string)[]): void {
  expect(e).toBeInstanceOf(MedusaError);
  expect((e as MedusaError).type).toBe(type);
  for (const p of patterns) expect((e as Error).message).toMatch(p);
}

/** The last callback the sandbox delivered for this merchant reference (after every delivery is done). */
async function hookFor(ref: string): Promise<Received> {
  await sandbox.callbacks.idle();
  const found = hooks.filter((h) => h.rawBody.toString().includes(ref));
  expect(found.length).toBeGreaterThan(0);
  return found[found.length - 1] as Received;
}
const payloadOf = (h: Received, raw: Buffer | unknown = h.rawBody, headers: Record<string, unknown> = h.headers) => ({
  data: JSON.parse(h.rawBody.toString()),
  rawData: raw,
  headers,
});
async function settle(gw: Gw, data: Record<string, any>, action: "approve" | "decline" | "cancel" | "expire") {
  return control(`${gw}/orders/${data.gateway_ref}/${action}`, gw === "xpress-pay" && action === "approve" ? { mobile: "03001234567" } : {});
}

/* ------------------------------------------------------------------ 1. mappings */

const SESSION_STATUS: Record<PaymentStatus, PaymentSessionStatus> = {
  pending: PaymentSessionStatus.PENDING,
  requires_action: PaymentSessionStatus.REQUIRES_MORE,
  authorized: PaymentSessionStatus.AUTHORIZED,
  succeeded: PaymentSessionStatus.CAPTURED,
  failed: PaymentSessionStatus.ERROR,
  canceled: PaymentSessionStatus.CANCELED,
  expired: PaymentSessionStatus.ERROR,
  partially_refunded: PaymentSessionStatus.CAPTURED,
  refunded: PaymentSessionStatus.CAPTURED,
  reversed: PaymentSessionStatus.ERROR,
};
const WEBHOOK_ACTION: Record<PaymentStatus, PaymentActions> = {
  pending: PaymentActions.PENDING,
  requires_action: PaymentActions.PENDING,
  authorized: PaymentActions.AUTHORIZED,
  succeeded: PaymentActions.SUCCESSFUL,
  failed: PaymentActions.FAILED,
  canceled: PaymentActions.CANCELED,
  expired: PaymentActions.FAILED,
  partially_refunded: PaymentActions.NOT_SUPPORTED,
  refunded: PaymentActions.NOT_SUPPORTED,
  reversed: PaymentActions.NOT_SUPPORTED,
};

describe("status mappings", () => {
  it("the tables below name every core status", () => {
    expect(Object.keys(SESSION_STATUS).sort()).toEqual([...PAYMENT_STATUSES].sort());
    expect(Object.keys(WEBHOOK_ACTION).sort()).toEqual([...PAYMENT_STATUSES].sort());
  });
  it.each(PAYMENT_STATUSES.map((s) => [s, SESSION_STATUS[s], WEBHOOK_ACTION[s]] as const))(
    "%s -> session %s, webhook %s",
    (status, session, action) => {
      expect(sessionStatusOf(status)).toBe(session);
      expect(webhookActionOf(status)).toBe(action);
    },
  );
});

describe("medusaErrorOf", () => {
  it("InvalidInputError -> INVALID_DATA with the core message", () => {
    const e = new InvalidInputError("customer.email", "an email address", "nope");
    const m = medusaErrorOf(e);
    expectMedusa(m, MedusaError.Types.INVALID_DATA);
    expect((m as Error).message).toBe(e.message);
  });
  it("DeclinedError -> PAYMENT_AUTHORIZATION_ERROR", () => {
    const m = medusaErrorOf(new DeclinedError("xpay-pk: confirm declined: Do not honour", "PAYMENT_FAILED"));
    expectMedusa(m, MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR, /Do not honour/);
  });
  it("OutcomeUnknownError -> UNEXPECTED_STATE that says to retry", () => {
    const m = medusaErrorOf(new OutcomeUnknownError("xpay-kg did not answer POST /x (timed out)", "payses_X"));
    expectMedusa(m, MedusaError.Types.UNEXPECTED_STATE, /did not answer POST \/x/, /outcome unknown/, /retry/);
  });
  it("other core errors -> UNEXPECTED_STATE", () => {
    expectMedusa(medusaErrorOf(new VerificationError("bad", "bad_signature")), MedusaError.Types.UNEXPECTED_STATE, /bad/);
    expectMedusa(medusaErrorOf(new CapabilityError("xpay-pk", "refund")), MedusaError.Types.UNEXPECTED_STATE, /does not support refund/);
  });
  it("a MedusaError and a plain Error pass through unchanged", () => {
    const medusa = new MedusaError(MedusaError.Types.NOT_ALLOWED, "no");
    expect(medusaErrorOf(medusa)).toBe(medusa);
    const plain = new TypeError("boom");
    expect(medusaErrorOf(plain)).toBe(plain);
    expect(medusaErrorOf("text")).toBe("text");
  });
});

/* ------------------------------------------------------------------ 2. validateOptions */

const VALIDATE: Record<Gw, (o: Record<string, unknown>) => void> = {
  "xpress-pay": (o) => XpressPayProviderService.validateOptions(o),
  "xpay-pk": (o) => XpayPkProviderService.validateOptions(o),
  "xpay-eg": (o) => XpayEgProviderService.validateOptions(o),
  "xpay-kg": (o) => XpayKgProviderService.validateOptions(o),
};
const GOOD: Record<Gw, Record<string, unknown>> = {
  "xpress-pay": { testMode: true, appId: "app", webhookUrl: "https://medusa.example/hooks/payment/xpress-pay_default", methods: ["jazzcash"] },
  "xpay-pk": { testMode: true, apiKey: "k", accountId: "a", hmacSecret: "h", webhookSecret: "w" },
  "xpay-eg": { testMode: true, apiKey: "k", communityId: "c", variableAmountId: 4, methods: ["card", "kiosk"], language: "ar" },
  "xpay-kg": { testMode: true, clientId: "c", clientSecret: "s", serviceId: "svc", serviceName: "Shop", webhookUrl: "https://medusa.example/hooks/payment/xpay-kg_default" },
};
function invalidOptions(gw: Gw, options: Record<string, unknown>): MedusaError {
  let thrown: unknown;
  try {
    VALIDATE[gw](options);
  } catch (e) {
    thrown = e;
  }
  expectMedusa(thrown, MedusaError.Types.INVALID_DATA, new RegExp(`^${gw} payment provider options: `));
  errorMessages.push((thrown as Error).message);
  return thrown as MedusaError;
}

describe("validateOptions", () => {
  it.each(ALL)("%s: checks every field of the gateway's config schema in core, so the options cannot drift from it", (gw) => {
    const schema = configJsonSchema(gatewayDefinition(gw));
    const own = Object.keys(schema.properties).filter((k) => k !== "baseUrl" && k !== "timeoutMs" && k !== "feesInBill");
    const message = invalidOptions(gw, Object.fromEntries(Object.keys(GOOD[gw]).filter((k) => k === "testMode" || !own.includes(k)).map((k) => [k, GOOD[gw][k]]))).message;
    for (const key of schema.required.filter((k) => own.includes(k))) expect(message).toMatch(new RegExp(`${key} is required`));
    for (const key of own) {
      if (schema.required.includes(key)) continue;
      // An optional field of the schema is checked too: a value of the wrong type names it.
      expect(invalidOptions(gw, { ...GOOD[gw], [key]: { not: "valid" } }).message).toMatch(new RegExp(`${key} must be`));
    }
  });

  it.each(ALL)("%s: good options pass (sandbox, and a real gateway with every common option)", (gw) => {
    expect(() => VALIDATE[gw](GOOD[gw])).not.toThrow();
    const live = { ...GOOD[gw], testMode: false, baseUrl: "https://gateway.example", timeoutMs: 5000, returnOrigins: ["https://m.shop.example"] };
    expect(() => VALIDATE[gw](gw === "xpay-eg" ? live : { ...live, returnUrl: "https://shop.example/checkout/return" })).not.toThrow();
    expect(() => VALIDATE[gw]({ ...GOOD[gw], sandboxUrl: "http://127.0.0.1:4999" })).not.toThrow();
  });

  const COMMON: [string, Record<string, unknown>, RegExp][] = [
    ["timeoutMs 0", { timeoutMs: 0 }, /timeoutMs must be a positive integer/],
    ["timeoutMs -5", { timeoutMs: -5 }, /timeoutMs must be a positive integer/],
    ["timeoutMs 1.5", { timeoutMs: 1.5 }, /timeoutMs must be a positive integer/],
    ["timeoutMs \"300\"", { timeoutMs: "300" }, /timeoutMs must be a positive integer/],
    ["testMode \"yes\"", { testMode: "yes" }, /testMode must be true or false/],
    ["sandboxUrl not a URL", { sandboxUrl: "127.0.0.1:4010" }, /sandboxUrl must be an absolute http\(s\) URL/],
    ["sandboxUrl ftp", { sandboxUrl: "ftp://127.0.0.1/" }, /sandboxUrl must be an absolute http\(s\) URL/],
    ["baseUrl missing without testMode", { testMode: false }, /baseUrl must be an absolute http\(s\) URL \(the gateway's host; or set testMode: true/],
    ["baseUrl missing, testMode absent", { testMode: undefined }, /baseUrl must be an absolute http\(s\) URL/],
    ["returnUrl relative", { returnUrl: "/checkout/return" }, /returnUrl must be an absolute http\(s\) URL/],
    ["returnOrigins a string", { returnOrigins: "https://shop.example" }, /returnOrigins must be a list of absolute http\(s\) URLs/],
    ["returnOrigins with a non-URL", { returnOrigins: ["https://shop.example", "shop.example"] }, /returnOrigins must be a list of absolute http\(s\) URLs/],
  ];
  describe.each(ALL)("%s names each bad common option", (gw) => {
    it.each(COMMON)("%s", (_name, patch, pattern) => {
      expect(invalidOptions(gw, { ...GOOD[gw], ...patch }).message).toMatch(pattern);
    });
  });

  it("xpress-pay: unknown or empty methods", () => {
    expect(invalidOptions("xpress-pay", { ...GOOD["xpress-pay"], methods: ["easypaisa", "cash"] }).message).toMatch(/methods has unknown method\(s\) cash; allowed: easypaisa, jazzcash/);
    expect(invalidOptions("xpress-pay", { ...GOOD["xpress-pay"], methods: [] }).message).toMatch(/methods must be a non-empty list of easypaisa, jazzcash/);
    expect(invalidOptions("xpress-pay", { ...GOOD["xpress-pay"], methods: "jazzcash" }).message).toMatch(/methods must be a non-empty list/);
  });
  it("xpay-eg: returnUrl is refused as a dashboard setting; language; methods", () => {
    expect(invalidOptions("xpay-eg", { ...GOOD["xpay-eg"], returnUrl: "https://shop.example/return" }).message).toMatch(/returnUrl is a dashboard setting at XPay EG/);
    expect(invalidOptions("xpay-eg", { ...GOOD["xpay-eg"], language: "fr" }).message).toMatch(/language must be one of en, ar/);
    expect(invalidOptions("xpay-eg", { ...GOOD["xpay-eg"], methods: ["card", "meeza"] }).message).toMatch(/methods has unknown method\(s\) meeza; allowed: card, kiosk, fawry, wallet, valu/);
  });
  it("xpay-kg: serviceId and serviceName must be strings", () => {
    expect(invalidOptions("xpay-kg", { ...GOOD["xpay-kg"], serviceId: 42 }).message).toMatch(/serviceId must be a non-empty string/);
    expect(invalidOptions("xpay-kg", { ...GOOD["xpay-kg"], serviceName: ["a"] }).message).toMatch(/serviceName must be a non-empty string/);
  });

  it("lists every problem at once, in one error", () => {
    const xp = invalidOptions("xpress-pay", { testMode: "yes", timeoutMs: 0, returnUrl: "nope", returnOrigins: "x", methods: ["cash"] }).message;
    for (const p of [/testMode must be true or false/, /timeoutMs must be a positive integer/, /returnUrl must be an absolute/, /returnOrigins must be a list/, /appId is required/, /webhookUrl must be an absolute/, /methods has unknown method\(s\) cash/]) {
      expect(xp).toMatch(p);
    }
    const eg = invalidOptions("xpay-eg", { baseUrl: "gateway", apiKey: "k", variableAmountId: 0, language: "de", returnUrl: "https://shop.example/r" }).message;
    for (const p of [/baseUrl must be an absolute/, /communityId is required/, /variableAmountId must be the positive integer id/, /language must be one of en, ar/, /returnUrl is a dashboard setting/]) {
      expect(eg).toMatch(p);
    }
    const kg = invalidOptions("xpay-kg", { testMode: true, sandboxUrl: "nope", timeoutMs: -1, clientId: "c", serviceId: 7, webhookUrl: "x" }).message;
    for (const p of [/sandboxUrl must be an absolute/, /timeoutMs must be a positive integer/, /clientSecret is required/, /serviceId must be a non-empty string/, /webhookUrl must be an absolute/]) {
      expect(kg).toMatch(p);
    }
    const pk = invalidOptions("xpay-pk", { testMode: true, timeoutMs: 2.5, returnOrigins: [1] }).message;
    for (const p of [/timeoutMs/, /returnOrigins/, /apiKey is required/, /accountId is required/, /hmacSecret is required/, /webhookSecret is required/]) {
      expect(pk).toMatch(p);
    }
  });
});

/* ------------------------------------------------------------------ 3. initiatePayment */

describe("initiatePayment", () => {
  it("without a session id (no data.session_id, no idempotency_key) is INVALID_DATA and creates nothing", async () => {
    const before = (await orders("xpress-pay")).length;
    const e = await failure(make["xpress-pay"]().initiatePayment({ amount: "10.00", currency_code: "pkr", data: {}, context: { customer } } as any));
    expectMedusa(e, MedusaError.Types.INVALID_DATA, /session id/);
    expect((await orders("xpress-pay")).length).toBe(before);
  });

  it("falls back to context.idempotency_key; data.session_id wins when both are given", async () => {
    const key = sid("idem");
    const out = keep(await make["xpress-pay"]().initiatePayment({ amount: "10.00", currency_code: "pkr", data: {}, context: { idempotency_key: key, customer } } as any));
    expect(out.data).toMatchObject({ merchant_ref: key });
    expect(await orderOf("xpress-pay", key)).toMatchObject({ merchantRef: key, gatewayRef: out.id });

    const own = sid("own");
    const other = sid("other");
    const both = keep(await make["xpress-pay"]().initiatePayment({ amount: "10.00", currency_code: "pkr", data: { session_id: own }, context: { idempotency_key: other, customer } } as any));
    expect(both.data).toMatchObject({ merchant_ref: own });
    expect(await orderOf("xpress-pay", other)).toBeUndefined();
  });

  it("an amount with more decimals than the currency has is INVALID_DATA naming the amount", async () => {
    for (const amount of ["10.005", 10.005]) {
      const e = await failure(start("xpress-pay", { amount }));
      expectMedusa(e, MedusaError.Types.INVALID_DATA, /^amount: /, /at most 2 decimal places for PKR/, /10\.005/);
    }
  });

  it("an unsupported currency is INVALID_DATA naming amount.currency", async () => {
    expectMedusa(await failure(start("xpress-pay", { currency: "jpy" })), MedusaError.Types.INVALID_DATA, /amount\.currency/, /JPY/);
    expectMedusa(await failure(start("xpress-pay", { currency: "usd" })), MedusaError.Types.INVALID_DATA, /amount\.currency: expected one of PKR/);
    expectMedusa(await failure(start("xpay-eg", { currency: "pkr" })), MedusaError.Types.INVALID_DATA, /amount\.currency: expected one of EGP/);
    expectMedusa(await failure(start("xpay-kg", { currency: "usd" })), MedusaError.Types.INVALID_DATA, /amount\.currency: expected one of KGS/);
  });

  it("the customer comes from context.customer (logged in) over data.customer", async () => {
    const { session_id } = await start("xpress-pay", {
      context: { customer: { first_name: "Jane", last_name: "Roe", email: "jane@example.com", phone: "03001112233" } },
      data: { customer: { name: "Mallory Evil", email: "mallory@example.com", phone: "03009998877" } },
    });
    expect(await orderOf("xpress-pay", session_id)).toMatchObject({ name: "Jane Roe", email: "jane@example.com", mobile: "03001112233" });
  });

  it("a guest's customer comes from data.customer", async () => {
    const { session_id } = await start("xpress-pay", { context: {}, data: { customer: { name: "Guest Shopper", email: "guest@example.com", phone: "03005556677" } } });
    expect(await orderOf("xpress-pay", session_id)).toMatchObject({ name: "Guest Shopper", email: "guest@example.com", mobile: "03005556677" });
  });

  it("a logged-in customer without a name takes it (and the phone) from the billing address", async () => {
    const { session_id } = await start("xpress-pay", {
      context: { customer: { email: "bill@example.com", billing_address: { first_name: "Bill", last_name: "Payer", phone: "03004443322" } } },
    });
    expect(await orderOf("xpress-pay", session_id)).toMatchObject({ name: "Bill Payer", email: "bill@example.com", mobile: "03004443322" });
  });

  it.each([
    ["xpay-pk", "email", { first_name: "John", last_name: "Doe", phone: "03001234567" }, /^customer\.email: /],
    ["xpay-pk", "phone", { first_name: "John", last_name: "Doe", email: "john@example.com" }, /^customer\.phone: /],
    ["xpay-eg", "email", { first_name: "John", last_name: "Doe", phone: "+201119045759" }, /^customer\.email: /],
    ["xpay-eg", "phone", { first_name: "John", last_name: "Doe", email: "john@example.com" }, /^customer\.phone: /],
  ] as const)("%s without the customer's %s is INVALID_DATA naming it, nothing created", async (gw, _field, c, pattern) => {
    const before = (await orders(gw)).length;
    expectMedusa(await failure(start(gw, { context: { customer: c } })), MedusaError.Types.INVALID_DATA, pattern);
    expect((await orders(gw)).length).toBe(before);
  });

  it("data.method outside the store's methods is INVALID_DATA listing the allowed ones", async () => {
    const only = { methods: ["jazzcash"] as ("easypaisa" | "jazzcash")[] };
    expectMedusa(await failure(start("xpress-pay", { options: only, data: { method: "easypaisa" } })), MedusaError.Types.INVALID_DATA, /method must be one of jazzcash \(got "easypaisa"\)/);
    expectMedusa(await failure(start("xpress-pay", { data: { method: "card" } })), MedusaError.Types.INVALID_DATA, /method must be one of easypaisa, jazzcash/);
    expectMedusa(await failure(start("xpay-eg", { data: { method: "kiosk" } })), MedusaError.Types.INVALID_DATA, /xpay-eg: method must be one of card \(got "kiosk"\)/);
    expectMedusa(await failure(start("xpay-kg", { data: { method: "card" } })), MedusaError.Types.INVALID_DATA, /method must be one of qr/);
    // Allowed, and the default is the first allowed one.
    const asked = await start("xpress-pay", { options: only, data: { method: "jazzcash" } });
    expect(await orderOf("xpress-pay", asked.session_id)).toMatchObject({ channel: "JAZZCASH" });
    const dflt = await start("xpress-pay", { options: only });
    expect(dflt.data.method).toBe("jazzcash");
    expect(await orderOf("xpress-pay", dflt.session_id)).toMatchObject({ channel: "JAZZCASH" });
  });

  // What the XPay EG connector answers: an iframe for every method, a kiosk bill reference for kiosk.
  it.each([
    ["card", "iframe", "card"],
    ["kiosk", "kiosk", "kiosk"],
    ["fawry", "iframe", "fawry"],
    ["wallet", "iframe", "meeza/digital"],
    ["valu", "iframe", "valU"],
  ] as const)("xpay-eg method %s -> next action %s (pay_using %s)", async (method, type, payUsing) => {
    const { data, session_id, out } = await start("xpay-eg", { options: { methods: ["card", "kiosk", "fawry", "wallet", "valu"] }, data: { method } });
    expect(out.status).toBe(PaymentSessionStatus.PENDING);
    expect(data.method).toBe(method);
    expect(data.next_action.type).toBe(type);
    expect(data.next_action.url).toContain(`/xpay-eg/core/payment_iframe/${data.gateway_ref}/`);
    const order = await orderOf("xpay-eg", session_id);
    expect(order).toMatchObject({ payUsing, gatewayRef: data.gateway_ref });
    if (type === "kiosk") expect(data.next_action.billReference).toBe(String(order.billReference));
    else expect(data.next_action.billReference).toBeUndefined();
  });
});

/* ------------------------------------------------------------------ 4. return URLs */

describe("return URLs", () => {
  const store = { returnUrl: "https://shop.example/checkout/return", returnOrigins: ["https://m.shop.example"] };

  it("data.return_url on the returnUrl option's origin reaches the gateway", async () => {
    const wanted = "https://shop.example/orders/42/return?step=done";
    const { session_id } = await start("xpress-pay", { options: store, data: { return_url: wanted } });
    expect((await orderOf("xpress-pay", session_id)).returnUrl).toBe(wanted);
  });

  it("an origin listed in returnOrigins is accepted", async () => {
    const { session_id } = await start("xpress-pay", { options: store, data: { return_url: "https://m.shop.example/back" } });
    expect((await orderOf("xpress-pay", session_id)).returnUrl).toBe("https://m.shop.example/back");
  });

  it.each([
    ["another site", "https://evil.example/phish", /return_url must be on one of the store's origins \(https:\/\/shop\.example, https:\/\/m\.shop\.example\); got https:\/\/evil\.example/],
    ["a look-alike host", "https://shop.example.evil.example/", /return_url must be on one of the store's origins/],
    ["another scheme", "http://shop.example/back", /return_url must be on one of the store's origins/],
    ["another port", "https://shop.example:8443/back", /return_url must be on one of the store's origins/],
    ["javascript:", "javascript:alert(1)", /return_url must be on one of the store's origins/],
    ["not a URL", "not a url", /return_url must be an absolute http\(s\) URL \(got "not a url"\)/],
    ["a relative path", "/orders/42", /return_url must be an absolute http\(s\) URL/],
  ])("%s is INVALID_DATA naming return_url, nothing created", async (_what, url, pattern) => {
    const before = (await orders("xpress-pay")).length;
    expectMedusa(await failure(start("xpress-pay", { options: store, data: { return_url: url } })), MedusaError.Types.INVALID_DATA, /^xpress-pay: /, pattern);
    expect((await orders("xpress-pay")).length).toBe(before);
  });

  it("without data.return_url the returnUrl option is sent; without either, none", async () => {
    const withOption = await start("xpress-pay", { options: store });
    expect((await orderOf("xpress-pay", withOption.session_id)).returnUrl).toBe(store.returnUrl);
    const bare = await start("xpress-pay");
    expect((await orderOf("xpress-pay", bare.session_id)).returnUrl).toBeUndefined();
  });

  it("with neither returnUrl nor returnOrigins configured, any data.return_url is refused", async () => {
    expectMedusa(await failure(start("xpress-pay", { data: { return_url: "https://shop.example/x" } })), MedusaError.Types.INVALID_DATA, /none: set the returnUrl or returnOrigins option/);
  });

  it("xpay-kg sends it in the QR request", async () => {
    const { session_id } = await start("xpay-kg", { options: store, data: { return_url: "https://m.shop.example/kg" } });
    expect((await orderOf("xpay-kg", session_id)).returnUrl).toBe("https://m.shop.example/kg");
    const other = await start("xpay-kg", { options: store });
    expect((await orderOf("xpay-kg", other.session_id)).returnUrl).toBe(store.returnUrl);
  });

  it("xpay-pk sends it with the intent: the hosted page sends the shopper back there", async () => {
    const wanted = "https://shop.example/orders/7/return";
    const { data } = await start("xpay-pk", { options: store, data: { return_url: wanted } });
    const res = await fetch(data.next_action.url, { method: "POST", body: "decision=cancel", headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });
    await res.arrayBuffer();
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(new RegExp(`^${wanted.replace(/[.?/]/g, "\\$&")}\\?payment_intent_id=${data.gateway_ref}&pi_status=canceled$`));
  });

  it("xpay-eg ignores data.return_url (a dashboard setting): accepted whatever it is, never sent", async () => {
    const { data, session_id } = await start("xpay-eg", { data: { return_url: "https://evil.example/phish" } });
    expect(JSON.stringify(await orderOf("xpay-eg", session_id))).not.toContain("evil.example");
    // No dashboard redirect URL: the hosted page does not send the shopper anywhere.
    const res = await fetch(data.next_action.url, { method: "POST", body: "decision=cancel", headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });
    expect(await res.text()).not.toContain("evil.example");
    expect(res.status).toBe(200);
    expect(res.headers.get("location")).toBeNull();
    await start("xpay-eg", { data: { return_url: "not a url" } });
  });
});

/* ------------------------------------------------------------------ 5. updatePayment */

describe("updatePayment", () => {
  it.each(ALL)("%s: the same amount returns the session's status and data unchanged, without asking the gateway", async (gw) => {
    const { p, data } = await start(gw);
    const snapshot = JSON.stringify(data);
    await fault({ gateway: gw, kind: "error", status: 503, times: 5 });
    const same = rawValueOf(G[gw].amount);
    const out = keep(await p.updatePayment({ amount: same, currency_code: G[gw].currency.toUpperCase(), data }));
    expect(out.status).toBe(SESSION_STATUS[data.status as PaymentStatus]);
    expect(out.data).toBe(data);
    expect(JSON.stringify(out.data)).toBe(snapshot);
    expect(sandbox.faults.list()).toMatchObject([{ gateway: gw, left: 5 }]);
    sandbox.faults.reset();
  });

  it.each(ALL)("%s: another amount or currency is NOT_ALLOWED", async (gw) => {
    const { p, data } = await start(gw);
    expectMedusa(await failure(p.updatePayment({ amount: "1.00", currency_code: G[gw].currency, data })), MedusaError.Types.NOT_ALLOWED, /cannot change; create a new payment session/);
    const otherCurrency = gw === "xpay-eg" ? "usd" : gw === "xpay-kg" ? "usd" : "egp";
    expectMedusa(await failure(p.updatePayment({ amount: G[gw].amount, currency_code: otherCurrency, data })), MedusaError.Types.NOT_ALLOWED);
  });

  it("session data that is not this provider's is INVALID_DATA", async () => {
    const kg = await start("xpay-kg");
    const xp = make["xpress-pay"]();
    const bad: [string, unknown][] = [
      ["another gateway's", kg.data],
      ["no gateway_ref", { ...kg.data, gateway: "xpress-pay", gateway_ref: undefined }],
      ["no merchant_ref", { ...kg.data, gateway: "xpress-pay", merchant_ref: 5 }],
      ["empty", {}],
      ["missing", undefined],
    ];
    for (const [, data] of bad) {
      expectMedusa(await failure(xp.updatePayment({ amount: "1234.00", currency_code: "kgs", data } as any)), MedusaError.Types.INVALID_DATA, /xpress-pay: the payment session has no xpress-pay payment/);
    }
    // Every method that reads the session data checks it the same way.
    for (const method of ["authorizePayment", "getPaymentStatus", "retrievePayment", "capturePayment"] as const) {
      expectMedusa(await failure((xp as any)[method]({ data: kg.data })), MedusaError.Types.INVALID_DATA, /has no xpress-pay payment/);
    }
    expectMedusa(await failure(make["xpay-eg"]().refundPayment({ amount: "1.00", data: kg.data } as any)), MedusaError.Types.INVALID_DATA, /has no xpay-eg payment/);
  });
});

/** A Medusa BigNumber-like raw value for the same amount (another representation than the string given at initiate). */
function rawValueOf(amount: string): unknown {
  return { value: amount.replace(/\.00$/, ""), precision: 20 };
}

/* ------------------------------------------------------------------ 6. cancel / delete */

describe("cancelPayment / deletePayment", () => {
  it.each(ALL)("%s: cancelPayment answers the data and makes no gateway call", async (gw) => {
    const { p, data, session_id } = await start(gw);
    const before = JSON.stringify(await orderOf(gw, session_id));
    // The next call to this gateway, whatever it is, fails: the calls below must make none.
    await fault({ gateway: gw, kind: "error", status: 503, times: 1 });
    expect(keep(await p.cancelPayment({ data }))).toEqual({ data });
    expect(await p.cancelPayment({})).toEqual({ data: {} });
    expect(await p.deletePayment({})).toEqual({ data: {} }); // not ours: nothing to check
    expect(sandbox.faults.list()).toMatchObject([{ gateway: gw, left: 1 }]);
    expect(JSON.stringify(await orderOf(gw, session_id))).toBe(before);
    // The fault was real: the next call that does reach the gateway (a create: one attempt) fails on it and uses it up.
    const next = { amount: G[gw].amount, currency_code: G[gw].currency, data: { session_id: sid(gw) }, context: G[gw].context };
    expectMedusa(await failure(p.initiatePayment(next)), MedusaError.Types.UNEXPECTED_STATE, /HTTP 503/, /outcome is unknown/);
  });

  it.each(ALL)("%s: deletePayment deletes an unpaid session and refuses a paid one (its callback must find it)", async (gw) => {
    const { p, data, session_id } = await start(gw);
    expect(keep(await p.deletePayment({ data }))).toEqual({ data });
    await control(`${gw}/orders/${gw === "xpress-pay" ? session_id : data.gateway_ref}/approve`, gw === "xpress-pay" ? { mobile: "03001234567" } : {});
    await sandbox.callbacks.idle();
    expectMedusa(await failure(p.deletePayment({ data })), MedusaError.Types.NOT_ALLOWED, new RegExp(`payment ${session_id} is already paid at the gateway`));
  });

  it("deletePayment when the gateway cannot be reached: refuses (the session may be paid), and says so in the log", async () => {
    const { data, session_id } = await start("xpay-kg");
    const unreachable = make["xpay-kg"]({ sandboxUrl: "http://127.0.0.1:9", timeoutMs: 500 });
    expectMedusa(await failure(unreachable.deletePayment({ data })), MedusaError.Types.UNEXPECTED_STATE, new RegExp(`could not check payment ${session_id} at the gateway before deleting its session`), /the session is kept/);
    expect(logLines.some((l) => l.includes(`could not check ${session_id} before deleting its session, kept`))).toBe(true);
  });

  it.each(ALL)("%s: deletePayment when the gateway's lookup fails (HTTP 500): refuses, and a later delete of the unpaid session goes through", async (gw) => {
    const { p, data, session_id } = await start(gw);
    // Enough failures to outlast the connector's bounded retries of a safe lookup.
    await fault({ gateway: gw, kind: "error", status: 500, times: 10 });
    expectMedusa(await failure(p.deletePayment({ data })), MedusaError.Types.UNEXPECTED_STATE, new RegExp(`could not check payment ${session_id}`), /retry once the gateway answers/);
    expect(sandbox.faults.list()[0]?.left).toBeLessThan(10);
    sandbox.faults.reset();
    expect(keep(await p.deletePayment({ data }))).toEqual({ data });
  });
});

/* ------------------------------------------------------------------ 7. capture / status of unpaid, amount mismatch */

const UNPAID: Record<Gw, { status: PaymentStatus; gatewayStatus: string }> = {
  "xpress-pay": { status: "pending", gatewayStatus: "1" },
  "xpay-pk": { status: "pending", gatewayStatus: "requires_payment_method" },
  "xpay-eg": { status: "pending", gatewayStatus: "PENDING" },
  "xpay-kg": { status: "requires_action", gatewayStatus: "ACTIVE" },
};

describe("unpaid payments", () => {
  it.each(ALL)("%s: capture is NOT_ALLOWED; status, retrieve and authorize report it open", async (gw) => {
    const { p, data, session_id } = await start(gw);
    expectMedusa(await failure(p.capturePayment({ data })), MedusaError.Types.NOT_ALLOWED, new RegExp(`payment ${session_id} is ${UNPAID[gw].status} at the gateway, nothing to capture`));
    const status = keep(await p.getPaymentStatus({ data }));
    expect(status.status).toBe(gw === "xpay-kg" ? PaymentSessionStatus.REQUIRES_MORE : PaymentSessionStatus.PENDING);
    expect(status.data).toMatchObject({ status: UNPAID[gw].status, gateway_status: UNPAID[gw].gatewayStatus, gateway_ref: data.gateway_ref });
    expect(keep(await p.retrievePayment({ data })).data).toMatchObject({ status: UNPAID[gw].status, gateway_status: UNPAID[gw].gatewayStatus });
    expect(keep(await p.authorizePayment({ data })).status).toBe(status.status);
  });
});

describe("XPay EG kiosk: the order is placed before the shopper pays", () => {
  it("an unpaid kiosk bill authorizes as pending_authorization (Medusa places the order, payment awaiting); paid, it is captured", async () => {
    const { p, data } = await start("xpay-eg", { options: { methods: ["card", "kiosk"] }, data: { method: "kiosk" } });
    expect(data.next_action.type).toBe("kiosk");
    expect(keep(await p.authorizePayment({ data })).status).toBe(PaymentSessionStatus.PENDING_AUTHORIZATION);
    expect(keep(await p.getPaymentStatus({ data })).status).toBe(PaymentSessionStatus.PENDING); // status itself stays honest
    await control(`xpay-eg/orders/${data.gateway_ref}/approve`);
    expect(keep(await p.authorizePayment({ data })).status).toBe(PaymentSessionStatus.CAPTURED);
  });
  it("a declined kiosk bill is an error, not an awaiting order", async () => {
    const { p, data } = await start("xpay-eg", { options: { methods: ["kiosk"] }, data: { method: "kiosk" } });
    await control(`xpay-eg/orders/${data.gateway_ref}/decline`);
    expect(keep(await p.authorizePayment({ data })).status).toBe(PaymentSessionStatus.ERROR);
  });
  it("kioskOrderBeforePayment: false waits for the payment; cards never place an unpaid order", async () => {
    const late = await start("xpay-eg", { options: { methods: ["kiosk"], kioskOrderBeforePayment: false }, data: { method: "kiosk" } });
    expect(keep(await late.p.authorizePayment({ data: late.data })).status).toBe(PaymentSessionStatus.PENDING);
    const card = await start("xpay-eg", { options: { methods: ["card", "kiosk"] }, data: { method: "card" } });
    expect(keep(await card.p.authorizePayment({ data: card.data })).status).toBe(PaymentSessionStatus.PENDING);
  });
  it("validateOptions: kioskOrderBeforePayment must be a boolean", () => {
    const good = { testMode: true, apiKey: "k", communityId: "c", variableAmountId: 4 };
    expect(() => XpayEgProviderService.validateOptions({ ...good, kioskOrderBeforePayment: false })).not.toThrow();
    expectMedusa(failureSync(() => XpayEgProviderService.validateOptions({ ...good, kioskOrderBeforePayment: "yes" })), MedusaError.Types.INVALID_DATA, /kioskOrderBeforePayment must be true or false/);
  });
});

describe("the gateway's paid amount must be the session's", () => {
  it.each(ALL)("%s: tampered session amount or currency after paying is NOT_ALLOWED", async (gw) => {
    const { p, data, session_id } = await start(gw);
    await settle(gw, data, "approve");
    await hookFor(session_id);
    expect(keep(await p.getPaymentStatus({ data })).status).toBe(PaymentSessionStatus.CAPTURED);
    const tampered = { ...data, amount: "1.00" };
    for (const method of ["getPaymentStatus", "authorizePayment", "retrievePayment", "capturePayment"]) {
      expectMedusa(await failure(p[method]({ data: tampered })), MedusaError.Types.NOT_ALLOWED, new RegExp(`${gw} reports [A-Z]{3} ${data.amount.replace(".", "\\.")} paid for ${session_id}, not ${data.currency} 1\\.00`));
    }
    const otherCurrency = { ...data, currency: data.currency === "USD" ? "EUR" : "USD" };
    // XPay EG's lookup names no currency (its public shape): another currency shows only where it does.
    const named = (on: boolean) => fetch(`${sandbox.url}/_sandbox/xpay-eg/settings`, { method: "POST", body: JSON.stringify({ lookupCurrency: on }), headers: { "content-type": "application/json" } });
    if (gw === "xpay-eg") await named(true);
    try {
      expectMedusa(await failure(p.getPaymentStatus({ data: otherCurrency })), MedusaError.Types.NOT_ALLOWED, /reports/);
    } finally {
      if (gw === "xpay-eg") await named(false);
    }
  });
});

/* ------------------------------------------------------------------ 8. faults */

describe("gateway faults", () => {
  it.each([["xpress-pay", "payInCreate"], ["xpay-pk", "createIntent"]] as const)(
    "%s: a create that times out is UNEXPECTED_STATE naming the session id, outcome unknown",
    async (gw, operation) => {
      await fault({ gateway: gw, operation, kind: "timeout", ms: 3000 });
      const p: any = make[gw]({ timeoutMs: 300 });
      const session_id = sid(`${gw}timeout`);
      const input = { amount: G[gw].amount, currency_code: G[gw].currency, data: { session_id }, context: G[gw].context };
      const started = Date.now();
      const e = await failure(p.initiatePayment(input));
      expect(Date.now() - started).toBeLessThan(2500);
      expectMedusa(e, MedusaError.Types.UNEXPECTED_STATE, new RegExp(session_id), /timed out/, /outcome (is )?unknown/);
      // The gateway did process it: that is why the outcome is unknown, and why the session id is kept.
      expect(await orderOf(gw, session_id)).toBeDefined();
      if (gw === "xpress-pay") {
        // Xpress Pay answers a retry of the same request with the same order.
        const retry = keep(await p.initiatePayment(input));
        expect(retry.id).toBe((await orderOf(gw, session_id)).gatewayRef);
      }
    },
  );

  it.each([["xpay-pk", "intentDetails"], ["xpay-eg", "transactionLookup"], ["xpay-kg", "dynamicStatus"], ["xpress-pay", "payInQuery"]] as const)(
    "%s: a 5xx on the status query is a MedusaError without secrets, not a crash",
    async (gw, operation) => {
      const { p, data } = await start(gw);
      await fault({ gateway: gw, operation, kind: "error", status: 500, times: 3 });
      const e = await failure(p.getPaymentStatus({ data }));
      expectMedusa(e, MedusaError.Types.UNEXPECTED_STATE, /HTTP 500/, /outcome is unknown/);
      for (const s of Object.values(SECRETS)) expect(e.message).not.toContain(s);
      expect(e.message).not.toContain(XPRESS_PAY_APP_ID);
      // Once the gateway is back, the same data works.
      expect(keep(await p.getPaymentStatus({ data })).status).not.toBe(PaymentSessionStatus.ERROR);
    },
  );

  it.each(["xpress-pay", "xpay-eg"] as const)("%s: an expired order's status is ERROR", async (gw) => {
    const { p, data } = await start(gw);
    await settle(gw, data, "expire");
    const out = keep(await p.getPaymentStatus({ data }));
    expect(out.status).toBe(PaymentSessionStatus.ERROR);
    expect(out.data).toMatchObject({ status: "failed" });
  });

  it("xpay-kg: an expired QR is CANCELED at the gateway (it has no expired status)", async () => {
    const { p, data } = await start("xpay-kg");
    await settle("xpay-kg", data, "expire");
    const out = keep(await p.getPaymentStatus({ data }));
    expect(out.status).toBe(PaymentSessionStatus.CANCELED);
    expect(out.data).toMatchObject({ status: "canceled", gateway_status: "CANCELED" });
  });
});

/* ------------------------------------------------------------------ 9. refunds */

describe("refunds", () => {
  it("xpay-eg: two refunds accumulate, the gateway agrees; beyond the paid amount is refused", async () => {
    const { p, data, session_id } = await start("xpay-eg");
    await settle("xpay-eg", data, "approve");
    await hookFor(session_id);
    const first = keep(await p.refundPayment({ amount: "40.00", data }));
    expect(first.data).toMatchObject({ refunded: "40.00", status: "partially_refunded", gateway_status: "PARTIALLY_REFUNDED", amount: "100.00" });
    const second = keep(await p.refundPayment({ amount: 20, data: first.data }));
    expect(second.data).toMatchObject({ refunded: "60.00", status: "partially_refunded" });
    expect(await orderOf("xpay-eg", session_id)).toMatchObject({ refunded: "60.00", status: "PARTIALLY_REFUNDED" });
    // 40.00 is left: 50.00 is refused by the gateway, mapped to a MedusaError; nothing moves.
    const e = await failure(p.refundPayment({ amount: "50.00", data: second.data }));
    expectMedusa(e, MedusaError.Types.INVALID_DATA, /^amount: /, /40\.00/);
    expect(await orderOf("xpay-eg", session_id)).toMatchObject({ refunded: "60.00" });
    // The rest refunds it in full.
    const last = keep(await p.refundPayment({ amount: "40.00", data: second.data }));
    expect(last.data).toMatchObject({ refunded: "100.00", status: "refunded", gateway_status: "REFUNDED" });
    // Still captured for Medusa.
    expect(keep(await p.getPaymentStatus({ data })).status).toBe(PaymentSessionStatus.CAPTURED);
  });

  it("xpay-eg: refunding an unpaid payment is an error from the gateway", async () => {
    const { p, data, session_id } = await start("xpay-eg");
    const e = await failure(p.refundPayment({ amount: "10.00", data }));
    expectMedusa(e, MedusaError.Types.NOT_ALLOWED, /xpay-eg refused the refund: .*Only a SUCCESSFUL transaction can be refunded; this one is PENDING/);
    expect(await orderOf("xpay-eg", session_id)).toMatchObject({ refunded: "0.00", status: "PENDING" });
  });

  it("xpay-eg: session data with a broken refunded total fails before any money moves", async () => {
    const { p, data, session_id } = await start("xpay-eg");
    await control(`xpay-eg/orders/${data.gateway_ref}/approve`);
    await sandbox.callbacks.idle();
    expectMedusa(await failure(p.refundPayment({ amount: "10.00", data: { ...data, refunded: "ten" } })), MedusaError.Types.INVALID_DATA, /refunded "ten"/);
    expect(await orderOf("xpay-eg", session_id)).toMatchObject({ refunded: "0.00", status: "SUCCESSFUL" });
  });

  it("session data with a broken amount or currency is INVALID_DATA for every method that reads it", async () => {
    const { p, data } = await start("xpay-eg");
    for (const broken of [{ ...data, amount: "abc" }, { ...data, currency: "XXX" }]) {
      for (const call of [() => p.getPaymentStatus({ data: broken }), () => p.authorizePayment({ data: broken }), () => p.retrievePayment({ data: broken }), () => p.updatePayment({ amount: "1.00", currency_code: "egp", data: broken } as never)]) {
        expectMedusa(await failure(call()), MedusaError.Types.INVALID_DATA, /the payment session's amount/);
      }
    }
  });

  it("xpay-eg: a refund amount with too many decimals is INVALID_DATA", async () => {
    const { p, data } = await start("xpay-eg");
    expectMedusa(await failure(p.refundPayment({ amount: "1.005", data })), MedusaError.Types.INVALID_DATA, /at most 2 decimal places/);
  });

  it.each(["xpress-pay", "xpay-pk", "xpay-kg"] as const)("%s: refunds are NOT_ALLOWED, no gateway call", async (gw) => {
    const { p, data, session_id } = await start(gw);
    await settle(gw, data, "approve");
    await hookFor(session_id);
    await fault({ gateway: gw, kind: "error", status: 503, times: 1 });
    expectMedusa(await failure(p.refundPayment({ amount: "1.00", data })), MedusaError.Types.NOT_ALLOWED, new RegExp(`^${gw} has no refund API`));
    expect(sandbox.faults.list()).toMatchObject([{ gateway: gw, left: 1 }]);
    sandbox.faults.reset();
  });
});

/* ------------------------------------------------------------------ 10. webhooks */

describe("webhooks", () => {
  it("xpay-eg: a callback whose token custom field was altered or dropped is NOT_SUPPORTED", async () => {
    const { p, data, session_id } = await start("xpay-eg");
    await settle("xpay-eg", data, "approve");
    const hook = await hookFor(session_id);
    const body = JSON.parse(hook.rawBody.toString());
    expect(typeof body.xc_token).toBe("string");
    const altered = Buffer.from(JSON.stringify({ ...body, xc_token: body.xc_token.replace(/^./, (c: string) => (c === "a" ? "b" : "a")) }));
    const dropped = Buffer.from(JSON.stringify({ ...body, xc_token: undefined }));
    const lines = logLines.length;
    expect(await p.getWebhookActionAndData(payloadOf(hook, altered))).toEqual({ action: PaymentActions.NOT_SUPPORTED });
    expect(await p.getWebhookActionAndData(payloadOf(hook, dropped))).toEqual({ action: PaymentActions.NOT_SUPPORTED });
    expect(logLines.slice(lines).join("\n")).toMatch(new RegExp(`xpay-eg webhook for ${session_id} failed verification`));
    // The untouched callback is accepted.
    expect(await p.getWebhookActionAndData(payloadOf(hook))).toEqual({ action: PaymentActions.SUCCESSFUL, data: { session_id, amount: "100.00" } });
  });

  it("xpay-pk: a callback with a wrong or missing x-signature is NOT_SUPPORTED", async () => {
    const { p, data, session_id } = await start("xpay-pk");
    await settle("xpay-pk", data, "approve");
    const hook = await hookFor(session_id);
    expect(hook.headers["x-signature"]).toBeDefined();
    const wrong = { ...hook.headers, "x-signature": hmacSha256Hex("not-the-webhook-secret", hook.rawBody.toString()) };
    const { "x-signature": _dropped, ...unsigned } = hook.headers;
    expect(await p.getWebhookActionAndData(payloadOf(hook, hook.rawBody, wrong))).toEqual({ action: PaymentActions.NOT_SUPPORTED });
    expect(await p.getWebhookActionAndData(payloadOf(hook, hook.rawBody, unsigned))).toEqual({ action: PaymentActions.NOT_SUPPORTED });
    expect(await p.getWebhookActionAndData(payloadOf(hook))).toEqual({ action: PaymentActions.SUCCESSFUL, data: { session_id, amount: "2500.00" } });
  });

  it.each(["xpress-pay", "xpay-kg"] as const)("%s: a callback for a merchant ref that is not a Medusa session is NOT_SUPPORTED", async (gw) => {
    const p: any = make[gw]();
    const ref = `order_${String(++seq).padStart(4, "0")}`;
    const out = keep(await p.initiatePayment({ amount: G[gw].amount, currency_code: G[gw].currency, data: { session_id: ref }, context: G[gw].context }));
    await settle(gw, out.data, "approve");
    const hook = await hookFor(ref);
    expect(await p.getWebhookActionAndData(payloadOf(hook))).toEqual({ action: PaymentActions.NOT_SUPPORTED });
    // The same provider accepts a paid Medusa session's callback.
    const ok = await start(gw);
    await settle(gw, ok.data, "approve");
    expect((await p.getWebhookActionAndData(payloadOf(await hookFor(ok.session_id)))).action).toBe(PaymentActions.SUCCESSFUL);
  });

  it.each(["xpay-pk", "xpay-eg"] as const)("%s: a raw body that went through JSON ({type: \"Buffer\", data}) is read byte for byte", async (gw) => {
    const { p, data, session_id } = await start(gw);
    await settle(gw, data, "approve");
    const hook = await hookFor(session_id);
    const serialised = JSON.parse(JSON.stringify(hook.rawBody));
    expect(serialised).toMatchObject({ type: "Buffer" });
    expect(Array.isArray(serialised.data)).toBe(true);
    expect(await p.getWebhookActionAndData(payloadOf(hook, serialised))).toEqual({ action: PaymentActions.SUCCESSFUL, data: { session_id, amount: data.amount } });
  });

  it("xpay-kg: a canceled QR's callback is CANCELED", async () => {
    const { p, data, session_id } = await start("xpay-kg");
    await settle("xpay-kg", data, "cancel");
    const hook = await hookFor(session_id);
    expect(await p.getWebhookActionAndData(payloadOf(hook))).toEqual({ action: PaymentActions.CANCELED, data: { session_id, amount: "1234.00" } });
  });

  it("xpay-kg: an expired QR's callback is CANCELED too (the gateway reports expiry as CANCELED)", async () => {
    const { p, data, session_id } = await start("xpay-kg");
    await settle("xpay-kg", data, "expire");
    const hook = await hookFor(session_id);
    expect(JSON.parse(hook.rawBody.toString())).toMatchObject({ pay_status: "CANCELED" });
    expect((await p.getWebhookActionAndData(payloadOf(hook))).action).toBe(PaymentActions.CANCELED);
  });

  it.each(["xpress-pay", "xpay-eg"] as const)("%s: an expired order's callback is FAILED", async (gw) => {
    const { p, data, session_id } = await start(gw);
    await settle(gw, data, "expire");
    const hook = await hookFor(session_id);
    expect(await p.getWebhookActionAndData(payloadOf(hook))).toEqual({ action: PaymentActions.FAILED, data: { session_id, amount: data.amount } });
  });
});

/* ------------------------------------------------------------------ 11. secrets (runs last: checks what every test above produced) */

describe("secrets", () => {
  it("never appear in log lines, error messages or session data", () => {
    // The tests above produced all three: an empty list would prove nothing.
    expect(logLines.length).toBeGreaterThan(5);
    expect(logLines.some((l) => / webhook for payses_\w+ verified: /.test(l))).toBe(true);
    expect(logLines.some((l) => / webhook for payses_\w+ failed verification: /.test(l))).toBe(true);
    expect(errorMessages.length).toBeGreaterThan(50);
    expect(outputs.length).toBeGreaterThan(50);
    const texts = { log: logLines.join("\n"), errors: errorMessages.join("\n"), data: JSON.stringify(outputs) };
    for (const [where, text] of Object.entries(texts)) {
      for (const [name, secret] of Object.entries(SECRETS)) {
        if (text.includes(secret)) throw new Error(`${name} appears in the ${where}`);
      }
    }
    // Nor the per-payment callback tokens derived from them (they would let a browser forge a callback).
    const refs = new Set(outputs.map((o: any) => o?.data?.merchant_ref).filter((r): r is string => typeof r === "string"));
    expect(refs.size).toBeGreaterThan(20);
    for (const ref of refs) {
      for (const key of [XPAY_PK_WEBHOOK_SECRET, XPAY_EG_API_KEY]) {
        expect(texts.data).not.toContain(hmacSha256Hex(key, `medusa-callback:${ref}`));
        expect(texts.log).not.toContain(hmacSha256Hex(key, `medusa-callback:${ref}`));
      }
    }
  });
});
