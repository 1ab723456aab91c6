import type { Emulator, EmulatorContext, OrderAction } from "../../emulator";
import { json, redirect, type Router, type SandboxRequest, type SandboxResponse } from "../../http";
import { minorToDecimal, minorToNumber } from "../../money";
import { isUrl, withQuery } from "../orders";
import { expiryValid, iframePage, luhnValid, missingPage, XPAY_EG_TEST_CARDS } from "./pages";
import { FieldErrors, envelope, validatePay, validatePrepare, validateRefund, type PayRequest, type PayUsing } from "./validation";

export { XPAY_EG_TEST_CARDS } from "./pages";

/** The test community's API key (sent as `x-api-key`); public: it only works against the sandbox. */
export const XPAY_EG_API_KEY = "xpay_eg_sandbox_key_7c1e4a9b2d5f8e03";
/** The test community: the spec's own example community id. */
export const XPAY_EG_COMMUNITY_ID = "zogDmQW";
/** The test community's API payment (`variable_amount_id`), as in the spec's EGP example. */
export const XPAY_EG_VARIABLE_AMOUNT_ID = 4;

/** Every community the sandbox knows: the test community, and community "1" of the spec's kiosk example. */
export const XPAY_EG_COMMUNITIES: readonly { communityId: string; apiKey: string; variableAmountIds: readonly number[] }[] = [
  { communityId: XPAY_EG_COMMUNITY_ID, apiKey: XPAY_EG_API_KEY, variableAmountIds: [4, 25] },
  { communityId: "1", apiKey: "xpay_eg_sandbox_key_community_1_5a0d", variableAmountIds: [4] },
];

/**
 * Assumption (the spec is silent): XPay retries a callback answered with anything but a 2xx (anchors:
 * plugins answer 4xx to be retried) 5 times, after 10 s, 1 min, 5 min, 10 min and 15 min.
 */
export const XPAY_EG_RETRY_DELAYS_MS = [10_000, 60_000, 300_000, 600_000, 900_000] as const;

/**
 * Assumption: the sandbox community's fees, chosen so that the spec's two examples come out exactly:
 * EGP 2.72% + 2.00 (50 -> 53.36), other currencies 2.70% (USD 10 -> 10.27); rounded to the piaster.
 */
export const XPAY_EG_FEES = { EGP: { basisPoints: 272, fixedMinor: 200 }, other: { basisPoints: 270, fixedMinor: 0 } } as const;

type Status = "PENDING" | "SUCCESSFUL" | "FAILED" | "PARTIALLY_REFUNDED" | "REFUNDED";

interface Transaction {
  id: number;
  uuid: string;
  communityId: string;
  variableAmountId: number;
  /** The `merchant_ref` custom field (xpay-connect's convention), for the control API and `/_sandbox/orders` only. */
  merchantRef: string;
  amountMinor: number;
  originalMinor: number;
  currency: string;
  payUsing: PayUsing;
  billing: PayRequest["billing"];
  language?: string;
  membershipId?: string;
  recurring?: PayRequest["recurring"];
  customFields: PayRequest["customFields"];
  billReference?: number;
  status: Status;
  /** What closed it: the shopper's or the kiosk's decision. */
  closedBy?: OrderAction;
  refundedMinor: number;
  created: string;
}

interface Dashboard {
  callbackUrl?: string;
  redirectUrl?: string;
}

/** The total with the community's fees (integer arithmetic, half up). */
function withFees(amountMinor: number, currency: string): number {
  const fee = currency === "EGP" ? XPAY_EG_FEES.EGP : XPAY_EG_FEES.other;
  return amountMinor + Math.floor((amountMinor * fee.basisPoints + 5_000) / 10_000) + fee.fixedMinor;
}

const STATUS_OF: Record<OrderAction, Status> = { approve: "SUCCESSFUL", decline: "FAILED", cancel: "FAILED", expire: "FAILED" };

/**
 * XPay Egypt (spec 003 + anchors): prepare-amount, pay/variable-amount (card, kiosk, fawry, meeza/digital,
 * valU), transaction lookup, refunds, hosted iframe pages, callbacks and the redirect to the dashboard URLs.
 */
