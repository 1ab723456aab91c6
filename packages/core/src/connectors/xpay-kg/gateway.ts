import { z } from "zod";
import type { Logger } from "../../connector";
import { configText, connectorOptions, defineGateway, secret } from "../../gateway";
import { CAPABILITIES, XpayKgConnector, callbackReply, parseCallback } from "./connector";
import { TEXT_FIELD_MAX } from "./wire";

/** xPay QR's configuration: the client credentials, what each QR is labelled with, and the check URL. */
export const config = z.object({
  ...connectorOptions,
  clientId: configText(255).describe("The client id from the xPay dashboard (Profile).").meta({ title: "Client id" }),
  clientSecret: secret(configText(512)).describe("The client secret from the xPay dashboard (Profile): exchanged for a bearer token.").meta({ title: "Client secret" }),
  serviceId: configText(64).optional().describe("Sent as `service_id` with every QR, for reconciliation.").meta({ title: "Service id" }),
  serviceName: configText(TEXT_FIELD_MAX).optional().describe(`Sent as \`service_name\` with every QR; at most ${TEXT_FIELD_MAX} characters.`).meta({ title: "Service name" }),
  checkUrl: z
    .url({ protocol: /^https?$/, error: "expected an absolute http(s) URL" })
    .optional()
    .describe("Your endpoint the gateway asks before it lets a shopper pay (answer HTTP 201 to allow).")
    .meta({ title: "Check URL" }),
});

/** xPay QR credentials and options. */
export type XpayKgConfig = z.input<typeof config> & { logger?: Logger };

/** xPay QR (Kyrgyzstan): dynamic and static QR codes paid from any Kyrgyz bank app. */
export const xpayKg = defineGateway({
  id: "xpay-kg",
  title: "xPay QR (Kyrgyzstan)",
  country: "KG",
  description: "Dynamic and static QR codes in KGS, paid from Kyrgyz bank apps; bearer-token API with a status endpoint and callbacks.",
  config,
  capabilities: CAPABILITIES,
  create: (c) => new XpayKgConnector(c),
  parseCallback,
  callbackReply,
});
