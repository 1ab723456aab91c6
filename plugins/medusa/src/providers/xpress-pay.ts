import { ModuleProvider, Modules } from "@medusajs/framework/utils";
import { XpressPayProviderService } from "../providers";

/** medusa-config: { resolve: "@xpay-connect/medusa/providers/xpress-pay", id: "default", options } -> pp_xpress-pay_default. */
export default ModuleProvider(Modules.PAYMENT, { services: [XpressPayProviderService] });
