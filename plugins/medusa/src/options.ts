import { MedusaError } from "@medusajs/framework/utils";
import { GATEWAYS, expectedOf, type ConnectorConfigs, type GatewayId } from "@xpay-connect/core";

/** Options every xpay-connect provider takes (besides its gateway credentials). */
export interface CommonOptions {
  /** Point at the xpay-connect sandbox instead of the gateway: `${sandboxUrl}/${gateway}`. */
  testMode?: boolean;
  /** Sandbox root in test mode (default http://127.0.0.1:4010). */
  sandboxUrl?: string;
  /** The gateway's base URL (required unless testMode). */
  baseUrl?: string;
  /** Per-request timeout in ms (core default 15000). */
  timeoutMs?: number;
  /** Where the gateway sends the shopper back after paying (the storefront's return page). */
  returnUrl?: string;
  /** Further storefront origins a session's `data.return_url` may point at (besides `returnUrl`'s). */
  returnOrigins?: string[];
  /**
   * Public URL of Medusa's webhook route for this provider (https://<medusa>/hooks/payment/<gateway>_<id>):
   * required where the gateway takes a callback URL with each payment (core's `capabilities.callbackUrl`).
   */
  webhookUrl?: string;
}

export const DEFAULT_SANDBOX_URL = "http://127.0.0.1:4010";

/** The connector options the provider sets itself (from testMode/sandboxUrl/baseUrl and timeoutMs). */
const PROVIDER_SET = ["baseUrl", "timeoutMs"] as const;

/** A gateway's own config fields, as provider options: its credentials and settings from core's schema. */
export type GatewayOptions<G extends GatewayId> = Omit<ConnectorConfigs[G], (typeof PROVIDER_SET)[number] | "logger">;

type Check = (value: unknown) => string | undefined;

/**
 * One check per config field of `gateway`, read from its schema in core (so the provider's options
 * cannot drift from the connector's): a missing required field "is required (what it is)", a wrong one
 * "must be <what the schema expects>". `except` leaves fields to the provider's own checks.
 */
export function gatewayChecks(gateway: GatewayId, except: readonly string[] = []): Record<string, Check> {
  const shape = GATEWAYS[gateway].config.shape;
  // A gateway that takes a callback URL with each payment is given Medusa's webhook route for it.
  const webhook: Record<string, Check> = GATEWAYS[gateway].capabilities.callbackUrl === "per_payment" ? { webhookUrl: url(true) } : {};
  return Object.fromEntries([
    ...Object.entries(shape)
      .filter(([key]) => !(PROVIDER_SET as readonly string[]).includes(key) && !except.includes(key))
      .map(([key, field]): [string, Check] => [
        key,
        (value) => {
          const parsed = field.safeParse(value, { reportInput: true });
          if (parsed.success) return undefined;
          if (value === undefined) return `is required (${field.description ?? key})`;
          const issue = parsed.error.issues[0];
          return `must be ${issue ? expectedOf(issue) : "valid"}`;
        },
      ]),
    ...Object.entries(webhook),
  ]);
}

/** The gateway's own config fields taken from the provider options (everything else is the provider's). */
export function gatewayConfig<G extends GatewayId>(gateway: G, options: Record<string, unknown>): GatewayOptions<G> {
  const keys = Object.keys(GATEWAYS[gateway].config.shape).filter((k) => !(PROVIDER_SET as readonly string[]).includes(k));
  return Object.fromEntries(keys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]])) as GatewayOptions<G>;
}
export const url = (isRequired: boolean): Check => (v) => {
  if (v === undefined && !isRequired) return undefined;
  if (typeof v !== "string") return "must be an absolute http(s) URL";
  try {
    const u = new URL(v);
    return u.protocol === "http:" || u.protocol === "https:" ? undefined : "must be an absolute http(s) URL";
  } catch {
    return "must be an absolute http(s) URL";
  }
};
export const oneOfList = (allowed: readonly string[]): Check => (v) => {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length === 0) return `must be a non-empty list of ${allowed.join(", ")}`;
  const bad = v.filter((m) => !allowed.includes(m as string));
  return bad.length ? `has unknown method(s) ${bad.join(", ")}; allowed: ${allowed.join(", ")}` : undefined;
};

/** Throws one MedusaError(INVALID_DATA) listing every bad option, prefixed with the provider name. */
export function validate(provider: string, options: Record<string, unknown> | undefined, checks: Record<string, Check>): void {
  const o = options ?? {};
  const problems: string[] = [];
  if (o.testMode !== undefined && typeof o.testMode !== "boolean") problems.push("testMode must be true or false");
  if (!o.testMode) {
    const e = url(true)(o.baseUrl);
    if (e) problems.push(`baseUrl ${e} (the gateway's host; or set testMode: true to use the sandbox)`);
  } else {
    const e = url(false)(o.sandboxUrl);
    if (e) problems.push(`sandboxUrl ${e}`);
  }
  if (o.timeoutMs !== undefined && !(typeof o.timeoutMs === "number" && Number.isInteger(o.timeoutMs) && o.timeoutMs > 0)) {
    problems.push("timeoutMs must be a positive integer (milliseconds)");
  }
  if (o.returnUrl !== undefined) {
    const e = url(false)(o.returnUrl);
    if (e) problems.push(`returnUrl ${e}`);
  }
  if (o.returnOrigins !== undefined && !(Array.isArray(o.returnOrigins) && o.returnOrigins.every((u) => !url(true)(u)))) {
    problems.push("returnOrigins must be a list of absolute http(s) URLs (storefront origins)");
  }
  for (const [key, check] of Object.entries(checks)) {
    const e = check(o[key]);
    if (e) problems.push(`${key} ${e}`);
  }
  if (problems.length) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `${provider} payment provider options: ${problems.join("; ")}`);
  }
}

export function baseUrlOf(gateway: string, o: CommonOptions): string {
  if (o.testMode) return `${(o.sandboxUrl ?? DEFAULT_SANDBOX_URL).replace(/\/+$/, "")}/${gateway}`;
  return o.baseUrl as string;
}