export function createXpayEgEmulator(ctx: EmulatorContext): Emulator {
  const transactions = new Map<string, Transaction>();
  const dashboards = new Map<string, Dashboard>();
  let nextId = 1000;

  /** The community the `x-api-key` header belongs to, or XPay's refusal. */
  const authenticate = (req: SandboxRequest): (typeof XPAY_EG_COMMUNITIES)[number] | SandboxResponse => {
    const key = req.headers["x-api-key"];
    if (typeof key !== "string" || key === "") return envelope(401, "Authentication credentials were not provided.", null);
    return XPAY_EG_COMMUNITIES.find((c) => c.apiKey === key) ?? envelope(401, "Invalid API key.", null);
  };
  const isResponse = (v: unknown): v is SandboxResponse => !!v && typeof v === "object" && "status" in v && "body" in v;
  const forbidden = (communityId: unknown) => envelope(403, `This API key does not belong to community ${JSON.stringify(communityId)}.`, null);
  const bodyOf = (req: SandboxRequest): Record<string, unknown> | undefined =>
    req.body && typeof req.body === "object" && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : undefined;
  const notObject = () => envelope(400, "Invalid data. Expected a dictionary.", null, [{ non_field_errors: ["Invalid data. Expected a dictionary."] }]);

  const iframeUrl = (tx: Transaction) => `${ctx.origin()}/xpay-eg/core/payment_iframe/${tx.uuid}/`;

  const pay = (req: SandboxRequest): SandboxResponse => {
    const community = authenticate(req);
    if (isResponse(community)) return community;
    const body = bodyOf(req);
    if (!body) return notObject();
    if (typeof body.community_id === "string" && body.community_id !== community.communityId) return forbidden(body.community_id);
    const valid = validatePay(body);
    if (valid instanceof FieldErrors) return valid.answer();
    if (!community.variableAmountIds.includes(valid.variableAmountId)) {
      const errors = new FieldErrors();
      errors.add(["variable_amount_id"], `Invalid pk "${valid.variableAmountId}" - object does not exist.`);
      return errors.answer();
    }
    const rng = ctx.rng();
    const tx: Transaction = {
      id: nextId++,
      uuid: rng.uuid(),
      communityId: valid.communityId,
      variableAmountId: valid.variableAmountId,
      merchantRef: String(valid.customFields.find((f) => f.field_label === "merchant_ref")?.field_value ?? ""),
      amountMinor: valid.amountMinor,
      originalMinor: valid.originalMinor,
      currency: valid.currency,
      payUsing: valid.payUsing,
      billing: valid.billing,
      ...(valid.language ? { language: valid.language } : {}),
      ...(valid.membershipId ? { membershipId: valid.membershipId } : {}),
      ...(valid.recurring ? { recurring: valid.recurring } : {}),
      customFields: valid.customFields,
      ...(valid.payUsing === "kiosk" ? { billReference: Number(`${1 + rng.int(9)}${rng.digits(8)}`) } : {}),
      status: "PENDING",
      refundedMinor: 0,
      created: new Date().toISOString(),
    };
    transactions.set(tx.uuid, tx);
    const data: Record<string, unknown> = { iframe_url: iframeUrl(tx), transaction_id: tx.id, transaction_status: tx.status, transaction_uuid: tx.uuid };
    if (tx.billReference !== undefined) {
      data.message = `Pay EGP ${minorToDecimal(tx.amountMinor)} at any Aman kiosk with bill reference ${tx.billReference}.`;
      data.bill_refrence = tx.billReference;
    }
    return envelope(200, "success", data);
  };

  const prepare = (req: SandboxRequest): SandboxResponse => {
    const community = authenticate(req);
    if (isResponse(community)) return community;
    const body = bodyOf(req);
    if (!body) return notObject();
    if (typeof body.community_id === "string" && body.community_id !== community.communityId) return forbidden(body.community_id);
    const valid = validatePrepare(body);
    if (valid instanceof FieldErrors) return valid.answer();
    return envelope(200, "success", { total_amount: minorToNumber(withFees(valid.amountMinor, valid.currency)) });
  };

  const lookup = (req: SandboxRequest): SandboxResponse => {
    const community = authenticate(req);
    if (isResponse(community)) return community;
    if (req.params.community_id !== community.communityId) return forbidden(req.params.community_id);
    const tx = transactions.get(req.params.uuid as string);
    if (!tx || tx.communityId !== community.communityId) return envelope(404, "Not found.", null);
    return envelope(200, "success", {
      created: tx.created,
      id: tx.id,
      uuid: tx.uuid,
      member_id: tx.membershipId ?? null,
      total_amount: minorToNumber(tx.amountMinor),
      total_amount_currency: tx.currency,
      total_amount_piasters: tx.amountMinor,
      payment_for: `API payment #${tx.variableAmountId}`,
      quantity: 1,
      pay_using: tx.payUsing,
      status: tx.status,
      custom_fields_json: JSON.stringify(tx.customFields),
    });
  };

  const refund = (req: SandboxRequest): SandboxResponse => {
    const community = authenticate(req);
    if (isResponse(community)) return community;
    const body = bodyOf(req);
    if (!body) return notObject();
    const valid = validateRefund(body);
    if (valid instanceof FieldErrors) return valid.answer();
    const tx = transactions.get(valid.uuid);
    if (!tx || tx.communityId !== community.communityId) return envelope(404, "Transaction not found.", null);
    if (tx.status !== "SUCCESSFUL" && tx.status !== "PARTIALLY_REFUNDED") {
      return envelope(400, `Only a SUCCESSFUL transaction can be refunded; this one is ${tx.status}.`, null);
    }
    const left = tx.amountMinor - tx.refundedMinor;
    if (valid.amountMinor > left) {
      const errors = new FieldErrors();
      errors.add(["refund_amount"], `Ensure this value is less than or equal to ${minorToDecimal(left)} (the amount not yet refunded).`);
      return errors.answer();
    }
    tx.refundedMinor += valid.amountMinor;
    tx.status = tx.refundedMinor === tx.amountMinor ? "REFUNDED" : "PARTIALLY_REFUNDED";
    return envelope(200, "success", {
      transaction_uuid: tx.uuid,
      transaction_status: tx.status,
      refund_amount: minorToNumber(valid.amountMinor),
      total_refunded_amount: minorToNumber(tx.refundedMinor),
    });
  };

  /** The callback body of the spec's examples: member_id, each custom field as a key, then XPay's fields. */
  const callbackBody = (tx: Transaction): Record<string, unknown> => {
    const body: Record<string, unknown> = { member_id: tx.membershipId ?? null };
    for (const f of tx.customFields) body[f.field_label] = f.field_value;
    return Object.assign(body, {
      total_amount: minorToNumber(tx.amountMinor),
      transaction_id: tx.uuid,
      transaction_uuid: tx.uuid,
      transaction_status: tx.status,
      total_amount_piasters: tx.amountMinor,
    });
  };

  const settle = (tx: Transaction, action: OrderAction): SandboxResponse => {
    if (tx.status !== "PENDING") return json(409, { error: `transaction ${tx.uuid} is already ${tx.status}` });
    tx.status = STATUS_OF[action];
    tx.closedBy = action;
    const url = dashboards.get(tx.communityId)?.callbackUrl;
    // No callback URL in the dashboard, no callback: as at XPay.
    if (url) {
      ctx.callbacks.enqueue({
        gateway: "xpay-eg",
        url,
        body: JSON.stringify(callbackBody(tx)),
        headers: { "content-type": "application/json" },
        acked: (status) => status >= 200 && status < 300,
        retryDelaysMs: XPAY_EG_RETRY_DELAYS_MS,
      });
    }
    return json(200, { transaction_uuid: tx.uuid, transaction_status: tx.status });
  };

  /** After the hosted page: the dashboard's redirect URL with the spec's query, or a result page. */
  const finish = (tx: Transaction): SandboxResponse => {
    const url = dashboards.get(tx.communityId)?.redirectUrl;
    if (!url) return iframePage(view(tx), iframeUrl(tx));
    return redirect(withQuery(url, { amount_piasters: tx.amountMinor, amount: String(minorToNumber(tx.amountMinor)), transaction_uuid: tx.uuid, transaction_status: tx.status }));
  };

  const view = (tx: Transaction) => ({
    uuid: tx.uuid,
    amountMinor: tx.amountMinor,
    currency: tx.currency,
    payUsing: tx.payUsing,
    status: tx.status,
    billingName: tx.billing.name,
    ...(tx.billReference !== undefined ? { billReference: tx.billReference } : {}),
  });

  const submit = (req: SandboxRequest): SandboxResponse => {
    const tx = transactions.get(req.params.uuid as string);
    if (!tx) return missingPage();
    if (tx.status !== "PENDING") return iframePage(view(tx), iframeUrl(tx));
    const form = (req.body && typeof req.body === "object" ? req.body : {}) as Record<string, string>;
    const decision = form.decision ?? "";
    const allowed: Record<PayUsing, readonly string[]> = {
      card: ["pay", "cancel"],
      kiosk: ["approve", "expire"],
      fawry: ["approve", "decline", "cancel"],
      "meeza/digital": ["approve", "decline", "cancel"],
      valU: ["approve", "decline", "cancel"],
    };
    if (!allowed[tx.payUsing].includes(decision)) return iframePage(view(tx), iframeUrl(tx), "Choose one of the buttons.");
    let action: OrderAction;
    if (decision === "pay") {
      const card = (form.card_number ?? "").replace(/[\s-]/g, "");
      if (!luhnValid(card)) return iframePage(view(tx), iframeUrl(tx), "Enter a valid card number.");
      if (!expiryValid((form.expiry ?? "").trim())) return iframePage(view(tx), iframeUrl(tx), "Enter an expiry date MM/YY that is not in the past.");
      if (!/^\d{3}$/.test((form.cvv ?? "").trim())) return iframePage(view(tx), iframeUrl(tx), "Enter the 3-digit CVV.");
      action = card === XPAY_EG_TEST_CARDS.declined ? "decline" : "approve";
    } else {
      action = decision as OrderAction;
    }
    settle(tx, action);
    return finish(tx);
  };

  const find = (ref: string): Transaction | undefined =>
    transactions.get(ref) ?? [...transactions.values()].reverse().find((t) => t.merchantRef === ref && t.merchantRef !== "");

  return {
    id: "xpay-eg",
    credentials: { apiKey: XPAY_EG_API_KEY, communityId: XPAY_EG_COMMUNITY_ID, variableAmountId: XPAY_EG_VARIABLE_AMOUNT_ID },
    register(router: Router) {
      router.add("POST", "/api/v1/payments/prepare-amount", "prepareAmount", prepare);
      router.add("POST", "/api/v1/payments/pay/variable-amount", "payVariableAmount", pay);
      router.add("GET", "/api/v1/communities/:community_id/transactions/:uuid", "transactionLookup", lookup);
      router.add("POST", "/api/payments/refund-transaction", "refundTransaction", refund);
      router.add("GET", "/core/payment_iframe/:uuid", "iframePage", (req) => {
        const tx = transactions.get(req.params.uuid as string);
        return tx ? iframePage(view(tx), iframeUrl(tx)) : missingPage();
      });
      router.add("POST", "/core/payment_iframe/:uuid", "iframeSubmit", submit);
    },
    act(ref, action) {
      const tx = find(ref);
      if (!tx) return json(404, { error: `ref: no xpay-eg transaction ${ref}` });
      return settle(tx, action);
    },
    configure(settings) {
      const communityId = settings.communityId === undefined ? XPAY_EG_COMMUNITY_ID : settings.communityId;
      if (!XPAY_EG_COMMUNITIES.some((c) => c.communityId === communityId)) {
        return json(400, { error: `communityId: expected one of ${XPAY_EG_COMMUNITIES.map((c) => c.communityId).join(", ")}` });
      }
      const current = dashboards.get(communityId as string) ?? {};
      const next: Dashboard = { ...current };
      for (const key of ["callbackUrl", "redirectUrl"] as const) {
        const value = settings[key];
        if (value === undefined) continue;
        if (value === null || value === "") delete next[key];
        else if (isUrl(value)) next[key] = value;
        else return json(400, { error: `${key}: expected an absolute http(s) URL, or null to clear it` });
      }
      dashboards.set(communityId as string, next);
      return json(200, { communityId, callbackUrl: next.callbackUrl ?? null, redirectUrl: next.redirectUrl ?? null });
    },
    orders: () =>
      [...transactions.values()].map((t) => ({
        merchantRef: t.merchantRef,
        gatewayRef: t.uuid,
        transactionId: t.id,
        communityId: t.communityId,
        payUsing: t.payUsing,
        amount: minorToDecimal(t.amountMinor),
        originalAmount: minorToDecimal(t.originalMinor),
        currency: t.currency,
        status: t.status,
        refunded: minorToDecimal(t.refundedMinor),
        ...(t.billReference !== undefined ? { billReference: t.billReference } : {}),
        ...(t.closedBy ? { closedBy: t.closedBy } : {}),
        ...(t.recurring ? { recurring: t.recurring } : {}),
        customFields: t.customFields,
        created: t.created,
      })),
    reset() {
      transactions.clear();
      dashboards.clear();
      nextId = 1000;
    },
  };
}
