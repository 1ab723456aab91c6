/** Gateway callbacks: the intake routes and the inbox that stores, verifies and applies them. */
export { CallbackInbox, type CallbackOutcome, type IncomingCallback } from "./inbox";
export { callbackPlugin, DASHBOARD_CALLBACK_GATEWAYS } from "./routes";
