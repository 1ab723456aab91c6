// PLACEHOLDER: replaced by the xpay-kg connector (helper task).
import type { ConnectorOptions } from "../../connector";
export type XpayKgConfig = ConnectorOptions & Record<string, unknown>;
export class XpayKgConnector {
  constructor(readonly config: XpayKgConfig) {}
}
