export type { ConformanceCase, FlowConnector } from "./case";
export { Receiver, type ReceivedPayment } from "./receiver";
export { CASES } from "./registry";
