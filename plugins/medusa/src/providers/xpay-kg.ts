import { ModuleProvider, Modules } from "@medusajs/framework/utils";
import { XpayKgProviderService } from "../providers";

/** medusa-config: { resolve: "@xpay-connect/medusa/providers/xpay-kg", id: "default", options } -> pp_xpay-kg_default. */
export default ModuleProvider(Modules.PAYMENT, { services: [XpayKgProviderService] });
