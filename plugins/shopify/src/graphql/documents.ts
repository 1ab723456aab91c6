/**
 * Every GraphQL document the app sends to the Payments Apps API (2026-07), in one place so a test
 * can validate each against Shopify's real schema. Resolve/reject/configure errors are `UserError`
 * (field, message: no `code`); pending and refund/capture/void errors carry a `code`.
 */

/** The API version of every document here. */
export const PAYMENTS_APPS_API_VERSION = "2026-07";

/** The payment session's state and where Shopify sends the buyer next. */
const PAYMENT_SESSION = `paymentSession {
      id
      state {
        __typename
        ... on PaymentSessionState { code }
        ... on PaymentSessionStateRejected { rejectedReason: reason merchantMessage }
        ... on PaymentSessionStatePending { pendingReason: reason }
      }
      nextAction {
        action
        context { ... on PaymentSessionActionsRedirect { redirectUrl } }
      }
    }`;

export const PAYMENT_SESSION_RESOLVE = `mutation PaymentSessionResolve($id: ID!) {
  paymentSessionResolve(id: $id) {
    ${PAYMENT_SESSION}
    userErrors { field message }
  }
}`;

export const PAYMENT_SESSION_REJECT = `mutation PaymentSessionReject($id: ID!, $reason: PaymentSessionRejectionReasonInput!) {
  paymentSessionReject(id: $id, reason: $reason) {
    ${PAYMENT_SESSION}
    userErrors { field message }
  }
}`;

export const PAYMENT_SESSION_PENDING = `mutation PaymentSessionPending($id: ID!, $pendingExpiresAt: DateTime!, $reason: PaymentSessionStatePendingReason!) {
  paymentSessionPending(id: $id, pendingExpiresAt: $pendingExpiresAt, reason: $reason) {
    ${PAYMENT_SESSION}
    userErrors { field message code }
  }
}`;

export const REFUND_SESSION_RESOLVE = `mutation RefundSessionResolve($id: ID!) {
  refundSessionResolve(id: $id) {
    refundSession { id state { __typename ... on RefundSessionState { code } } }
    userErrors { field message code }
  }
}`;

export const REFUND_SESSION_REJECT = `mutation RefundSessionReject($id: ID!, $reason: RefundSessionRejectionReasonInput!) {
  refundSessionReject(id: $id, reason: $reason) {
    refundSession { id state { __typename ... on RefundSessionState { code } } }
    userErrors { field message code }
  }
}`;

export const CAPTURE_SESSION_RESOLVE = `mutation CaptureSessionResolve($id: ID!) {
  captureSessionResolve(id: $id) {
    captureSession { id state { __typename ... on CaptureSessionState { code } } }
    userErrors { field message code }
  }
}`;

export const CAPTURE_SESSION_REJECT = `mutation CaptureSessionReject($id: ID!, $reason: CaptureSessionRejectionReasonInput!) {
  captureSessionReject(id: $id, reason: $reason) {
    captureSession { id state { __typename ... on CaptureSessionState { code } } }
    userErrors { field message code }
  }
}`;

export const VOID_SESSION_RESOLVE = `mutation VoidSessionResolve($id: ID!) {
  voidSessionResolve(id: $id) {
    voidSession { id state { __typename ... on VoidSessionState { code } } }
    userErrors { field message code }
  }
}`;

export const VOID_SESSION_REJECT = `mutation VoidSessionReject($id: ID!, $reason: VoidSessionRejectionReasonInput!) {
  voidSessionReject(id: $id, reason: $reason) {
    voidSession { id state { __typename ... on VoidSessionState { code } } }
    userErrors { field message code }
  }
}`;

export const PAYMENTS_APP_CONFIGURE = `mutation PaymentsAppConfigure($ready: Boolean!, $externalHandle: String) {
  paymentsAppConfigure(ready: $ready, externalHandle: $externalHandle) {
    paymentsAppConfiguration { ready externalHandle }
    userErrors { field message }
  }
}`;
