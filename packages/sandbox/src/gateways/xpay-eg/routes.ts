import type { EmulatorContext, EmulatorRoutes, OrderAction } from "../../emulator";
import { json, redirect, type Router, type SandboxRequest, type SandboxResponse } from "../../http";
import { minorToDecimal, minorToNumber } from "../../money";
import { lagQueries, lookedUp } from "../../lag";
import { isUrl, withQuery } from "../../orders";
import { XPAY_EG_COMMUNITIES, XPAY_EG_COMMUNITY_ID, XPAY_EG_TEST_CARDS } from "./merchant";
import { iframePage, missingPage } from "./pages";
import { XpayEgState, withFees, type Dashboard, type Transaction } from "./state";
import { FieldErrors, cardFormProblem, envelope, validatePay, validatePrepare, validateRefund, type PayUsing } from "./validation";

/**
 * XPay Egypt (spec 003 + anchors): prepare-amount, pay/variable-amount (card, kiosk, fawry, meeza/digital,
 * valU), transaction lookup, refunds, hosted iframe pages, callbacks and the redirect to the dashboard URLs.
 */
export function xpayEgRoutes(ctx: EmulatorContext): EmulatorRoutes {
  const state = new XpayEgState(ctx);

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
  const view = (tx: Transaction) => ({
    uuid: tx.uuid,
    amountMinor: tx.amountMinor,
    currency: tx.currency,
    payUsing: tx.payUsing,
    status: tx.status,
    billingName: tx.billing.name,
    ...(tx.billReference !== undefined ? { billReference: tx.billReference } : {}),
  });
  const pageOf = (tx: Transaction, error?: string) => iframePage(view(tx), iframeUrl(tx), error);

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
    const tx = state.create(valid);
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
    const tx = state.transactions.get(req.params.uuid as string);
    if (!tx || tx.communityId !== community.communityId) return envelope(404, "Not found.", null);
    return envelope(200, "success", {
      created: tx.created,
      id: tx.id,
      uuid: tx.uuid,
      member_id: tx.membershipId ?? null,
      total_amount: minorToNumber(tx.amountMinor),
      // XPay's public lookup shape names no currency; the dashboard switch `lookupCurrency` adds it.
      ...(state.dashboards.get(tx.communityId)?.lookupCurrency ? { total_amount_currency: tx.currency } : {}),
      total_amount_piasters: tx.amountMinor,
      payment_for: `API payment #${tx.variableAmountId}`,
      quantity: 1,
      pay_using: tx.payUsing,
      status: lookedUp(tx.lag, tx.status),
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
    const tx = state.transactions.get(valid.uuid);
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
    state.refund(tx, valid.amountMinor);
    return envelope(200, "success", {
      transaction_uuid: tx.uuid,
      transaction_status: tx.status,
      refund_amount: minorToNumber(valid.amountMinor),
      total_refunded_amount: minorToNumber(tx.refundedMinor),
    });
  };

  /** After the hosted page: the dashboard's redirect URL with the spec's query, or a result page. */
  const finish = (tx: Transaction): SandboxResponse => {
    const url = state.dashboards.get(tx.communityId)?.redirectUrl;
    if (!url) return pageOf(tx);
    return redirect(withQuery(url, { amount_piasters: tx.amountMinor, amount: String(minorToNumber(tx.amountMinor)), transaction_uuid: tx.uuid, transaction_status: tx.status }));
  };

  /** The buttons each payment method's page has. */
  const ALLOWED: Record<PayUsing, readonly string[]> = {
    card: ["pay", "cancel"],
    kiosk: ["approve", "expire"],
    fawry: ["approve", "decline", "cancel"],
    "meeza/digital": ["approve", "decline", "cancel"],
    valU: ["approve", "decline", "cancel"],
  };

  const submit = (req: SandboxRequest): SandboxResponse => {
    const tx = state.transactions.get(req.params.uuid as string);
    if (!tx) return missingPage();
    if (tx.status !== "PENDING") return pageOf(tx);
    const form = (req.body && typeof req.body === "object" ? req.body : {}) as Record<string, string>;
    const decision = form.decision ?? "";
    if (!ALLOWED[tx.payUsing].includes(decision)) return pageOf(tx, "Choose one of the buttons.");
    let action: OrderAction;
    if (decision === "pay") {
      const problem = cardFormProblem(form);
      if (problem) return pageOf(tx, problem);
      action = (form.card_number ?? "").replace(/[\s-]/g, "") === XPAY_EG_TEST_CARDS.declined ? "decline" : "approve";
    } else {
      action = decision as OrderAction;
    }
    state.settle(tx, action);
    return finish(tx);
  };

  return {
    register(router: Router) {
      router.add("POST", "/api/v1/payments/prepare-amount", "prepareAmount", prepare);
      router.add("POST", "/api/v1/payments/pay/variable-amount", "payVariableAmount", pay);
      router.add("GET", "/api/v1/communities/:community_id/transactions/:uuid", "transactionLookup", lookup);
      router.add("POST", "/api/payments/refund-transaction", "refundTransaction", refund);
      router.add("GET", "/core/payment_iframe/:uuid", "iframePage", (req) => {
        const tx = state.transactions.get(req.params.uuid as string);
        return tx ? pageOf(tx) : missingPage();
      });
      router.add("POST", "/core/payment_iframe/:uuid", "iframeSubmit", submit);
    },
    act(ref, action) {
      const tx = state.find(ref);
      if (!tx) return json(404, { error: `ref: no xpay-eg transaction ${ref}` });
      if (!state.settle(tx, action)) return json(409, { error: `transaction ${tx.uuid} is already ${tx.status}` });
      return json(200, { transaction_uuid: tx.uuid, transaction_status: tx.status });
    },
    control(ref, action, options) {
      if (action !== "lag") return undefined;
      const tx = state.find(ref);
      if (!tx) return json(404, { error: `ref: no xpay-eg transaction ${ref}` });
      const queries = lagQueries(options);
      if (typeof queries === "string") return json(400, { error: queries });
      tx.lag = { before: tx.status, queries };
      return json(200, { transaction_uuid: tx.uuid, lag_queries: queries });
    },
    configure(settings) {
      const communityId = settings.communityId === undefined ? XPAY_EG_COMMUNITY_ID : settings.communityId;
      if (!XPAY_EG_COMMUNITIES.some((c) => c.communityId === communityId)) {
        return json(400, { error: `communityId: expected one of ${XPAY_EG_COMMUNITIES.map((c) => c.communityId).join(", ")}` });
      }
      const next: Dashboard = { ...state.dashboards.get(communityId as string) };
      for (const key of ["callbackUrl", "redirectUrl"] as const) {
        const value = settings[key];
        if (value === undefined) continue;
        if (value === null || value === "") delete next[key];
        else if (isUrl(value)) next[key] = value;
        else return json(400, { error: `${key}: expected an absolute http(s) URL, or null to clear it` });
      }
      if (settings.lookupCurrency !== undefined) {
        if (typeof settings.lookupCurrency !== "boolean") return json(400, { error: "lookupCurrency: expected true (lookups name the currency) or false (they do not, as XPay's public shape)" });
        next.lookupCurrency = settings.lookupCurrency;
      }
      state.dashboards.set(communityId as string, next);
      return json(200, { communityId, callbackUrl: next.callbackUrl ?? null, redirectUrl: next.redirectUrl ?? null, lookupCurrency: next.lookupCurrency ?? false });
    },
    orders: () => state.orders(),
    reset: () => state.reset(),
    snapshot: () => state.snapshot(),
    restore: (snapshot) => state.restore(snapshot),
  };
}
