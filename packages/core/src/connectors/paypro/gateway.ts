import { z } from "zod";
import type { Logger } from "../../connector";
import { configText, connectorOptions, defineGateway, secret } from "../../gateway";
import { CAPABILITIES, PayProConnector, callbackReply, parseCallback } from "./connector";

/** PayPro's configuration: the merchant number, the signing secret and the common options. */
export const config = z.object({
  ...connectorOptions,
  merchantNo: secret(configText(64)).describe("The merchant number PayPro issued, sent in the `merchantNo` header of every call.").meta({ title: "Merchant number" }),
  appSecret: secret(configText(512)).describe("The app secret that salts every MD5 `sign`, ours and PayPro's notifications'. Never sent.").meta({ title: "App secret" }),
});

/** PayPro credentials and options. */
export type PayProConfig = z.input<typeof config> & { logger?: Logger };

/** PayPro (Pakistan): payouts to banks and wallets, signed with MD5. */
export const payPro = defineGateway({
  id: "paypro",
  title: "PayPro payouts",
  country: "PK",
  description: "Payouts to Pakistani bank accounts and wallets, MD5-signed, with signed status notifications and a balance query.",
  config,
  capabilities: CAPABILITIES,
  create: (c) => new PayProConnector(c),
  parseCallback,
  callbackReply,
});
