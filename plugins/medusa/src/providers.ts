import { MedusaError } from "@medusajs/framework/utils";
import type { RefundPaymentInput, RefundPaymentOutput } from "@medusajs/framework/types";
import { createConnector, type PayInConnector, type PayInMethod } from "@xpay-connect/core";
import { XpayPaymentProvider, type XpaySessionData } from "./base";
import { gatewayChecks, gatewayConfig, oneOfList, validate, type CommonOptions, type GatewayOptions } from "./options";

function pickMethod(gateway: string, data: Record<string, unknown>, allowed: readonly PayInMethod[]): PayInMethod {
  const asked = data.method;
  if (asked === undefined) return allowed[0] as PayInMethod;
  if (typeof asked === "string" && (allowed as readonly string[]).includes(asked)) return asked as PayInMethod;
  throw new MedusaError(MedusaError.Types.INVALID_DATA, `${gateway}: method must be one of ${allowed.join(", ")} (got ${JSON.stringify(asked)})`);
}

const common = (o: CommonOptions) => ({ ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) });

/** The connector config of `gateway` from the provider options: its own fields, the base URL and the timeout. */
const connectorConfig = <G extends Parameters<typeof gatewayConfig>[0]>(gateway: G, baseUrl: string, o: CommonOptions) => ({
  ...gatewayConfig(gateway, o as Record<string, unknown>),
  baseUrl,
  ...common(o),
});

/* ---------------- Xpress Pay (EasyPaisa, JazzCash) ---------------- */
export interface XpressPayOptions extends CommonOptions, GatewayOptions<"xpress-pay"> {
  /** Public URL of Medusa's webhook route for this provider: https://<medusa>/hooks/payment/xpress-pay_<id>. */
  webhookUrl: string;
  methods?: ("easypaisa" | "jazzcash")[];
}
export class XpressPayProviderService extends XpayPaymentProvider<XpressPayOptions> {
  static override identifier = "xpress-pay";
  protected readonly gateway = "xpress-pay" as const;
  static override validateOptions(options: Record<string, unknown>): void {
    validate("xpress-pay", options, {
      ...gatewayChecks("xpress-pay"),
      methods: oneOfList(["easypaisa", "jazzcash"]),
    });
  }
  protected createConnector(baseUrl: string, o: XpressPayOptions): PayInConnector {
    return createConnector("xpress-pay", connectorConfig("xpress-pay", baseUrl, o));
  }
  protected methodFor(data: Record<string, unknown>): PayInMethod {
    return pickMethod(this.gateway, data, this.config.methods ?? ["easypaisa", "jazzcash"]);
  }
}

/* ---------------- XPay (Pakistan): cards ---------------- */
/** The webhook URL (https://<medusa>/hooks/payment/xpay-pk_<id>) is set in XPay's dashboard; `webhookSecret` signs the webhooks. */
export interface XpayPkOptions extends CommonOptions, GatewayOptions<"xpay-pk"> {}
export class XpayPkProviderService extends XpayPaymentProvider<XpayPkOptions> {
  static override identifier = "xpay-pk";
  protected readonly gateway = "xpay-pk" as const;
  static override validateOptions(options: Record<string, unknown>): void {
    validate("xpay-pk", options, gatewayChecks("xpay-pk"));
  }
  protected createConnector(baseUrl: string, o: XpayPkOptions): PayInConnector {
    return createConnector("xpay-pk", connectorConfig("xpay-pk", baseUrl, o));
  }
  protected methodFor(data: Record<string, unknown>): PayInMethod {
    return pickMethod(this.gateway, data, ["card"]);
  }
  /** Webhooks go to the dashboard's URL and echo `metadata.callback_token`. */
  protected override callbackTokenKey(): string {
    return this.config.webhookSecret;
  }
}

/* ---------------- XPay (Egypt): card, kiosk, fawry, wallet, valU ---------------- */
const EG_METHODS = ["card", "kiosk", "fawry", "wallet", "valu"] as const;
export interface XpayEgOptions extends CommonOptions, Omit<GatewayOptions<"xpay-eg">, "feesInBill"> {
  methods?: (typeof EG_METHODS)[number][];
  /**
   * Kiosk payments: place the order as soon as the shopper has the bill reference, with its payment
   * awaiting, and capture it when the shopper pays at the kiosk (default true). false: the order is
   * placed only once the bill is paid.
   */
  kioskOrderBeforePayment?: boolean;
}
export class XpayEgProviderService extends XpayPaymentProvider<XpayEgOptions> {
  static override identifier = "xpay-eg";
  protected readonly gateway = "xpay-eg" as const;
  /** XPay EG sends shoppers back to the redirect URL set in its dashboard. */
  protected override readonly takesReturnUrl = false;
  static override validateOptions(options: Record<string, unknown>): void {
    validate("xpay-eg", options, {
      ...gatewayChecks("xpay-eg", ["feesInBill"]),
      methods: oneOfList(EG_METHODS),
      kioskOrderBeforePayment: (v) => (v === undefined || typeof v === "boolean" ? undefined : "must be true or false"),
      returnUrl: (v) => (v === undefined ? undefined : "is a dashboard setting at XPay EG (its redirect URL), not a provider option"),
      feesInBill: (v) => (v === undefined || v === false ? undefined : "is not supported by the Medusa provider (the charged amount would differ from the cart total)"),
    });
  }
  protected createConnector(baseUrl: string, o: XpayEgOptions) {
    return createConnector("xpay-eg", connectorConfig("xpay-eg", baseUrl, o));
  }
  protected methodFor(data: Record<string, unknown>): PayInMethod {
    return pickMethod(this.gateway, data, this.config.methods ?? ["card"]);
  }
  protected override placesOrderBeforePayment(data: XpaySessionData): boolean {
    return data.next_action.type === "kiosk" && this.config.kioskOrderBeforePayment !== false;
  }
  /** Unsigned callbacks to one dashboard URL: the session's token travels as a custom field and must come back. */
  protected override callbackTokenKey(): string {
    return this.config.apiKey;
  }
  override async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    return this.refundWith(this.connector as ReturnType<typeof createConnector<"xpay-eg">>, input);
  }
}

/* ---------------- xPay QR (Kyrgyzstan) ---------------- */
export interface XpayKgOptions extends CommonOptions, GatewayOptions<"xpay-kg"> {
  /** Public URL of https://<medusa>/hooks/payment/xpay-kg_<id>. */
  webhookUrl: string;
}
export class XpayKgProviderService extends XpayPaymentProvider<XpayKgOptions> {
  static override identifier = "xpay-kg";
  protected readonly gateway = "xpay-kg" as const;
  static override validateOptions(options: Record<string, unknown>): void {
    validate("xpay-kg", options, {
      ...gatewayChecks("xpay-kg"),
    });
  }
  protected createConnector(baseUrl: string, o: XpayKgOptions): PayInConnector {
    return createConnector("xpay-kg", connectorConfig("xpay-kg", baseUrl, o));
  }
  protected methodFor(data: Record<string, unknown>): PayInMethod {
    return pickMethod(this.gateway, data, ["qr"]);
  }
}
