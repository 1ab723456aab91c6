import { execute, GraphQLError, Kind, parse, validate, visit, type DocumentNode, type OperationDefinitionNode } from "graphql";
import { json, type SandboxResponse } from "../http";
import { paymentsAppsSchema } from "./schema";
import type { AccessToken, FollowUpSessionRecord, MutationRecord, PaymentSessionRecord, ShopifyState } from "./state";

/** What a resolver knows about the call: the shop, the calling app's token, and where the shop's pages are. */
interface CallContext {
  token: AccessToken;
  shopOrigin: string;
}

type UserError = { field: string[] | null; message: string; code?: string | null };

/**
 * Shopify's userError for a resolve sent before Shopify has the app's answer to the session request, or after a
 * reject (issue: Shopify/shopify-app-template-node#1346). The emulator gives it for every early mutation.
 */
export const NOT_RECEIVED_MESSAGE =
  "Payment session has already been resolved with a different authentication, has already been rejected, or the response to start_payment_session request has not been received.";
/** Our guess, by symmetry with the message above (Shopify does not publish the reject one). */
const REJECT_AFTER_RESOLVE_MESSAGE =
  "Payment session has already been rejected with a different reason, has already been resolved, or the response to start_payment_session request has not been received.";

/** The answer to a bad, expired or revoked token (HTTP 401). */
const INVALID_TOKEN = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };

/** Versions whose schema is the 2026-07 one (same introspection in @shopify/dev-mcp 1.16.0). */
const SERVED_VERSIONS = ["2026-04", "2026-07", "2026-10", "unstable"];
const PUBLIC_VERSIONS = [
  { handle: "2025-10", displayName: "2025-10", supported: true },
  { handle: "2026-01", displayName: "2026-01", supported: true },
  { handle: "2026-04", displayName: "2026-04", supported: true },
  { handle: "2026-07", displayName: "2026-07 (Latest)", supported: true },
  { handle: "2026-10", displayName: "2026-10 (Release candidate)", supported: false },
  { handle: "unstable", displayName: "unstable", supported: false },
];

/** Cost bucket as the Admin API's: 1000 points, 50 restored per second. */
const BUCKET_MAX = 1000;
const RESTORE_RATE = 50;
const PENDING_LIMIT_MS = 3 * 24 * 3600 * 1000;

/** Which access scope each mutation needs. */
const SCOPE_OF: Record<string, string> = { paymentsAppConfigure: "write_payment_gateways" };
const SESSION_SCOPE = "write_payment_sessions";

/** `POST /payments_apps/api/<version>/graphql.json` on a shop's origin. */
export async function graphqlEndpoint(
  state: ShopifyState,
  shop: string,
  version: string,
  token: string | undefined,
  body: unknown,
  shopOrigin: string,
  sleep: (ms: number) => Promise<void>,
): Promise<SandboxResponse> {
  if (!SERVED_VERSIONS.includes(version)) return json(404, { errors: "Not Found" });
  const access = token ? state.tokens.get(token) : undefined;
  if (!access || access.revoked || access.shop !== shop || (access.expiresAt !== undefined && access.expiresAt <= Date.now())) return json(401, INVALID_TOKEN);
  const request = body && typeof body === "object" ? (body as Record<string, unknown>) : undefined;
  if (!request || typeof request.query !== "string" || (request.variables != null && typeof request.variables !== "object")) {
    return json(400, { errors: { query: "Required parameter missing or invalid" } });
  }
  const query = request.query;
  const variables = (request.variables ?? {}) as Record<string, unknown>;
  const operationName = typeof request.operationName === "string" ? request.operationName : null;
  if (state.faults.graphqlDelayMs > 0) await sleep(state.faults.graphqlDelayMs);

  const log = (errors?: unknown[]) => state.graphqlLog.push({ shop, operationName: operationName ?? null, query, variables, ...(errors ? { errors } : {}) });
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    const errors = [formatError(error as GraphQLError, "parseError")];
    log(errors);
    return json(200, { errors, extensions: { cost: cost(state, shop, 0, 0) } });
  }
  const invalid = validate(paymentsAppsSchema(), document);
  if (invalid.length > 0) {
    const errors = invalid.map((e) => formatError(e, validationCode(e.message)));
    log(errors);
    return json(200, { errors, extensions: { cost: cost(state, shop, 0, 0) } });
  }
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (operationName === null || d.name?.value === operationName),
  );
  const requested = queryCost(document, operation);
  if (state.faults.throttleNext > 0 || available(state, shop) < requested) {
    if (state.faults.throttleNext > 0) state.faults.throttleNext -= 1;
    const errors = [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }];
    log(errors);
    return json(200, { errors, extensions: { cost: cost(state, shop, requested, null) } });
  }
  const context: CallContext = { token: access, shopOrigin };
  const result = await execute({
    schema: paymentsAppsSchema(),
    document,
    rootValue: rootValue(state),
    contextValue: context,
    variableValues: variables,
    operationName,
  });
  const errors = result.errors?.map((e) => formatError(e, (e.extensions.code as string | undefined) ?? "INTERNAL_SERVER_ERROR"));
  log(errors);
  return json(200, { ...(errors ? { errors } : {}), ...(result.data !== undefined ? { data: result.data } : {}), extensions: { cost: cost(state, shop, requested, requested) } });
}

