import { ModuleProvider, Modules } from "@medusajs/framework/utils";
import { XpayPkProviderService } from "../providers";

/** medusa-config: { resolve: "@xpay-connect/medusa/providers/xpay-pk", id: "default", options } -> pp_xpay-pk_default. */
export default ModuleProvider(Modules.PAYMENT, { services: [XpayPkProviderService] });
