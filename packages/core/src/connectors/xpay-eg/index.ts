// PLACEHOLDER: replaced by the xpay-eg connector (helper task).
import type { ConnectorOptions } from "../../connector";
export type XpayEgConfig = ConnectorOptions & Record<string, unknown>;
export class XpayEgConnector {
  constructor(readonly config: XpayEgConfig) {}
}