function formatError(error: GraphQLError, code: string): Record<string, unknown> {
  return {
    message: error.message,
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: { ...error.extensions, code },
  };
}

/** graphql-ruby's codes (what Shopify's API names its validation errors) for the common graphql-js messages. */
function validationCode(message: string): string {
  if (message.startsWith("Cannot query field")) return "undefinedField";
  if (message.startsWith("Unknown argument")) return "argumentNotAccepted";
  if (/argument ".*" of type ".*" is required/.test(message)) return "missingRequiredArguments";
  if (message.startsWith("Variable") && message.includes("is never used")) return "variableNotUsed";
  if (message.startsWith("Variable") && message.includes("is not defined")) return "undefinedVariable";
  if (message.startsWith("Unknown type")) return "undefinedType";
  if (message.includes("must have a selection of subfields") || message.includes("must not have a selection")) return "selectionMismatch";
  return "validationError";
}

/** Shopify's cost model, simplified: a mutation field costs 10, every other object field 1, scalars nothing. */
function queryCost(document: DocumentNode, operation: OperationDefinitionNode | undefined): number {
  let total = 0;
  let depth = 0;
  visit(document, {
    SelectionSet: { enter: () => void (depth += 1), leave: () => void (depth -= 1) },
    Field(node) {
      if (!node.selectionSet) return;
      total += depth === 1 && operation?.operation === "mutation" ? 10 : 1;
    },
  });
  return total;
}

function available(state: ShopifyState, shop: string): number {
  const now = Date.now();
  const bucket = state.buckets.get(shop) ?? { available: BUCKET_MAX, at: now };
  bucket.available = Math.min(BUCKET_MAX, bucket.available + ((now - bucket.at) / 1000) * RESTORE_RATE);
  bucket.at = now;
  state.buckets.set(shop, bucket);
  return bucket.available;
}

/** `extensions.cost`, taking `actual` points from the shop's bucket. */
function cost(state: ShopifyState, shop: string, requested: number, actual: number | null): Record<string, unknown> {
  const left = available(state, shop) - (actual ?? 0);
  state.buckets.set(shop, { available: left, at: Date.now() });
  return {
    requestedQueryCost: requested,
    actualQueryCost: actual,
    throttleStatus: { maximumAvailable: BUCKET_MAX, currentlyAvailable: Math.floor(left), restoreRate: RESTORE_RATE },
  };
}

