import type { CallbackReply } from "./callback";
import type { GatewayId } from "./connector";
import { InvalidInputError } from "./errors";
import { XpressPayConnector, type XpressPayConfig } from "./connectors/xpress-pay";
import { PayProConnector, type PayProConfig } from "./connectors/paypro";
import { XpayPkConnector, type XpayPkConfig } from "./connectors/xpay-pk";
import { XpayEgConnector, type XpayEgConfig } from "./connectors/xpay-eg";
import { XpayKgConnector, type XpayKgConfig } from "./connectors/xpay-kg";

/** Each gateway's configuration type. */
export interface ConnectorConfigs {
  "xpress-pay": XpressPayConfig;
  paypro: PayProConfig;
  "xpay-pk": XpayPkConfig;
  "xpay-eg": XpayEgConfig;
  "xpay-kg": XpayKgConfig;
}

/** Each gateway's connector type. */
export interface Connectors {
  "xpress-pay": XpressPayConnector;
  paypro: PayProConnector;
  "xpay-pk": XpayPkConnector;
  "xpay-eg": XpayEgConnector;
  "xpay-kg": XpayKgConnector;
}

const FACTORIES: { [G in GatewayId]: (config: ConnectorConfigs[G]) => Connectors[G] } = {
  "xpress-pay": (c) => new XpressPayConnector(c),
  paypro: (c) => new PayProConnector(c),
  "xpay-pk": (c) => new XpayPkConnector(c),
  "xpay-eg": (c) => new XpayEgConnector(c),
  "xpay-kg": (c) => new XpayKgConnector(c),
};

/** Builds the connector for `gateway` from its configuration. */
export function createConnector<G extends GatewayId>(gateway: G, config: ConnectorConfigs[G]): Connectors[G] {
  const factory = FACTORIES[gateway] as ((config: ConnectorConfigs[G]) => Connectors[G]) | undefined;
  if (!factory) throw new InvalidInputError("gateway", `one of ${Object.keys(FACTORIES).join(", ")}`, gateway);
  return factory(config);
}

const CLASSES = { "xpress-pay": XpressPayConnector, paypro: PayProConnector, "xpay-pk": XpayPkConnector, "xpay-eg": XpayEgConnector, "xpay-kg": XpayKgConnector };

/**
 * The acknowledgement a gateway expects, without credentials: a service answers a callback as soon
 * as it is stored, before it loads the merchant's connector. (No connector's `callbackReply` reads its instance.)
 */
export function callbackReplyFor(gateway: GatewayId, accepted: boolean): CallbackReply {
  return CLASSES[gateway].prototype.callbackReply.call(undefined as never, accepted);
}
