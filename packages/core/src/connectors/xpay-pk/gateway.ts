import { z } from "zod";
import type { Logger } from "../../connector";
import { configText, connectorOptions, defineGateway, secret } from "../../gateway";
import { CAPABILITIES, XpayPkConnector, callbackReply, parseCallback } from "./connector";

/** XPay PK's configuration: the four credentials of one XPay account and the common options. */
export const config = z.object({
  ...connectorOptions,
  apiKey: secret(configText(512)).describe("The account's secret API key, sent as `x-api-key`.").meta({ title: "API key" }),
  accountId: secret(configText(512)).describe("The account id, sent as `x-account-id`.").meta({ title: "Account id" }),
  hmacSecret: secret(configText(512)).describe("The API HMAC secret: signs each request body into `x-signature`.").meta({ title: "API HMAC secret" }),
  webhookSecret: secret(configText(512)).describe("The webhook HMAC secret: verifies each webhook's `X-Signature`.").meta({ title: "Webhook secret" }),
});

/** XPay (PK) credentials and options. */
export type XpayPkConfig = z.input<typeof config> & { logger?: Logger };

/** XPay by XStak (Pakistan): card payment intents with 3-D Secure, manual capture and saved cards. */
export const xpayPk = defineGateway({
  id: "xpay-pk",
  title: "XPay (Pakistan, cards)",
  country: "PK",
  description: "Card payments through XPay payment intents: hosted checkout page, 3-D Secure, manual capture, saved cards; HMAC-signed webhooks.",
  config,
  capabilities: CAPABILITIES,
  create: (c) => new XpayPkConnector(c),
  parseCallback,
  callbackReply,
  // Assumption: the webhook is {status, payment_intent_id, amount, currency, metadata} with our
  // order_reference and callback_token in metadata: a few hundred bytes; 8 KB leaves room to spare.
  callbackBodyLimit: 8 * 1024,
});