/** The mutation and query fields, as graphql-js's default resolver calls them: `(args, context)`. */
function rootValue(state: ShopifyState): Record<string, (args: Record<string, unknown>, ctx: CallContext) => unknown> {
  const scoped =
    (name: string, resolve: (args: Record<string, unknown>, ctx: CallContext) => unknown) =>
    (args: Record<string, unknown>, ctx: CallContext) => {
      const scope = SCOPE_OF[name] ?? SESSION_SCOPE;
      if (!ctx.token.scopes.includes(scope)) {
        throw new GraphQLError(`Access denied for ${name} field. Required access: ${scope} access scope.`, {
          extensions: { code: "ACCESS_DENIED", documentation: "https://shopify.dev/api/usage/access-scopes", requiredAccess: `${scope} access scope.` },
        });
      }
      return resolve(args, ctx);
    };
  const unsupported = (name: string) =>
    scoped(name, () => {
      throw new GraphQLError(`${name} is not available to an offsite payments app in this emulator.`, { extensions: { code: "ACCESS_DENIED" } });
    });
  return {
    publicApiVersions: () => PUBLIC_VERSIONS,
    paymentSessionResolve: scoped("paymentSessionResolve", (args, ctx) => sessionMutation(state, "paymentSessionResolve", args, ctx)),
    paymentSessionReject: scoped("paymentSessionReject", (args, ctx) => sessionMutation(state, "paymentSessionReject", args, ctx)),
    paymentSessionPending: scoped("paymentSessionPending", (args, ctx) => sessionMutation(state, "paymentSessionPending", args, ctx)),
    paymentSessionRedirect: scoped("paymentSessionRedirect", (args, ctx) => {
      const session = findSession(state, args.id, ctx);
      return session
        ? { paymentSession: null, userErrors: [{ field: ["id"], message: "Redirect is not supported for offsite payments.", code: "REDIRECT_NOT_SUPPORTED_FOR_OFFSITE" }] }
        : { paymentSession: null, userErrors: [{ field: ["id"], message: "Payment session not found.", code: "PAYMENT_SESSION_NOT_FOUND" }] };
    }),
    paymentSessionConfirm: unsupported("paymentSessionConfirm"),
    paymentSessionModal: unsupported("paymentSessionModal"),
    verificationSessionRedirect: unsupported("verificationSessionRedirect"),
    verificationSessionReject: unsupported("verificationSessionReject"),
    verificationSessionResolve: unsupported("verificationSessionResolve"),
    paymentsAppConfigure: scoped("paymentsAppConfigure", (args, ctx) => {
      const installation = state.shop(ctx.token.shop).installations.get(ctx.token.clientId);
      if (!installation) throw new GraphQLError("Payments App is not installed on this shop.", { extensions: { code: "ACCESS_DENIED" } });
      installation.configuration = { ready: args.ready as boolean, externalHandle: (args.externalHandle as string | null | undefined) ?? null };
      return { paymentsAppConfiguration: { ...installation.configuration }, userErrors: [] };
    }),
    refundSessionResolve: scoped("refundSessionResolve", (args, ctx) => followUpMutation(state, "refund", "resolve", args, ctx)),
    refundSessionReject: scoped("refundSessionReject", (args, ctx) => followUpMutation(state, "refund", "reject", args, ctx)),
    captureSessionResolve: scoped("captureSessionResolve", (args, ctx) => followUpMutation(state, "capture", "resolve", args, ctx)),
    captureSessionReject: scoped("captureSessionReject", (args, ctx) => followUpMutation(state, "capture", "reject", args, ctx)),
    voidSessionResolve: scoped("voidSessionResolve", (args, ctx) => followUpMutation(state, "void", "resolve", args, ctx)),
    voidSessionReject: scoped("voidSessionReject", (args, ctx) => followUpMutation(state, "void", "reject", args, ctx)),
  };
}

function findSession(state: ShopifyState, id: unknown, ctx: CallContext): PaymentSessionRecord | undefined {
  const session = typeof id === "string" ? state.session(id) : undefined;
  return session && session.shop === ctx.token.shop && session.clientId === ctx.token.clientId ? session : undefined;
}

/** The `PaymentSession` object: its `state` union member and `nextAction` once the app has an outcome. */
export function paymentSessionObject(session: PaymentSessionRecord, shopOrigin: string): Record<string, unknown> {
  const s = session.state;
  const state =
    s.code === "REDIRECTING"
      ? { __typename: "PaymentSessionStateRedirecting", code: s.code }
      : s.code === "PENDING"
        ? { __typename: "PaymentSessionStatePending", code: s.code, reason: s.reason }
        : s.code === "RESOLVED"
          ? { __typename: "PaymentSessionStateResolved", code: s.code }
          : { __typename: "PaymentSessionStateRejected", code: s.code, reason: s.reason, merchantMessage: s.merchantMessage ?? null, source: s.source ?? null };
  const target = s.code === "REJECTED" ? `/checkouts/${session.checkout}?payment_failed=1` : `/checkouts/${session.checkout}/thank_you`;
  return {
    id: session.gid,
    state,
    nextAction: s.code === "REDIRECTING" ? null : { action: "REDIRECT", context: { __typename: "PaymentSessionActionsRedirect", redirectUrl: `${shopOrigin}${target}` } },
    authorizationExpiresAt: session.authorizationExpiresAt ?? null,
    pendingExpiresAt: s.code === "PENDING" ? (session.pendingExpiresAt ?? null) : null,
  };
}

function record(mutations: MutationRecord[], operation: string, userErrors: UserError[]): void {
  mutations.push({ operation, at: new Date().toISOString(), accepted: userErrors.length === 0, userErrors });
}

