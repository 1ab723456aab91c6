import { ModuleProvider, Modules } from "@medusajs/framework/utils";
import { XpayEgProviderService } from "../providers";

/** medusa-config: { resolve: "@xpay-connect/medusa/providers/xpay-eg", id: "default", options } -> pp_xpay-eg_default. */
export default ModuleProvider(Modules.PAYMENT, { services: [XpayEgProviderService] });
