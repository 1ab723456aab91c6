import { SANDBOX_GATEWAYS } from "@xpay-connect/sandbox";
import type { GatewayId } from "@xpay-connect/core";

/** Gateway account configurations for the sandbox's documented test merchants at `sandboxUrl`. */
export function sandboxAccounts(sandboxUrl: string): Record<GatewayId, Record<string, unknown>> {
  const base = sandboxUrl.replace(/\/+$/, "");
  const accounts = {} as Record<GatewayId, Record<string, unknown>>;
  for (const gateway of Object.values(SANDBOX_GATEWAYS)) accounts[gateway.id] = gateway.testAccount(`${base}/${gateway.id}`);
  return accounts;
}

/** The dashboard settings the sandbox's dashboard-configured gateways need to reach this service. */
export async function pointSandboxAt(sandboxUrl: string, serviceUrl: string): Promise<void> {
  const post = (path: string, body: unknown) =>
    fetch(`${sandboxUrl}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  for (const gateway of Object.values(SANDBOX_GATEWAYS)) {
    if ("dashboardSettings" in gateway) await post(`${gateway.id}/settings`, gateway.dashboardSettings(`${serviceUrl}/callbacks/${gateway.id}`));
  }
}
