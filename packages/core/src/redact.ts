/** Field names whose values are secret wherever they appear. */
const SECRET_KEYS = new Set(
  [
    "appid", "appsecret", "app_secret", "secret", "client_secret", "clientsecret", "x-api-key", "apikey", "api_key",
    "authorization", "access_token", "accesstoken", "token", "sign", "signature", "x-signature", "pi_client_secret",
    "hmacsecret", "webhooksecret", "password", "encryptionkey", "pm_token", "cvc", "cvv",
    "callback_token", "xc_token",
  ].map((k) => k.toLowerCase()),
);

/**
 * Field names that carry the shopper's or the recipient's personal data in gateway requests and
 * answers (names, phones, e-mails, national ids, account numbers): hidden like secrets, so a
 * debug transcript of a gateway call never holds customer data.
 */
const PERSONAL_KEYS = new Set(
  [
    "name", "first_name", "last_name", "full_name", "customername", "recipientname", "holder_name", "cardholder_name",
    "email", "customeremail", "recipientemail", "phone", "phone_number", "mobile", "customermobile", "recipientmobile", "msisdn",
    "customercert", "cnic", "banknumber", "accountid", "account_number", "accountnumber", "iban", "address", "billing_data",
  ].map((k) => k.toLowerCase()),
);

/** Card-number fields: only the last four digits survive. */
const CARD_NUMBER_KEYS = new Set(["number", "card_number", "pan"]);

/** What replaces a secret. */
export const REDACTED = "[redacted]";

/**
 * A deep copy of `value` with secrets and personal data replaced: every field whose name is secret
 * or personal, and every occurrence of a known secret value inside any string (URLs, query
 * strings, messages).
 */
export function redact(value: unknown, secrets: readonly string[] = []): unknown {
  const known = secrets.filter((s) => s && s.length >= 4);
  const scrub = (text: string): string => known.reduce((t, s) => t.split(s).join(REDACTED), text);
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return scrub(v);
    if (!v || typeof v !== "object" || depth > 8) return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    // A label/value pair (XPay EG custom fields) whose label is a secret's name hides its value.
    const labelled = "field_label" in v && SECRET_KEYS.has(String((v as Record<string, unknown>).field_label).toLowerCase());
    for (const [k, x] of Object.entries(v)) {
      if (labelled && k === "field_value") {
        out[k] = REDACTED;
        continue;
      }
      const key = k.toLowerCase();
      if ((SECRET_KEYS.has(key) || PERSONAL_KEYS.has(key)) && x !== null && x !== "") out[k] = REDACTED;
      else if (CARD_NUMBER_KEYS.has(key) && (typeof x === "string" || typeof x === "number")) out[k] = `************${String(x).slice(-4)}`;
      else out[k] = walk(x, depth + 1);
    }
    return out;
  };
  return walk(value, 0);
}
