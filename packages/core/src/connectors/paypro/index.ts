// PLACEHOLDER: replaced by the paypro connector (helper task).
import type { ConnectorOptions } from "../../connector";
export type PayProConfig = ConnectorOptions & Record<string, unknown>;
export class PayProConnector {
  constructor(readonly config: PayProConfig) {}
}
