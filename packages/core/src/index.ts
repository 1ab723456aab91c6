/**
 * @xpay-connect/core: one canonical payment model and one connector per gateway.
 *
 *   const xp = createConnector("xpress-pay", { baseUrl, appId });
 *   const payIn = await xp.createPayIn({ merchantRef, amount: Money.parse("1500", "PKR"), method: "easypaisa", ... });
 *   // send the shopper to payIn.nextAction; when the callback comes:
 *   const event = await xp.verifyCallback({ rawBody, headers }, { merchantRef, amount, token });
 */
export { Money, CURRENCY_EXPONENTS, isCurrency, type Currency } from "./money";
export { PAYMENT_STATUSES, isPaymentStatus, isFinal, transition, mapGatewayStatus, type PaymentStatus, type Transition } from "./status";
export {
  XpayError,
  InvalidInputError,
  DeclinedError,
  OutcomeUnknownError,
  VerificationError,
  CapabilityError,
  isXpayError,
  type ErrorCode,
} from "./errors";
export {
  type Capabilities,
  type Connector,
  type ConnectorBase,
  type ConnectorOptions,
  type PayInConnector,
  type PayoutConnector,
  type BalanceConnector,
  type RefundConnector,
  type PayInRequest,
  type PayIn,
  type PayInMethod,
  type PayoutRequest,
  type PayoutMethod,
  type PaymentRef,
  type PaymentSnapshot,
  type NextAction,
  type Customer,
  type Recipient,
  type RefundRequest,
  type Balance,
  type Logger,
} from "./connector";
export {
  createCallbackToken,
  checkCallbackToken,
  checkIntegrity,
  safeEqual,
  hmacSha256Hex,
  type CallbackInput,
  type CallbackEvent,
  type CallbackKind,
  type CallbackExpectation,
  type CallbackReply,
  type VerifiedCallback,
} from "./callback";
export { redact, REDACTED } from "./redact";
export { cardDigits, luhnValid, isCardNumber, cardExpired, CARD_EXPIRY_MONTH, CARD_EXPIRY_YEAR, CARD_CVC } from "./cards";
export { payInInstrument, type PayInInstrument, type PayInInstrumentKind } from "./instrument";
export { requirePayIn, requirePayout, requireBalance, requireRefund } from "./capabilities";
export {
  GATEWAYS,
  GATEWAY_IDS,
  isGatewayId,
  gatewayDefinition,
  parseGatewayConfig,
  createConnector,
  callbackReplyFor,
  type GatewayId,
  type Gateways,
  type ConnectorConfigs,
  type Connectors,
} from "./registry";
export {
  defineGateway,
  secret,
  isSecret,
  configText,
  connectorOptions,
  expectedOf,
  configJsonSchema,
  secretFields,
  publicConfig,
  type GatewayDefinition,
  type ConfigSchema,
  type ConfigFieldSchema,
} from "./gateway";
export { configTable, gatewaysTable, replaceGenerated } from "./docs";
export * from "./connectors";
