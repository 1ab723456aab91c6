import { createGraphQLClient } from "@shopify/graphql-client";
import { PAYMENTS_APPS_API_VERSION } from "./documents";

/** What one call to the Payments Apps API answered, reduced to what the mutation queue decides on. */
export interface GraphqlAnswer {
  /** The mutation's payload (`data.<field>`), when Shopify executed it. */
  payload?: Record<string, unknown>;
  /** HTTP status when it was not 200 (401: token refused), or 0 when the request never got an answer. */
  httpStatus?: number;
  /** Top-level GraphQL error codes (THROTTLED, ACCESS_DENIED...), or messages when there is no code. */
  errorCodes: string[];
  /** A short description of what went wrong, without the token or the variables. */
  error?: string;
}

/** The Payments Apps GraphQL endpoint of a shop. */
export function paymentsAppsUrl(origin: string): string {
  return `${origin.replace(/\/+$/, "")}/payments_apps/api/${PAYMENTS_APPS_API_VERSION}/graphql.json`;
}

/**
 * Sends one document with @shopify/graphql-client (no library retries: the mutation queue retries
 * durably) and answers the payload of its one root field.
 */
export async function sendPaymentsAppsMutation(origin: string, accessToken: string, document: string, variables: Record<string, unknown>, field: string): Promise<GraphqlAnswer> {
  const client = createGraphQLClient({
    url: paymentsAppsUrl(origin),
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken },
    retries: 0,
  });
  try {
    const { data, errors } = await client.request<Record<string, Record<string, unknown>>>(document, { variables });
    const errorCodes = (errors?.graphQLErrors ?? []).map((e) => String((e as { extensions?: { code?: unknown } }).extensions?.code ?? e.message));
    const payload = data?.[field] ?? undefined;
    if (errors && !payload) {
      return { httpStatus: errors.networkStatusCode ?? 0, errorCodes, error: errors.message ?? "GraphQL request failed" };
    }
    return { ...(payload ? { payload } : {}), errorCodes };
  } catch (error) {
    return { httpStatus: 0, errorCodes: [], error: error instanceof Error ? error.message : String(error) };
  }
}
