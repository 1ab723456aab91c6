// PLACEHOLDER: replaced by the xpay-pk connector (helper task).
import type { ConnectorOptions } from "../../connector";
export type XpayPkConfig = ConnectorOptions & Record<string, unknown>;
export class XpayPkConnector {
  constructor(readonly config: XpayPkConfig) {}
}
