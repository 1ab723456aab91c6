import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import type { z } from "zod";
import { DeclinedError, OutcomeUnknownError } from "./errors";
import type { GatewayId, Logger } from "./connector";
import { redact } from "./redact";

/** One call to a gateway. */
export interface GatewayCall {
  method: "GET" | "POST";
  /** Path below the base URL, starting with "/". */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** JSON body (POST). */
  body?: unknown;
  /** Retrying is safe (reads): network errors and 5xx are retried twice before giving up. */
  idempotent?: boolean;
  /** The merchant reference concerned, carried by OutcomeUnknownError so the caller can query it. */
  merchantRef?: string;
}

/** A gateway's answer: HTTP status and parsed body (JSON when it is JSON, else text). */
export interface GatewayAnswer {
  status: number;
  body: unknown;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The one way connectors talk HTTP: axios with a timeout, bounded retries for reads, redacted
 * logging, and the error taxonomy (no answer or a 5xx after sending -> OutcomeUnknownError).
 */
export class GatewayHttp {
  private readonly client: AxiosInstance;

  constructor(
    private readonly gateway: GatewayId,
    options: { baseUrl: string; timeoutMs?: number; logger?: Logger },
    /** Values to scrub from every log line (API keys, app ids, secrets). */
    private readonly secrets: readonly string[],
  ) {
    this.logger = options.logger;
    this.client = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ""),
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      validateStatus: () => true,
      // Keep the raw text: gateways answer JSON, plaintext or HTML, and we parse it ourselves.
      transformResponse: [(data: unknown) => data],
      responseType: "text",
    });
  }

  private readonly logger?: Logger;

  /** Sends a call; answers whatever status the gateway gave (4xx included) for the connector to read. */
  async send(call: GatewayCall): Promise<GatewayAnswer> {
    const attempts = call.idempotent ? 3 : 1;
    let last: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const started = Date.now();
      try {
        const res = await this.client.request<string>({
          method: call.method,
          url: call.path,
          params: call.query,
          headers: call.body === undefined ? call.headers : { "Content-Type": "application/json", ...call.headers },
          data: call.body === undefined ? undefined : JSON.stringify(call.body),
        });
        const answer = { status: res.status, body: parseBody(res) };
        this.log(call, answer, Date.now() - started);
        if (res.status >= 500 && attempt < attempts) {
          last = new Error(`HTTP ${res.status}`);
          await pause(attempt);
          continue;
        }
        if (res.status >= 500) {
          throw new OutcomeUnknownError(
            `${this.gateway} answered HTTP ${res.status} to ${call.method} ${call.path}; the outcome is unknown: query ${call.merchantRef ?? "it"} or retry with the same reference`,
            call.merchantRef,
            { gateway: this.gateway },
          );
        }
        return answer;
      } catch (error) {
        if (error instanceof OutcomeUnknownError) throw error;
        last = error;
        this.logger?.warn(
          redact({ gateway: this.gateway, method: call.method, path: call.path, error: describe(error), attempt }, this.secrets) as object,
          "gateway call failed",
        );
        if (attempt < attempts) await pause(attempt);
      }
    }
    throw new OutcomeUnknownError(
      `${this.gateway} did not answer ${call.method} ${call.path} (${describe(last)}); the outcome is unknown: query ${call.merchantRef ?? "it"} or retry with the same reference`,
      call.merchantRef,
      { gateway: this.gateway, cause: last },
    );
  }

  /** Parses (part of) a gateway answer with a zod schema; a malformed answer is an OutcomeUnknownError, not a crash. */
  read<S extends z.ZodType>(schema: S, value: unknown, what: string, merchantRef?: string): z.infer<S> {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join(".") || "(body)"}: ${issue.message}` : "unreadable";
    throw new OutcomeUnknownError(
      `${this.gateway} sent a malformed ${what} (${where})`,
      merchantRef,
      { gateway: this.gateway, cause: parsed.error },
    );
  }

  /** A DeclinedError carrying the gateway's code and message. */
  declined(message: string, gatewayCode?: string | number): DeclinedError {
    return new DeclinedError(`${this.gateway}: ${message}`, gatewayCode === undefined ? undefined : String(gatewayCode), {
      gateway: this.gateway,
    });
  }

  private log(call: GatewayCall, answer: GatewayAnswer, ms: number): void {
    if (!this.logger) return;
    this.logger.debug(
      redact(
        { gateway: this.gateway, method: call.method, path: call.path, query: call.query, headers: call.headers, request: call.body, status: answer.status, response: answer.body, ms },
        this.secrets,
      ) as object,
      "gateway call",
    );
  }
}

function parseBody(res: AxiosResponse<string>): unknown {
  const text = typeof res.data === "string" ? res.data : "";
  const type = String(res.headers["content-type"] ?? "");
  if (type.includes("json") || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function describe(error: unknown): string {
  if (axios.isAxiosError(error)) return error.code === "ECONNABORTED" ? "timed out" : (error.code ?? error.message);
  return error instanceof Error ? error.message : String(error);
}

/** Back-off between retries of a read: 100 ms, then 200 ms. */
function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 100 * attempt));
}
