/** Refunds of pay-ins, where the gateway can refund: the API and the settlement reconciliation shares. */
export { refundRoutes, refundJson, RefundSchema } from "./routes";
export { settleRefund, type RefundRow, type RefundResult } from "./settle";
