import { registerPaymentMethod, type CanMakePaymentArgs, type PaymentMethodOptions } from "@woocommerce/blocks-registry";
import { getSetting } from "@woocommerce/settings";
import { useEffect, useState } from "@wordpress/element";
import { decodeEntities } from "@wordpress/html-entities";
import { __, sprintf } from "@wordpress/i18n";
import contract from "../methods.json";
import { checkWallet, walletFormat, walletHint, type WalletFormat } from "./wallet";

/** One entry of methods.json (the contract shared with the PHP gateway); only what the block uses. */
export interface Method {
  id: string;
  title: string;
  description: string;
  currencies: string[];
  countries: string[];
  wallet_field: boolean;
}

/** What the PHP side hands over through getSetting('<id>_data'). */
export interface MethodData {
  title?: string;
  description?: string;
  icon?: string;
  supports?: string[];
  wallet_field?: boolean;
  currencies?: string[];
}

/** The props WooCommerce passes to a payment method's content element (the parts used here). */
interface ContentProps {
  eventRegistration?: { onPaymentSetup: (cb: () => SetupResult) => () => void };
  emitResponse?: { responseTypes: { SUCCESS: string; ERROR: string }; noticeContexts: { PAYMENTS: string } };
}
type SetupResult =
  | { type: string; meta: { paymentMethodData: Record<string, string> } }
  | { type: string; message: string; messageContext?: string };

/** The block payment data key the PHP gateway reads (sanitize_key-safe: lower case, underscore). */
export const WALLET_KEY = "xpay_wallet";

/** Offered only in the method's currencies, and only in its countries once the billing country is known. */
export function canPay(currencies: readonly string[], countries: readonly string[], args: CanMakePaymentArgs | undefined): boolean {
  const currency = args?.cartTotals?.currency_code?.toUpperCase();
  if (!currency || !currencies.includes(currency)) return false;
  const country = (args?.billingAddress?.country || args?.billingData?.country || "").toUpperCase();
  return country === "" || countries.includes(country);
}

function Label({ title, icon }: { title: string; icon?: string }) {
  return (
    <span className="xpay-connect-label" style={{ display: "inline-flex", alignItems: "center", gap: "0.5em" }}>
      <span>{title}</span>
      {icon ? <img src={icon} alt="" height={24} style={{ maxHeight: 24, width: "auto" }} /> : null}
    </span>
  );
}

function Description({ text }: { text: string }) {
  return text ? <p className="xpay-connect-description">{text}</p> : null;
}

function WalletField({ id, title, format, eventRegistration, emitResponse }: ContentProps & { id: string; title: string; format: WalletFormat }) {
  const [value, setValue] = useState("");
  const [error, setError] = useState("");
  const onPaymentSetup = eventRegistration?.onPaymentSetup;
  useEffect(() => {
    if (!onPaymentSetup || !emitResponse) return undefined;
    return onPaymentSetup((): SetupResult => {
      const check = checkWallet(value, format);
      if (!check.ok) {
        setError(check.message);
        return { type: emitResponse.responseTypes.ERROR, message: check.message, messageContext: emitResponse.noticeContexts.PAYMENTS };
      }
      const paymentMethodData: Record<string, string> = check.value ? { [WALLET_KEY]: check.value } : {};
      return { type: emitResponse.responseTypes.SUCCESS, meta: { paymentMethodData } };
    });
  }, [onPaymentSetup, emitResponse, value, format]);
  const inputId = `${id}-wallet`;
  // WooCommerce's own text-input markup (input, then its label; `is-active` keeps the label above the value) and
  // validation-error markup, so the Checkout block's stylesheet styles the field like its address fields.
  return (
    <div className="xpay-connect-wallet">
      <div className={`wc-block-components-text-input is-active${error ? " has-error" : ""}`}>
        <input
          id={inputId}
          name={WALLET_KEY}
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${inputId}-hint${error ? ` ${inputId}-error` : ""}`}
          onChange={(e) => {
            setValue(e.target.value);
            if (error) setError("");
          }}
          onBlur={() => {
            const check = checkWallet(value, format);
            setError(check.ok ? "" : check.message);
          }}
        />
        <label htmlFor={inputId}>
          {/* translators: %s: the payment method's name, e.g. EasyPaisa. */}
          {sprintf(__("%s wallet number (optional)", "xpay-connect-woocommerce"), title)}
        </label>
      </div>
      {error ? (
        <div className="wc-block-components-validation-error" role="alert">
          <p id={`${inputId}-error`} className="xpay-connect-wallet-error">
            {error}
          </p>
        </div>
      ) : null}
      <small id={`${inputId}-hint`}>{walletHint(format)}</small>
    </div>
  );
}

/** The registerPaymentMethod options for one method: its label, description, availability and (if any) wallet field. */
export function paymentMethodOptions(method: Method, data: MethodData): PaymentMethodOptions {
  const title = decodeEntities(data.title || method.title);
  const description = decodeEntities(data.description ?? method.description);
  const currencies = data.currencies?.length ? data.currencies.map((c) => c.toUpperCase()) : method.currencies;
  const withWallet = data.wallet_field ?? method.wallet_field;
  const format = walletFormat(method.countries, currencies);
  const Content = (props: ContentProps) => (
    <>
      <Description text={description} />
      {withWallet ? <WalletField {...props} id={method.id} title={title} format={format} /> : null}
    </>
  );
  return {
    name: method.id,
    paymentMethodId: method.id,
    label: <Label title={title} icon={data.icon} />,
    content: <Content />,
    edit: <Description text={description} />,
    canMakePayment: (args) => canPay(currencies, method.countries, args),
    ariaLabel: title,
    supports: { features: data.supports?.length ? data.supports : ["products"] },
  };
}

/**
 * Registers one checkout-block payment method per entry of methods.json whose gateway the PHP side made active (it
 * hands over getSetting('<id>_data') only for those). The paymentMethodId equals the WooCommerce gateway id.
 */
export function registerAll(): void {
  for (const method of contract.methods as Method[]) {
    const data = getSetting<MethodData | null>(`${method.id}_data`, null);
    if (data && typeof data === "object") registerPaymentMethod(paymentMethodOptions(method, data));
  }
}
