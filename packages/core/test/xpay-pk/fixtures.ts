/**
 * Spec 002's example payloads. The spec gives templates with blank values; these are the same
 * shapes, field for field, with plausible values filled in. `SPEC_TEMPLATE_CREATE` is the spec's
 * create answer exactly as printed (blank values), kept to show how the connector treats it.
 */

export const INTENT_ID = "xpay_pi_66b0c1d2e3f4a5b6c7d8e9f0";
export const CLIENT_SECRET = "xpay_pi_66b0c1d2e3f4a5b6c7d8e9f0_secret_q8w7e6r5t4y3u2i1o0p9a8s7";
export const SAVED_TOKEN = "xpay_tok_z9x8c7v6b5n4m3l2k1j0h9g8";

/** Create PI Success. */
export const CREATE_PI_SUCCESS = {
  success: true,
  responseStatus: "OK",
  message: "Payment intent created successfully",
  data: {
    _id: INTENT_ID,
    pi_client_secret: CLIENT_SECRET,
    created_at: "2026-08-01T10:00:00.000Z",
    updated_at: "2026-08-01T10:00:00.000Z",
    amount: 150000,
    currency: "PKR",
    refund: { refunded_amount: 0, refund_object_id: null },
    object_name: "payment_intent",
    customer: { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567", vip_customer: false, previous_customer: false },
    description: "Order ORD-1",
    pi_status: "requires_payment_method",
    pm_token: "",
    shipping: { address1: "", address2: "", city: "", country: "", firstName: "", lastName: "", phone: "", province: "", zip: "", shipping_method: "" },
    metadata: { order_reference: "ORD-1", reason: "" },
    token: null,
    capture_method: "automatic",
    return_url: "https://shop.example/return",
    html_response: "",
    bank_response: "",
    last_payment_response: { token: null },
    encryptionKey: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
    product: { product_name: "", product_category: "", no_of_items: 0, _id: INTENT_ID },
    billingAddress: {},
    routing_rules_history: [],
    subscription: {},
    checkout_page_url: "https://xstak-pay-stg.xstak.com/checkout/xpay_pi_66b0c1d2e3f4a5b6c7d8e9f0",
    dqr_data: {},
  },
};

/** Confirm PI Requires 3DS (with the challenge in `html_response`, a field of the intent object). */
export const CONFIRM_REQUIRES_3DS = {
  success: true,
  responseStatus: "OK",
  message: "Authentication required",
  data: {
    _id: INTENT_ID,
    pi_client_secret: CLIENT_SECRET,
    created_at: "2026-08-01T10:00:00.000Z",
    updated_at: "2026-08-01T10:01:00.000Z",
    last_update: "2026-08-01T10:01:00.000Z",
    amount: 150000,
    currency: "PKR",
    payment_method_types: ["card"],
    customer: { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" },
    description: "Order ORD-1",
    pi_status: "requires_action",
    pm_token: "",
    html_response: '<form id="acs" action="https://acs.bank.example/challenge"></form>',
  },
};

/** Payment Captured. */
export const PAYMENT_CAPTURED = {
  success: true,
  responseStatus: "OK",
  message: "Payment captured successfully",
  data: {
    last_payment_response: { error: false, status: "PAYMENT_CAPTURED", message: "Payment captured successfully", token: SAVED_TOKEN },
    error: false,
    status: "PAYMENT_CAPTURED",
    message: "Payment captured successfully",
    token: SAVED_TOKEN,
    payment_method_types: ["card"],
    account_id: "0a1b2c3d4e5f6071",
    versionNo: "1",
    token_data: { agreementId: "agr_1", traceId: "123456789012" },
  },
};

/** Tokenized payment Captured. */
export const TOKENIZED_CAPTURED = {
  success: true,
  responseStatus: "OK",
  message: "Payment captured successfully",
  data: {
    _id: "xpay_pi_77c1d2e3f4a5b6c7d8e9f0a1",
    pi_client_secret: "xpay_pi_77c1d2e3f4a5b6c7d8e9f0a1_secret_abc",
    created_at: "2026-08-02T10:00:00.000Z",
    updated_at: "2026-08-02T10:00:01.000Z",
    last_update: "2026-08-02T10:00:01.000Z",
    amount: 99950,
    currency: "PKR",
    refund: { refunded_amount: 0, refund_object_id: null },
    object_name: "payment_intent",
    payment_method_types: ["card"],
    customer: { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" },
    description: "Renewal",
    pi_status: "succeeded",
    pm_token: "",
    shipping: { address1: "", address2: "", city: "", country: "", firstName: "", lastName: "", phone: "", province: "", zip: "", shipping_method: "" },
    metadata: { order_reference: "ORD-2" },
    token: null,
    capture_method: "automatic",
    return_url: "",
    html_response: "",
    bank_response: "",
    last_payment_response: { error: false, status: "PAYMENT_CAPTURED", message: "Payment captured successfully", token: null },
    encryptionKey: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
    billingAddress: {},
    routing_rules_history: [],
    gateway: "bank-alfalah",
    subscription: {},
    checkout_page_url: "https://xstak-pay-stg.xstak.com/checkout/xpay_pi_77c1d2e3f4a5b6c7d8e9f0a1",
    dqr_data: {},
  },
};

/** Payment Fail. */
export const PAYMENT_FAIL = {
  success: false,
  responseStatus: "Bad Request",
  message: "Payment failed",
  data: {
    last_payment_response: { error: true, status: "PAYMENT_FAILED", message: "Do not honour", token: null, card_details: {} },
    error: true,
    status: "PAYMENT_FAILED",
    message: "Do not honour",
    token: null,
    card_details: {},
    account_id: "0a1b2c3d4e5f6071",
    versionNo: "1",
    payment_method_types: "card",
  },
};

/** Invalid Card. */
export const INVALID_CARD = { status: 400, message: "Card has expired", data: [], success: false };

/** Invalid Payment Intent. */
export const INVALID_PAYMENT_INTENT = {
  success: false,
  responseStatus: "Not Found",
  message: "Payment intent not found",
  error: { message: "Payment intent not found", statusCode: 404 },
};

/** Payment Already Captured. */
export const ALREADY_CAPTURED = {
  success: false,
  responseStatus: "Bad Request",
  message: "Payment already captured",
  error: { statusCode: 400, message: "Payment already captured" },
};

/** The spec's Create PI Success exactly as printed: every value blank. */
export const SPEC_TEMPLATE_CREATE = {
  success: true,
  responseStatus: "",
  message: "",
  data: {
    _id: "",
    pi_client_secret: "",
    created_at: "",
    updated_at: "",
    amount: 0,
    currency: "",
    refund: { refunded_amount: 0, refund_object_id: "" },
    object_name: "",
    customer: { name: "", email: "", phone: "", vip_customer: false, previous_customer: false },
    description: "",
    pi_status: "",
    pm_token: "",
    shipping: { address1: "", address2: "", city: "", country: "", firstName: "", lastName: "", phone: "", province: "", zip: "", shipping_method: "" },
    metadata: { order_reference: "", reason: "" },
    token: "",
    capture_method: "",
    return_url: "",
    html_response: "",
    bank_response: "",
    last_payment_response: { token: "" },
    encryptionKey: "",
    product: { product_name: "", product_category: "", no_of_items: 0, _id: "" },
    billingAddress: {},
    routing_rules_history: [],
    subscription: {},
    checkout_page_url: "",
    dqr_data: {},
  },
};
