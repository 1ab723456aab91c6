import type { BalanceConnector, Connector, PayInConnector, PayoutConnector, RefundConnector } from "./connector";
import { CapabilityError } from "./errors";

/** The connector as a pay-in connector, or a CapabilityError. */
export function requirePayIn(connector: Connector): PayInConnector {
  if (connector.capabilities.payIn && connector.createPayIn && connector.getPayIn) return connector as PayInConnector;
  throw new CapabilityError(connector.id, "pay-ins");
}

/** The connector as a payout connector, or a CapabilityError. */
export function requirePayout(connector: Connector): PayoutConnector {
  if (connector.capabilities.payout && connector.createPayout && connector.getPayout) return connector as PayoutConnector;
  throw new CapabilityError(connector.id, "payouts");
}

/** The connector as a balance connector, or a CapabilityError. */
export function requireBalance(connector: Connector): BalanceConnector {
  if (connector.capabilities.balance && connector.getBalance) return connector as BalanceConnector;
  throw new CapabilityError(connector.id, "balance queries");
}

/** The connector as a refund connector, or a CapabilityError. */
export function requireRefund(connector: Connector): RefundConnector {
  if (connector.capabilities.refund && connector.refund) return connector as RefundConnector;
  throw new CapabilityError(connector.id, "refunds");
}
