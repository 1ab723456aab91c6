// WooCommerce's checkout-block globals. Neither module is on npm (the npm `@woocommerce/settings` is a 2019 stub):
// at run time they are window.wc.wcBlocksRegistry and window.wc.wcSettings, which webpack.config.js maps them to.
// Only the parts this plugin uses are declared.

declare module "@woocommerce/blocks-registry" {
  import type { ReactElement } from "react";

  export interface CanMakePaymentArgs {
    cartTotals?: { currency_code?: string };
    billingAddress?: { country?: string };
    /** Older WooCommerce Blocks passed the billing address under this name. */
    billingData?: { country?: string };
  }

  export interface PaymentMethodOptions {
    name: string;
    paymentMethodId?: string;
    label: ReactElement;
    content: ReactElement;
    edit: ReactElement;
    canMakePayment: (args: CanMakePaymentArgs) => boolean | Promise<boolean>;
    ariaLabel: string;
    placeOrderButtonLabel?: string;
    supports?: { features?: string[]; showSavedCards?: boolean; showSaveOption?: boolean };
  }

  export function registerPaymentMethod(options: PaymentMethodOptions): void;
}

declare module "@woocommerce/settings" {
  export function getSetting<T>(name: string, fallback?: T): T;
}
