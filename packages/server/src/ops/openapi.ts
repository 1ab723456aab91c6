import type { FastifyInstance } from "fastify";
import { GATEWAY_IDS, PAYMENT_STATUSES } from "@xpay-connect/core";
import { DASHBOARD_CALLBACK_GATEWAYS } from "../api/callbacks";
import type { ServiceContext } from "../context";

/**
 * Route prefixes the document leaves out on purpose: the demo store is HTML pages for people, not
 * API. Every other route the service registers must be documented (test/ops-openapi.test.ts checks).
 */
export const UNDOCUMENTED_PREFIXES: readonly string[] = ["/demo"];

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, description: string): Json => ({ description, content: { "application/json": { schema } } });
const errors = (...codes: number[]): Json =>
  Object.fromEntries(codes.map((code) => [String(code), { $ref: `#/components/responses/${ERROR_RESPONSES[code] ?? "BadRequest"}` }]));

const ERROR_RESPONSES: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthenticated",
  402: "Declined",
  404: "NotFound",
  409: "Conflict",
  422: "Unprocessable",
  502: "OutcomeUnknown",
};

const idempotencyKey: Json = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Stripe's semantics: the first answer for a key is stored and replayed for the same key and body; the same key with another body answers 422; a key whose first request still runs answers 409. Input errors are not stored, so a fixed request may reuse its key.",
  schema: { type: "string", minLength: 1, maxLength: 255 },
};
const pathId = (name: string, description: string): Json => ({ name, in: "path", required: true, description, schema: { type: "string" } });
const listQuery: Json[] = [
  { name: "limit", in: "query", description: "Page size.", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
  { name: "status", in: "query", description: "Only this status.", schema: ref("PaymentStatus") },
  { name: "gateway", in: "query", description: "Only this gateway.", schema: ref("GatewayId") },
  { name: "order_ref", in: "query", description: "Only this merchant order reference.", schema: { type: "string" } },
  { name: "starting_after", in: "query", description: "The `next_cursor` of the previous page.", schema: { type: "string" } },
];
const money = (description: string): Json => ({ type: "string", pattern: "^-?\\d+(\\.\\d+)?$", description: `${description} A decimal string in major units (\`"1500.00"\`), never a JSON number.`, examples: ["1500.00"] });

/** Everything the document names once and refers to. */
const COMPONENTS: Json = {
  securitySchemes: {
    apiKey: { type: "http", scheme: "bearer", description: "A merchant API key (`xc_live_...` or `xc_test_...`), from `xpay-connect merchant create` or `key rotate`." },
  },
  schemas: {
    GatewayId: { type: "string", enum: [...GATEWAY_IDS] },
    PaymentStatus: {
      type: "string",
      enum: [...PAYMENT_STATUSES],
      description: "One monotone machine for every gateway: a final status never goes back; a contradicting report is kept in `flagged`.",
    },
    Error: {
      type: "object",
      required: ["error"],
      properties: {
        error: {
          type: "object",
          required: ["code", "message"],
          properties: {
            code: {
              type: "string",
              description:
                "What to do next: invalid_input (fix `field`), invalid_request, unauthenticated, not_found, declined, idempotency_key_reused, idempotency_in_progress, capability_missing, not_refundable, endpoint_disabled, limit_reached, unknown_callback_url, outcome_unknown, internal.",
            },
            message: { type: "string", description: "What happened, naming the field and the value that was wrong." },
            field: { type: "string", description: "The offending field, as a dotted path (`customer.name`), a header (`Idempotency-Key`) or a query parameter." },
            gateway_code: { type: "string", description: "The gateway's own code, on `declined`." },
            payment: { ...ref("Payment"), description: "On a declined pay-in: the payment, now failed." },
            payout: { ...ref("Payout"), description: "On a declined payout: the payout, now failed." },
          },
        },
      },
    },
    NextAction: {
      description: "How the shopper goes on.",
      oneOf: [
        { type: "object", required: ["type", "url"], properties: { type: { const: "redirect" }, url: { type: "string", format: "uri" } } },
        { type: "object", required: ["type", "url"], properties: { type: { const: "iframe" }, url: { type: "string", format: "uri" } } },
        { type: "object", required: ["type", "url", "qrData"], properties: { type: { const: "qr" }, url: { type: "string", format: "uri" }, qrData: { type: "string" } } },
        { type: "object", required: ["type", "billReference"], properties: { type: { const: "kiosk" }, billReference: { type: "string" }, url: { type: "string", format: "uri" } } },
        { type: "object", required: ["type"], properties: { type: { const: "none" } } },
      ],
    },
    Customer: {
      type: "object",
      required: ["name"],
      properties: { name: { type: "string", minLength: 1 }, email: { type: "string" }, phone: { type: "string", description: "Xpress Pay: the wallet number (03xxxxxxxxx); without it the hosted page asks." } },
    },
    Metadata: { type: "object", maxProperties: 20, additionalProperties: { type: "string", maxLength: 500 }, description: "Your own keys, returned as given." },
    PaymentCreate: {
      type: "object",
      required: ["gateway", "method", "order_ref", "amount", "currency", "customer"],
      properties: {
        gateway: ref("GatewayId"),
        method: { type: "string", description: "The channel: xpress-pay easypaisa|jazzcash; xpay-pk card; xpay-eg card|kiosk|fawry|wallet|valu; xpay-kg qr.", examples: ["easypaisa"] },
        order_ref: { type: "string", maxLength: 128, description: "Your order number; the gateway sees our payment id as its merchant reference." },
        amount: money("The amount."),
        currency: { type: "string", minLength: 3, maxLength: 3, description: "ISO code the gateway takes (PKR, EGP, KGS).", examples: ["PKR"] },
        customer: ref("Customer"),
        return_url: { type: "string", format: "uri", maxLength: 2048, description: "Where the gateway's page sends the shopper back (http or https)." },
        description: { type: "string", maxLength: 255 },
        metadata: ref("Metadata"),
      },
    },
    PaymentEvent: {
      type: "object",
      required: ["type", "source", "at"],
      properties: {
        type: { type: "string", description: "created, status_changed, status_unchanged, status_conflict, create_outcome_unknown, ..." },
        from: { type: ["string", "null"] },
        to: { type: ["string", "null"] },
        source: { type: "string", enum: ["api", "callback", "reconcile", "expiry", "refund"] },
        detail: { type: "object" },
        at: { type: "string", format: "date-time" },
      },
    },
    Payment: {
      type: "object",
      description: "A pay-in (`object: payment`) or a payout (`object: payout`).",
      required: ["id", "object", "gateway", "method", "order_ref", "amount", "currency", "status", "gateway_status", "gateway_ref", "next_action", "return_url", "metadata", "refunded_amount", "flagged", "expires_at", "created_at", "updated_at"],
      properties: {
        id: { type: "string", examples: ["pay_3kTqx9Lw2VbNcQ8e"] },
        object: { type: "string", enum: ["payment", "payout"] },
        gateway: ref("GatewayId"),
        method: { type: "string" },
        order_ref: { type: "string" },
        amount: money("What the shopper is charged (XPay EG with fees in the bill: the total)."),
        currency: { type: "string" },
        status: ref("PaymentStatus"),
        gateway_status: { type: ["string", "null"], description: "The gateway's own status, as sent." },
        gateway_ref: { type: ["string", "null"], description: "The gateway's id for it." },
        next_action: { oneOf: [ref("NextAction"), { type: "null" }], description: "Cleared once the payment leaves pending/requires_action." },
        return_url: { type: ["string", "null"] },
        metadata: ref("Metadata"),
        refunded_amount: money("Refunded so far."),
        flagged: { type: ["string", "null"], description: "Set when a report contradicted a final status (kept, not applied)." },
        expires_at: { type: ["string", "null"], format: "date-time" },
        created_at: { type: "string", format: "date-time" },
        updated_at: { type: "string", format: "date-time" },
        events: { type: "array", items: ref("PaymentEvent"), description: "The timeline, oldest first; only on a single payment's GET." },
      },
    },
    PaymentList: {
      type: "object",
      required: ["object", "data", "has_more", "next_cursor"],
      properties: {
        object: { const: "list" },
        data: { type: "array", items: ref("Payment") },
        has_more: { type: "boolean" },
        next_cursor: { type: ["string", "null"], description: "Pass as `starting_after` for the next page." },
      },
    },
    RefundCreate: {
      type: "object",
      properties: { amount: money("How much to refund; what is left to refund when absent."), reason: { type: "string", maxLength: 255 } },
    },
    Refund: {
      type: "object",
      required: ["id", "object", "payment_id", "amount", "currency", "status", "reason", "gateway_status", "error", "created_at", "updated_at"],
      properties: {
        id: { type: "string", examples: ["re_8fQ2..."] },
        object: { const: "refund" },
        payment_id: { type: "string" },
        amount: money("The refunded amount."),
        currency: { type: "string" },
        status: { type: "string", enum: ["pending", "succeeded", "failed"], description: "pending while the gateway's answer is unknown (reconciliation settles it)." },
        reason: { type: ["string", "null"] },
        gateway_status: { type: ["string", "null"] },
        error: { type: ["string", "null"], description: "Why a failed refund failed." },
        created_at: { type: "string", format: "date-time" },
        updated_at: { type: "string", format: "date-time" },
      },
    },
    PaymentWithRefund: {
      description: "The payment after the refund (its `refunded_amount` and status updated), with the refund.",
      allOf: [ref("Payment"), { type: "object", required: ["refund"], properties: { refund: ref("Refund") } }],
    },
    RefundList: { type: "object", required: ["object", "data"], properties: { object: { const: "list" }, data: { type: "array", items: ref("Refund") } } },
    Recipient: {
      type: "object",
      required: ["name"],
      description: "Which fields are needed depends on the gateway and method (PayPro bank: bank_code, account_number, national_id).",
      properties: {
        name: { type: "string" },
        mobile: { type: "string", description: "Wallet or mobile number." },
        email: { type: "string" },
        national_id: { type: "string", description: "PayPro: CNIC, 13 digits." },
        bank_code: { type: "string", description: "From the gateway's bank list." },
        account_number: { type: "string" },
      },
    },
    PayoutCreate: {
      type: "object",
      required: ["gateway", "method", "order_ref", "amount", "currency", "recipient"],
      properties: {
        gateway: { type: "string", enum: ["xpress-pay", "paypro"] },
        method: { type: "string", description: "xpress-pay easypaisa|jazzcash; paypro bank|wallet|easypaisa|jazzcash." },
        order_ref: { type: "string", maxLength: 128 },
        amount: money("The amount to send (PayPro: whole rupees)."),
        currency: { type: "string", examples: ["PKR"] },
        recipient: ref("Recipient"),
        remark: { type: "string" },
        metadata: ref("Metadata"),
      },
    },
    Payout: {
      description: "A payout: the payment shape with `object: payout`, and its recipient (national id not kept, account number masked).",
      allOf: [
        ref("Payment"),
        {
          type: "object",
          required: ["recipient"],
          properties: {
            recipient: {
              type: ["object", "null"],
              properties: { name: { type: "string" }, mobile: { type: "string" }, email: { type: "string" }, bank_code: { type: "string" }, account_number: { type: "string", examples: ["****6789"] } },
            },
          },
        },
      ],
    },
    PayoutList: {
      type: "object",
      required: ["object", "data", "has_more", "next_cursor"],
      properties: { object: { const: "list" }, data: { type: "array", items: ref("Payout") }, has_more: { type: "boolean" }, next_cursor: { type: ["string", "null"] } },
    },
    MoneyAmount: {
      type: "object",
      required: ["amount", "currency"],
      properties: { amount: money("The amount."), currency: { type: "string" } },
    },
    Balance: {
      type: "object",
      required: ["object", "gateway", "currency", "available"],
      properties: {
        object: { const: "balance" },
        gateway: ref("GatewayId"),
        currency: { type: "string" },
        available: { ...ref("MoneyAmount"), description: "What can be paid out now." },
        collected: { ...ref("MoneyAmount"), description: "Collected from pay-ins, when the gateway reports it." },
        frozen: { ...ref("MoneyAmount"), description: "Held back (frozen, disputed), when reported." },
      },
    },
    EndpointCreate: {
      type: "object",
      required: ["url"],
      properties: {
        url: { type: "string", format: "uri", maxLength: 2048, description: "Your storefront's http(s) URL that receives status events." },
        description: { type: "string", maxLength: 255 },
      },
    },
    EndpointRotate: {
      type: "object",
      properties: { grace_seconds: { type: "integer", minimum: 0, maximum: 604800, default: 86400, description: "How long the previous secret keeps signing too (a second v1 signature)." } },
    },
    Endpoint: {
      type: "object",
      required: ["id", "object", "url", "description", "enabled", "created_at", "disabled_at", "previous_secret_expires_at"],
      properties: {
        id: { type: "string", examples: ["end_9sQw2..."] },
        object: { const: "endpoint" },
        url: { type: "string", format: "uri" },
        description: { type: ["string", "null"] },
        enabled: { type: "boolean" },
        created_at: { type: "string", format: "date-time" },
        disabled_at: { type: ["string", "null"], format: "date-time" },
        previous_secret_expires_at: { type: ["string", "null"], format: "date-time", description: "While in the future, deliveries carry a second v1 signature made with the previous secret." },
        secret: { type: "string", description: "The signing secret (`whsec_...`): only in the answers of create and rotate-secret. Store it; it is not shown again." },
      },
    },
    EndpointList: { type: "object", required: ["object", "data"], properties: { object: { const: "list" }, data: { type: "array", items: ref("Endpoint") } } },
    Event: {
      type: "object",
      required: ["id", "type", "created_at", "data"],
      description: "A status change delivered to your endpoint. `id` is stable (one per payment and status): deduplicate on it.",
      properties: {
        id: { type: "string", examples: ["evt_Xq3..."] },
        type: { type: "string", examples: ["payment.succeeded", "payment.failed", "payout.succeeded"] },
        created_at: { type: "string", format: "date-time" },
        data: ref("Payment"),
      },
    },
    Readiness: {
      type: "object",
      required: ["ready", "checks"],
      properties: {
        ready: { type: "boolean" },
        checks: {
          type: "object",
          properties: {
            database: { enum: ["ok", "unreachable"] },
            migrations: { enum: ["ok", "pending", "unknown"] },
          },
        },
        missing_migrations: { type: "array", items: { type: "integer" } },
      },
    },
  },
  responses: {
    BadRequest: json(ref("Error"), "Bad input: `error.field` names what to fix. Nothing was stored or sent."),
    Unauthenticated: json(ref("Error"), "No API key, or not a valid one (`field: Authorization`)."),
    Declined: json(ref("Error"), "The gateway said no (`code: declined`); `error.payment` is the failed payment."),
    NotFound: json(ref("Error"), "No such object for this merchant (`field: id`)."),
    Conflict: json(ref("Error"), "The first request with this Idempotency-Key still runs (`idempotency_in_progress`: retry shortly), or the object's state forbids it (`not_refundable`, `endpoint_disabled`)."),
    Unprocessable: json(
      ref("Error"),
      "Idempotency-Key reused with another body or on another route (`idempotency_key_reused`), the gateway cannot do this (`capability_missing`, `field: gateway`), or a limit is reached (`limit_reached`).",
    ),
    OutcomeUnknown: json(ref("Error"), "The gateway did not answer clearly; query before retrying (reconciliation will learn the outcome)."),
  },
};

const bearer = [{ apiKey: [] }];
const open: Json[] = [];

/** Every route: path (OpenAPI form) -> method -> operation. */
const PATHS: Json = {
  "/v1/payments": {
    post: {
      operationId: "createPayment",
      summary: "Create a pay-in",
      description: "Stored first (pending), then created at the gateway with our payment id as the merchant reference. Answers the payment and its next action.",
      tags: ["payments"],
      security: bearer,
      parameters: [idempotencyKey],
      requestBody: { required: true, content: { "application/json": { schema: ref("PaymentCreate") } } },
      responses: {
        "201": json(ref("Payment"), "Created at the gateway; send the shopper to `next_action`."),
        "202": json(ref("Payment"), "Stored, but the gateway's answer was unclear: reconciliation will settle it. Do not create another."),
        ...errors(400, 401, 402, 409, 422),
      },
    },
    get: {
      operationId: "listPayments",
      summary: "List pay-ins, newest first",
      tags: ["payments"],
      security: bearer,
      parameters: listQuery,
      responses: { "200": json(ref("PaymentList"), "A page."), ...errors(400, 401) },
    },
  },
  "/v1/payments/{id}": {
    get: {
      operationId: "getPayment",
      summary: "A pay-in with its event timeline",
      tags: ["payments"],
      security: bearer,
      parameters: [pathId("id", "The payment id (`pay_...`).")],
      responses: { "200": json(ref("Payment"), "The payment, with `events`."), ...errors(401, 404) },
    },
  },
  "/v1/payments/{id}/refunds": {
    post: {
      operationId: "refundPayment",
      summary: "Refund a succeeded pay-in, wholly or partly (where the gateway can)",
      description: "The amount is reserved under the payment's lock (never more than what is left), sent to the gateway, then settled: the payment becomes partially_refunded or refunded, with an outbox event.",
      tags: ["payments"],
      security: bearer,
      parameters: [pathId("id", "The payment id."), idempotencyKey],
      requestBody: { required: false, content: { "application/json": { schema: ref("RefundCreate") } } },
      responses: {
        "201": json(ref("PaymentWithRefund"), "Refunded."),
        "202": json(ref("PaymentWithRefund"), "Sent, outcome unknown: the refund stays pending and reconciliation settles it."),
        ...errors(400, 401, 402, 404, 409, 422),
      },
    },
    get: {
      operationId: "listRefunds",
      summary: "A pay-in's refunds, oldest first",
      tags: ["payments"],
      security: bearer,
      parameters: [pathId("id", "The payment id.")],
      responses: { "200": json(ref("RefundList"), "Every refund of the payment."), ...errors(401, 404) },
    },
  },
  "/v1/payouts": {
    post: {
      operationId: "createPayout",
      summary: "Send money out (xpress-pay, paypro)",
      description: "Stored first (pending), then created at the gateway with our payout id as the merchant reference; the outcome arrives by callback or reconciliation.",
      tags: ["payouts"],
      security: bearer,
      parameters: [idempotencyKey],
      requestBody: { required: true, content: { "application/json": { schema: ref("PayoutCreate") } } },
      responses: {
        "201": json(ref("Payout"), "Created at the gateway, usually pending until it reports."),
        "202": json(ref("Payout"), "Stored, outcome unknown: reconciliation settles it. Do not create another."),
        ...errors(400, 401, 402, 409, 422),
      },
    },
    get: {
      operationId: "listPayouts",
      summary: "List payouts, newest first",
      tags: ["payouts"],
      security: bearer,
      parameters: listQuery,
      responses: { "200": json(ref("PayoutList"), "A page of payouts."), ...errors(400, 401) },
    },
  },
  "/v1/payouts/{id}": {
    get: {
      operationId: "getPayout",
      summary: "A payout with its event timeline",
      tags: ["payouts"],
      security: bearer,
      parameters: [pathId("id", "The payout id (`po_...`).")],
      responses: { "200": json(ref("Payout"), "The payout, with `events`."), ...errors(401, 404) },
    },
  },
  "/v1/balances/{gateway}": {
    get: {
      operationId: "getBalance",
      summary: "The merchant's balance at a gateway (where it reports one)",
      tags: ["payouts"],
      security: bearer,
      parameters: [{ name: "gateway", in: "path", required: true, schema: ref("GatewayId") }],
      responses: { "200": json(ref("Balance"), "The balance, asked of the gateway now."), ...errors(400, 401, 422, 502) },
    },
  },
  "/v1/endpoints": {
    post: {
      operationId: "createEndpoint",
      summary: "Add a storefront endpoint (where status changes are delivered)",
      description:
        "Each status change is POSTed to every enabled endpoint as an `Event`, signed `X-Xpay-Connect-Signature: t=<unix>,v1=<hex HMAC-SHA256 of \"t.body\">` with the endpoint's secret, and retried with exponential backoff for at least 24 hours until a 2xx. At most 16 enabled endpoints per merchant.",
      tags: ["endpoints"],
      security: bearer,
      requestBody: { required: true, content: { "application/json": { schema: ref("EndpointCreate") } } },
      responses: { "201": json(ref("Endpoint"), "The endpoint and its signing `secret` (shown once)."), ...errors(400, 401, 422) },
    },
    get: {
      operationId: "listEndpoints",
      summary: "The merchant's endpoints, enabled first (secrets are not shown)",
      tags: ["endpoints"],
      security: bearer,
      responses: { "200": json(ref("EndpointList"), "The endpoints (at most 100)."), ...errors(401) },
    },
  },
  "/v1/endpoints/{id}": {
    delete: {
      operationId: "deleteEndpoint",
      summary: "Disable an endpoint: nothing more is delivered to it (its waiting deliveries are given up)",
      tags: ["endpoints"],
      security: bearer,
      parameters: [pathId("id", "The endpoint id.")],
      responses: { "200": json(ref("Endpoint"), "The endpoint, disabled."), ...errors(401, 404) },
    },
  },
  "/v1/endpoints/{id}/rotate-secret": {
    post: {
      operationId: "rotateEndpointSecret",
      summary: "Replace an endpoint's signing secret (the previous one keeps signing during a grace period)",
      tags: ["endpoints"],
      security: bearer,
      parameters: [pathId("id", "The endpoint id.")],
      requestBody: { required: false, content: { "application/json": { schema: ref("EndpointRotate") } } },
      responses: { "200": json(ref("Endpoint"), "The endpoint with its new `secret` (shown once)."), ...errors(400, 401, 404, 409) },
    },
  },
  "/callbacks/{gateway}/{paymentId}/{token}": {
    post: {
      operationId: "gatewayCallback",
      summary: "A gateway's callback for one payment (the URL we give the gateway with each payment)",
      description:
        "Not for you to call: gateways post here. The token is checked in constant time; the body is stored before it is acknowledged, then verified (signature or query-back, amount and currency) and applied. The answer is what each gateway expects (xpress-pay: plaintext `SUCCESS`; paypro: `OK`).",
      tags: ["callbacks"],
      security: open,
      parameters: [
        { name: "gateway", in: "path", required: true, schema: ref("GatewayId") },
        pathId("paymentId", "Our payment id."),
        pathId("token", "The payment's unguessable callback token."),
      ],
      requestBody: { required: true, description: "The gateway's own callback body, verified over the exact bytes received.", content: { "*/*": { schema: {} } } },
      responses: {
        "200": { description: "Stored: the gateway's own acknowledgement.", content: { "text/plain": { schema: { type: "string" } }, "application/json": { schema: { type: "object" } } } },
        "400": json(ref("Error"), "An empty body (`field: body`)."),
        "404": json(ref("Error"), "Not one of our callback URLs (`field: gateway` or `token`; an unknown payment answers like a wrong token)."),
      },
    },
  },
  "/callbacks/{gateway}": {
    post: {
      operationId: "gatewayDashboardCallback",
      summary: "A gateway's callback to the URL set in its dashboard",
      description: `For ${DASHBOARD_CALLBACK_GATEWAYS.join(" and ")}, whose callback URL is a dashboard setting: set it to <PUBLIC_URL>/callbacks/<gateway>. The body names our payment id; it is stored, then verified and applied.`,
      tags: ["callbacks"],
      security: open,
      parameters: [{ name: "gateway", in: "path", required: true, schema: { type: "string", enum: [...DASHBOARD_CALLBACK_GATEWAYS] } }],
      requestBody: { required: true, content: { "application/json": { schema: { type: "object" } } } },
      responses: {
        "200": json({ type: "object" }, "Stored: `{\"received\":true}`."),
        "400": json(ref("Error"), "An empty body (`field: body`)."),
        "404": json(ref("Error"), "Not a dashboard-configured gateway (`field: gateway`)."),
      },
    },
  },
  "/healthz": {
    get: {
      operationId: "health",
      summary: "Liveness: the process answers",
      tags: ["operations"],
      security: open,
      responses: { "200": json({ type: "object", properties: { ok: { const: true } } }, "Alive.") },
    },
  },
  "/readyz": {
    get: {
      operationId: "readiness",
      summary: "Readiness: the database answers and migrations are applied (503 while shutting down)",
      tags: ["operations"],
      security: open,
      responses: { "200": json(ref("Readiness"), "Send traffic."), "503": json(ref("Readiness"), "Do not send traffic; `checks` says why.") },
    },
  },
  "/metrics": {
    get: {
      operationId: "metrics",
      summary: "Prometheus metrics of this instance (keep it on an internal network)",
      tags: ["operations"],
      security: open,
      responses: { "200": { description: "Prometheus text format.", content: { "text/plain": { schema: { type: "string" } } } } },
    },
  },
  "/openapi.json": {
    get: {
      operationId: "openapi",
      summary: "This document",
      tags: ["operations"],
      security: open,
      responses: { "200": json({ type: "object" }, "OpenAPI 3.1.") },
    },
  },
};

/** The OpenAPI 3.1 document of the service's HTTP API, with `publicUrl` as its server. */
export function openApiDocument(publicUrl: string): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "xpay-connect",
      version: "1",
      summary: "Payments through regional gateways (Pakistan, Egypt, Kyrgyzstan), durable and verified.",
      description:
        "Amounts are decimal strings in major units with a currency (`\"1500.00\"` PKR), never JSON numbers. Every error is `{ error: { code, message, field? } }`, and bad input names the field. Guide: docs/server.md.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: publicUrl }],
    security: bearer,
    tags: [
      { name: "payments", description: "Pay-ins and refunds." },
      { name: "payouts", description: "Payouts and balances." },
      { name: "endpoints", description: "Where status changes are delivered, signed." },
      { name: "callbacks", description: "Gateway callback intake (gateways call these)." },
      { name: "operations", description: "Health, readiness, metrics." },
    ],
    paths: PATHS,
    webhooks: {
      statusChanged: {
        post: {
          summary: "A status change, delivered to each enabled endpoint of the merchant",
          description: "Verify `X-Xpay-Connect-Signature: t=<unix>,v1=<hex>`: HMAC-SHA256 with the endpoint secret over `<t>.<raw body>`, constant-time, and refuse a `t` more than 5 minutes away. Answer 2xx once stored; anything else is retried with exponential backoff for at least 24 hours.",
          parameters: [
            { name: "X-Xpay-Connect-Signature", in: "header", required: true, description: "`t=<unix>,v1=<hex>`; two v1 values while a rotated secret's grace period runs.", schema: { type: "string", examples: ["t=1700000000,v1=5257a869e7..."] } },
            { name: "X-Xpay-Connect-Event-Id", in: "header", required: true, description: "The event id, the same on every retry: deduplicate on it.", schema: { type: "string" } },
          ],
          requestBody: { required: true, content: { "application/json": { schema: ref("Event") } } },
          responses: { "200": { description: "Received; any 2xx stops retries." } },
        },
      },
    },
    components: COMPONENTS,
  };
}

/** `GET /openapi.json`. */
export function openApiRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get("/openapi.json", async () => openApiDocument(ctx.config.publicUrl));
}
