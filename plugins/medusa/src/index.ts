import { ModuleProvider, Modules } from "@medusajs/framework/utils";
import { XpayEgProviderService, XpayKgProviderService, XpayPkProviderService, XpressPayProviderService } from "./providers";

export * from "./providers";
export { XpayPaymentProvider, sessionStatusOf, webhookActionOf, type XpaySessionData } from "./base";
export { toMoney, toMajor } from "./amount";

export default ModuleProvider(Modules.PAYMENT, {
  services: [XpressPayProviderService, XpayPkProviderService, XpayEgProviderService, XpayKgProviderService],
});
