/** The XPay EG spec's own example payloads (spec 003), verbatim (JSON comments dropped). */

/** "payment with EGP currency". */
export const payBodyEgp = {
  billing_data: { name: "Islam Rostom", email: "irostom@xpay.app", phone_number: "+201119045759" },
  amount: 53.36,
  original_amount: 50,
  currency: "EGP",
  variable_amount_id: 4,
  language: "en",
  community_id: "zogDmQW",
  pay_using: "card",
};

/** "payment with foreign currency say USD". */
export const payBodyUsd = {
  billing_data: { name: "Mahmoud Shehata", email: "m@xpay.app", phone_number: "+201551236623" },
  amount: 10.27,
  original_amount: 10,
  currency: "USD",
  variable_amount_id: 25,
  language: "en",
  community_id: "zogDmQW",
  pay_using: "card",
};

/** "Pay using kiosk (aman)". */
export const payBodyKiosk = {
  billing_data: { name: "Islam Rostom", email: "irostom@xpay.app", phone_number: "+201119045759" },
  amount_piasters: 5000,
  variable_amount_id: 4,
  community_id: "1",
  pay_using: "kiosk",
};

/** "Custom Fields" example request body part. */
export const customFields = [
  { field_label: "test label1", field_value: "test one" },
  { field_label: "test label3", field_value: false },
  { field_label: "test label2", field_value: 25 },
];

/** Callback body "in case of SUCCESSFUL transaction". */
export const callbackSuccessful = {
  member_id: null,
  "test label1": "",
  total_amount: 99.99,
  "check example": true,
  "number example": "",
  transaction_id: "0901eddd-f71c-4f31-81a9-f03d08c328b5",
  "drop down example": "c2",
  transaction_status: "SUCCESSFUL",
  total_amount_piasters: 9999,
};

/** Callback body "in case of FAILED transaction". */
export const callbackFailed = { ...callbackSuccessful, transaction_status: "FAILED" };

/** The redirect URL's query parameters (spec table), for a SUCCESSFUL EGP 99.99 transaction. */
export const redirectQuery = {
  amount_piasters: "9999",
  amount: "99.99",
  transaction_uuid: "0901eddd-f71c-4f31-81a9-f03d08c328b5",
  transaction_status: "SUCCESSFUL",
};

/** The pay answer's shape (spec: `{status:{code,message,errors}, data:{iframe_url, transaction_id, transaction_status, transaction_uuid}, count, next, previous}`). */
export const payAnswerKeys = ["iframe_url", "transaction_id", "transaction_status", "transaction_uuid"];
/** Kiosk adds `message` and `bill_refrence` (the spec's spelling). */
export const kioskAnswerKeys = [...payAnswerKeys, "message", "bill_refrence"];
