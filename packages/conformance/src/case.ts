import type { CallbackInput, ConnectorBase, GatewayId, PayInConnector, PayInRequest, PaymentStatus, PayoutConnector, PayoutRequest } from "@xpay-connect/core";

/** A connector that takes pay-ins or sends payouts: what the suite drives. */
export type FlowConnector = (PayInConnector | PayoutConnector) & ConnectorBase;

/**
 * What a connector tells the conformance suite about itself, beyond what its definitions say: the
 * suite builds the connector from the sandbox's test merchant (`SANDBOX_GATEWAYS[id].testAccount`), and
 * reads where callbacks go from core (`GATEWAYS[id].capabilities.callbackUrl`), pointing a dashboard
 * URL with the emulator's `dashboardSettings`. Adding a connector means writing one of these
 * (src/cases/<id>.ts) and passing the suite.
 */
export interface ConformanceCase {
  gateway: GatewayId;
  /** The flow the suite drives: pay-ins, or payouts for payout-only gateways (PayPro). */
  flow: "pay_in" | "payout";
  /** A valid request for a new payment. `callback.url` carries the per-payment token; `callback.token` is that token. */
  request(merchantRef: string, callback: { url: string; token: string }): PayInRequest | PayoutRequest;
  /** Sandbox operation name of the create call, the target of the timeout fault. */
  createOperation: string;
  /** Canonical statuses a shopper's (or bank's) decline and cancel lead to. */
  declinedStatus: PaymentStatus;
  canceledStatus: PaymentStatus;
  /** Whether creating again with the same merchantRef answers the same gateway order. */
  idempotentCreate: boolean;
  /** Options for the sandbox's approve action (a wallet number, a card...). */
  approveOptions?: Record<string, unknown>;
  /**
   * A forger's edit of a real callback: the body with another amount, re-signed with the test
   * merchant's real secret where the gateway signs, so that only the integrity check can catch it.
   */
  withAmount(callback: CallbackInput, rawBody: Record<string, unknown>): CallbackInput;
  /** The same, naming another merchant reference. */
  withMerchantRef(callback: CallbackInput, rawBody: Record<string, unknown>, merchantRef: string): CallbackInput;
  /** A callback whose signature is broken (signing gateways only). */
  withBadSignature?(callback: CallbackInput): CallbackInput;
}