/** paymentSessionResolve / Reject / Pending, with Shopify's rules (reference §1, "Semantics"). */
function sessionMutation(state: ShopifyState, operation: string, args: Record<string, unknown>, ctx: CallContext): unknown {
  const pending = operation === "paymentSessionPending";
  const session = findSession(state, args.id, ctx);
  const fail = (message: string, code: string | null): unknown => {
    const userError: UserError = { field: ["id"], message, ...(pending ? { code } : {}) };
    if (session) record(session.mutations, operation, [userError]);
    return { paymentSession: null, userErrors: [userError] };
  };
  if (!session) return fail("Payment session not found.", "NOT_FOUND");
  const ok = (): unknown => {
    record(session.mutations, operation, []);
    return { paymentSession: paymentSessionObject(session, ctx.shopOrigin), userErrors: [] };
  };
  // The same mutation again on the same id succeeds and ignores its new arguments.
  if (session.mutations.some((m) => m.operation === operation && m.accepted)) return ok();
  if (!session.answered) return fail(NOT_RECEIVED_MESSAGE, null);
  const final = session.state.code === "RESOLVED" || session.state.code === "REJECTED";
  if (operation === "paymentSessionResolve") {
    if (session.state.code === "REJECTED") return fail(NOT_RECEIVED_MESSAGE, null);
    session.state = { code: "RESOLVED" };
    if (typeof args.authorizationExpiresAt === "string") session.authorizationExpiresAt = args.authorizationExpiresAt;
    return ok();
  }
  if (operation === "paymentSessionReject") {
    if (session.state.code === "RESOLVED") return fail(REJECT_AFTER_RESOLVE_MESSAGE, null);
    const reason = args.reason as { code: string; merchantMessage?: string | null; source?: string | null };
    session.state = { code: "REJECTED", reason: reason.code, merchantMessage: reason.merchantMessage ?? null, source: reason.source ?? null };
    return ok();
  }
  if (final) return fail("Payment session is already resolved or rejected.", "PENDING_INVALID_STATE");
  const expiresAt = Date.parse(args.pendingExpiresAt as string);
  if (expiresAt <= Date.now()) return { paymentSession: null, userErrors: [userErrorOn(session, operation, "pendingExpiresAt", "Pending expires at must be in the future.", "EXPIRED_PENDING_EXPIRES_AT")] };
  if (expiresAt > Date.now() + PENDING_LIMIT_MS) {
    return { paymentSession: null, userErrors: [userErrorOn(session, operation, "pendingExpiresAt", "Pending expires at must be within 3 days.", "OUT_OF_RANGE_PENDING_EXPIRES_AT")] };
  }
  session.state = { code: "PENDING", reason: args.reason as string };
  session.pendingExpiresAt = new Date(expiresAt).toISOString();
  return ok();
}

function userErrorOn(session: PaymentSessionRecord, operation: string, field: string, message: string, code: string): UserError {
  const error = { field: [field], message, code };
  record(session.mutations, operation, [error]);
  return error;
}

const FOLLOW_UP_TYPES = {
  refund: { field: "refundSession", type: "RefundSession", code: "REFUND_SESSION", label: "Refund session" },
  capture: { field: "captureSession", type: "CaptureSession", code: "CAPTURE_SESSION", label: "Capture session" },
  void: { field: "voidSession", type: "VoidSession", code: "VOID_SESSION", label: "Void session" },
} as const;

/** refund/capture/void SessionResolve and Reject. */
function followUpMutation(state: ShopifyState, kind: FollowUpSessionRecord["kind"], action: "resolve" | "reject", args: Record<string, unknown>, ctx: CallContext): unknown {
  const names = FOLLOW_UP_TYPES[kind];
  const operation = `${names.field}${action === "resolve" ? "Resolve" : "Reject"}`;
  const id = String(args.id).replace(new RegExp(`^gid://shopify/${names.type}/`), "");
  const found = state.followUps.get(`${kind}:${id}`);
  const session = found && found.shop === ctx.token.shop ? found : undefined;
  const fail = (message: string, code: string): unknown => {
    const userError = { field: ["id"], message, code: `${names.code}_${code}` };
    if (session) record(session.mutations, operation, [userError]);
    return { [names.field]: null, userErrors: [userError] };
  };
  if (!session) return fail(`${names.label} not found.`, "NOT_FOUND");
  const ok = (): unknown => {
    record(session.mutations, operation, []);
    const s = session.state;
    const stateObject =
      s?.code === "REJECTED"
        ? { __typename: `${names.type}StateRejected`, code: "REJECTED", reason: s.reason, merchantMessage: s.merchantMessage ?? null }
        : { __typename: `${names.type}StateResolved`, code: "RESOLVED" };
    return { [names.field]: { id: session.gid, state: stateObject }, userErrors: [] };
  };
  if (action === "resolve") {
    if (session.state?.code === "REJECTED") return fail(`${names.label} has already been rejected.`, "INVALID_STATE");
    session.state = { code: "RESOLVED" };
    return ok();
  }
  const reason = args.reason as { code: string; merchantMessage?: string | null };
  if (session.state?.code === "RESOLVED") return fail(`${names.label} has already been resolved or rejected with a different reason.`, "INVALID_STATE");
  if (session.state?.code === "REJECTED") {
    if (session.state.reason !== reason.code || (session.state.merchantMessage ?? null) !== (reason.merchantMessage ?? null)) {
      return fail(`${names.label} has already been resolved or rejected with a different reason.`, "INVALID_STATE");
    }
    return ok();
  }
  session.state = { code: "REJECTED", reason: reason.code, merchantMessage: reason.merchantMessage ?? null };
  return ok();
}
