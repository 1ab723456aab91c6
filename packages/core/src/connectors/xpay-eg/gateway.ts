import { z } from "zod";
import type { Logger } from "../../connector";
import { configText, connectorOptions, defineGateway, secret } from "../../gateway";
import { CAPABILITIES, XpayEgConnector, callbackReply, parseCallback } from "./connector";

/** XPay EG's configuration: the community's API key and ids, and how its payment page behaves. */
export const config = z.object({
  ...connectorOptions,
  apiKey: secret(configText(512)).describe("The community's API key, sent as `x-api-key`.").meta({ title: "API key" }),
  communityId: configText(64).describe("The community's id (`community_id`), from the XPay dashboard.").meta({ title: "Community id" }),
  variableAmountId: z
    .number()
    .int("expected a whole number")
    .positive("expected the positive integer id of an API payment in the XPay dashboard")
    .describe("The dashboard \"API payment\" every pay-in is made against (`variable_amount_id`).")
    .meta({ title: "Variable amount id" }),
  feesInBill: z
    .boolean()
    .optional()
    .describe("Add the community's fees to the shopper's bill: the payment's amount becomes the total XPay's prepare-amount gives.")
    .meta({ title: "Fees in the bill" }),
  language: z.enum(["en", "ar"]).optional().describe("Language of XPay's payment page (default en).").meta({ title: "Page language" }),
});

/** XPay EG credentials and options. */
export type XpayEgConfig = z.input<typeof config> & { logger?: Logger };

/** XPay (Egypt): card, kiosk, Fawry, wallets and valU pay-ins, refunds, recurring payments. */
export const xpayEg = defineGateway({
  id: "xpay-eg",
  title: "XPay (Egypt)",
  country: "EG",
  description: "Card, kiosk (Aman), Fawry, wallet and valU pay-ins in EGP and five other currencies, with refunds; one dashboard callback URL.",
  config,
  capabilities: CAPABILITIES,
  create: (c) => new XpayEgConnector(c),
  parseCallback,
  callbackReply,
  // Assumption: spec 003's callback is a dozen short fields plus the custom fields echoed as keys
  // (ours, merchant_ref and callback_token, and a store's own): well under 2 KB; 16 KB leaves room for a store's custom fields.
  callbackBodyLimit: 16 * 1024,
});
