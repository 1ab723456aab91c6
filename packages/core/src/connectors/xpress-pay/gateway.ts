import { z } from "zod";
import { configText, connectorOptions, defineGateway, secret } from "../../gateway";
import type { Logger } from "../../connector";
import { CAPABILITIES, XpressPayConnector, callbackReply, parseCallback } from "./connector";

/** Xpress Pay's configuration: its AppID and the common options. */
export const config = z.object({
  ...connectorOptions,
  appId: secret(configText(128)).describe("The AppID Xpress Pay gave the merchant, sent with every request. The spec's public sandbox AppID works with the sandbox.").meta({ title: "AppID" }),
});

/** Xpress Pay credentials and options. */
export type XpressPayConfig = z.input<typeof config> & { logger?: Logger };

/** Xpress Pay (Pakistan): EasyPaisa / JazzCash pay-ins on a hosted page, payouts, balance, recalls. */
export const xpressPay = defineGateway({
  id: "xpress-pay",
  title: "Xpress Pay (EasyPaisa / JazzCash)",
  country: "PK",
  description: "EasyPaisa and JazzCash pay-ins on Xpress Pay's hosted page, B2C payouts, balance and recall notices.",
  config,
  capabilities: CAPABILITIES,
  create: (c) => new XpressPayConnector(c),
  parseCallback,
  callbackReply,
});
