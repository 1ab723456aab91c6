import type { CallbackReply } from "./callback";
import type { Connector } from "./connector";
import * as connectors from "./connectors";
import { InvalidInputError } from "./errors";
import { readConfig, type GatewayDefinition } from "./gateway";

type Exported = (typeof connectors)[keyof typeof connectors];
/** Each gateway definition a connector folder exports. */
type Definitions = Extract<Exported, { readonly id: string; readonly config: unknown; readonly parseCallback: unknown }>;

/** A gateway id: "xpress-pay", "paypro", "xpay-pk", "xpay-eg", "xpay-kg". */
export type GatewayId = Definitions["id"];

/** Each gateway's definition, by id. */
export type Gateways = { [D in Definitions as D["id"]]: D };

/** Each gateway's configuration type. */
export type ConnectorConfigs = { [G in GatewayId]: Parameters<Gateways[G]["create"]>[0] };

/** Each gateway's connector type. */
export type Connectors = { [G in GatewayId]: ReturnType<Gateways[G]["create"]> };

function isDefinition(value: unknown): value is Definitions {
  return typeof value === "object" && value !== null && "id" in value && "config" in value && "parseCallback" in value && "capabilities" in value;
}

/** The registry: every gateway, by id, as its connector folder declares it. */
export const GATEWAYS: Readonly<Gateways> = Object.fromEntries(
  Object.values(connectors)
    .filter(isDefinition)
    .map((d) => [d.id, d]),
) as Gateways;

/** The gateways, by the id used in URLs, config and docs. */
export const GATEWAY_IDS = Object.keys(GATEWAYS) as readonly GatewayId[];

/** True when `value` is a gateway id. */
export function isGatewayId(value: unknown): value is GatewayId {
  return typeof value === "string" && Object.hasOwn(GATEWAYS, value);
}

/** A gateway's definition, or InvalidInputError naming `gateway`. */
export function gatewayDefinition(gateway: unknown): GatewayDefinition<GatewayId, GatewayDefinition["config"], Connector> {
  if (!isGatewayId(gateway)) throw new InvalidInputError("gateway", `one of ${GATEWAY_IDS.join(", ")}`, gateway);
  return GATEWAYS[gateway] as unknown as GatewayDefinition<GatewayId, GatewayDefinition["config"], Connector>;
}

/** Reads a gateway config with its schema: the config, or InvalidInputError naming the wrong field (secret values never echoed). */
export function parseGatewayConfig<G extends GatewayId>(gateway: G, input: unknown): ConnectorConfigs[G] {
  const definition = gatewayDefinition(gateway);
  return readConfig(gateway, definition.config, input) as ConnectorConfigs[G];
}

/** Builds the connector for `gateway` from its configuration, checked against the gateway's schema first. */
export function createConnector<G extends GatewayId>(gateway: G, config: ConnectorConfigs[G]): Connectors[G] {
  const definition = gatewayDefinition(gateway);
  const { logger, ...rest } = (config ?? {}) as Record<string, unknown>;
  const parsed = readConfig(gateway, definition.config, rest);
  return definition.create({ ...parsed, ...(logger ? { logger } : {}) } as never) as Connectors[G];
}

/** The acknowledgement a gateway expects, without credentials: a service answers a callback as soon as it is stored. */
export function callbackReplyFor(gateway: GatewayId, accepted: boolean): CallbackReply {
  return gatewayDefinition(gateway).callbackReply(accepted);
}
