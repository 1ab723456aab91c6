import {
  PAYPRO_APP_SECRET,
  PAYPRO_MERCHANT_NO,
  XPAY_EG_API_KEY,
  XPAY_EG_COMMUNITY_ID,
  XPAY_EG_VARIABLE_AMOUNT_ID,
  XPAY_KG_CLIENT_ID,
  XPAY_KG_CLIENT_SECRET,
  XPAY_PK_ACCOUNT_ID,
  XPAY_PK_API_KEY,
  XPAY_PK_HMAC_SECRET,
  XPAY_PK_WEBHOOK_SECRET,
  XPRESS_PAY_APP_ID,
} from "@xpay-connect/sandbox";
import type { GatewayId } from "@xpay-connect/core";

/** Gateway account configurations for the sandbox's documented test merchants at `sandboxUrl`. */
export function sandboxAccounts(sandboxUrl: string): Record<GatewayId, Record<string, unknown>> {
  const base = sandboxUrl.replace(/\/+$/, "");
  return {
    "xpress-pay": { baseUrl: `${base}/xpress-pay`, appId: XPRESS_PAY_APP_ID },
    paypro: { baseUrl: `${base}/paypro`, merchantNo: PAYPRO_MERCHANT_NO, appSecret: PAYPRO_APP_SECRET },
    "xpay-pk": { baseUrl: `${base}/xpay-pk`, apiKey: XPAY_PK_API_KEY, accountId: XPAY_PK_ACCOUNT_ID, hmacSecret: XPAY_PK_HMAC_SECRET, webhookSecret: XPAY_PK_WEBHOOK_SECRET },
    "xpay-eg": { baseUrl: `${base}/xpay-eg`, apiKey: XPAY_EG_API_KEY, communityId: XPAY_EG_COMMUNITY_ID, variableAmountId: XPAY_EG_VARIABLE_AMOUNT_ID },
    "xpay-kg": { baseUrl: `${base}/xpay-kg`, clientId: XPAY_KG_CLIENT_ID, clientSecret: XPAY_KG_CLIENT_SECRET },
  };
}

/** The dashboard settings the sandbox's dashboard-configured gateways need to reach this service. */
export async function pointSandboxAt(sandboxUrl: string, serviceUrl: string): Promise<void> {
  const post = (path: string, body: unknown) =>
    fetch(`${sandboxUrl}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  await post("xpay-eg/settings", { callbackUrl: `${serviceUrl}/callbacks/xpay-eg` });
  await post("xpay-pk/settings", { webhookUrl: `${serviceUrl}/callbacks/xpay-pk` });
}
