/** The xPay QR spec's own example payloads (spec 004), verbatim. */

export const loginBody = {
  client_id: "<YOUR_CLIENT_ID>",
  client_secret: "<YOUR_CLIENT_SECRET>",
};

export const qrHeaders = {
  Authorization: "Bearer <YOUR_ACCESS_TOKEN>",
  Accept: "application/json",
};

export const qrCreateBody = {
  uuid: "985b0981-8e71-41bf-97fd-4e8769e8cd9f",
  type: "dynamic",
  payer_id: "10000000000005",
  service_id: "1",
  service_name: "MyService",
  comments: "Payment comment",
  callback_url: "http://webhook.url",
  return_url: "http://redirect.url",
  check_url: "http://confirmation.url",
  amount_change: false,
  amount: 1000,
};

export const qrCreateResponse = {
  status: "Success",
  message: "Generate QR Code",
  data: {
    qr_transaction_id: "2843595907tv78Stf2coPEXvu",
    qr_code:
      "https://pay.xpay.kg#00020101021132450012ab2b.xpay.kg01011101400407202310247120211332900251745226190sa6vxjr52p62ui25204599953034175909Telemedia63044e70",
    identificator: "29435071778cycy252qj7u29y",
    type: "dynamic",
    payer_id: "10000000000005",
    service_id: "1",
    service_name: "MyService",
    comments: "Payment comment",
    callback_url: "http://webhook.url",
    return_url: "http://redirect.url",
    amount_change: false,
    request_amount: 1000,
    amount: 1000,
    payable: 992,
  },
};

export const qrStatusResponse = {
  status: "Success",
  message: "Status QR Code",
  data: {
    qr_transaction_id: "1734439544EjZ25uVX16UDKxX",
    pay_status: "COMPLETED",
    transaction_uuid: "9dc11610-0651-40ee-8459-cabe889fec3x",
    trx: "467de507-5a4d-4a26-bb95-9bdf7258f300",
    request_amount: "240.00000000",
    amount: "235.00000000",
    payable: "233.12000000",
    created_at: "2024-11-05T05:20:51.000000Z",
    executed_time: "2024-12-18 18:50:44",
  },
};

/** The spec's "Payment statuses" list. */
export const payStatuses = ["ACTIVE", "WAITING", "PROCESSING", "COMPLETED", "ERROR", "CANCELED"] as const;
