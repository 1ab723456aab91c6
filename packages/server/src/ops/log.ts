import pino, { type DestinationStream, type Logger } from "pino";

/** Log paths pino must never print. */
export const REDACT_PATHS = ["req.headers.authorization", "headers.authorization", "*.apiKey", "*.appSecret", "*.clientSecret", "*.client_secret", "*.secret", "*.x-api-key"];

/**
 * Secrets recognisable by their shape, wherever they sit in a line (a URL inside a gateway request
 * body, an error message): the token of our own callback URLs, merchant API keys, bearer credentials.
 */
const SECRET_SHAPES: readonly [RegExp, string][] = [
  [/(\/callbacks\/[a-z0-9-]+\/[^/\s"?#\\]+\/)[A-Za-z0-9_-]+/g, "$1[redacted]"],
  [/\bxc_(live|test)_[A-Za-z0-9_-]+/g, "xc_$1_[redacted]"],
  [/\b(Bearer\s+)[^\s"\\]+/gi, "$1[redacted]"],
];

/** One finished log line with every secret-shaped value replaced. */
export function scrubLine(line: string): string {
  return SECRET_SHAPES.reduce((text, [shape, replacement]) => text.replace(shape, replacement), line);
}

/** The fields of an error that may be logged: names and codes, never values, bodies, queries or parameters. */
const SAFE_ERROR_FIELDS = ["code", "errno", "syscall", "status", "statusCode", "field", "gateway", "gatewayCode", "severity", "routine", "constraint", "table", "column", "schema"] as const;

/**
 * A database error's message with the values PostgreSQL quotes in it removed
 * (`invalid input syntax for type integer: "Alice"`, `value "9999999999" is out of range`).
 */
function withoutQuotedValues(message: string): string {
  return message.replace(/(\bvalue )"[^"]*"/g, '$1"[redacted]"').replace(/(: )".*"\s*$/s, '$1"[redacted]"').replace(/(\bat or near )".*"/s, '$1"[redacted]"');
}

/** Whether `error` comes from PostgreSQL (pg, PGlite): it carries a SQLSTATE and a severity. */
function isDatabaseError(e: Record<string, unknown>): boolean {
  return typeof e.severity === "string" && typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code);
}

const SAFE = Symbol("safe error");

/** Whether `value` is already safeError's output (a call site reduced it before the serializer saw it). */
function isSafeError(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && SAFE in value;
}

/**
 * An error reduced to what a log line may carry: its type, message, stack and a few named codes.
 * Never the SQL text, parameters, `detail`/`where`/`hint` of a database error (pg, PGlite: they
 * quote row values), nor an HTTP client error's request config, headers, bodies or response data
 * (axios). Database messages lose their quoted values; causes are reduced the same way.
 */
export function safeError(error: unknown, depth = 0): Record<string, unknown> {
  if (isSafeError(error)) return error;
  if (!(error instanceof Error) && (typeof error !== "object" || error === null)) return { type: typeof error, message: String(error).slice(0, 500) };
  const e = error as Error & Record<string, unknown>;
  const database = isDatabaseError(e);
  const message = typeof e.message === "string" ? (database ? withoutQuotedValues(e.message) : e.message) : "";
  const out: Record<string, unknown> = { type: e.constructor?.name && e.constructor.name !== "Object" ? e.constructor.name : (e.name ?? "Error"), message };
  for (const field of SAFE_ERROR_FIELDS) {
    const value = e[field];
    if (typeof value === "string" || typeof value === "number") out[field] = value;
  }
  if (e.isAxiosError === true) {
    const config = e.config as { method?: string } | undefined;
    const response = e.response as { status?: number } | undefined;
    if (config?.method) out.method = config.method.toUpperCase();
    if (response?.status) out.status = response.status;
  }
  if (typeof e.stack === "string") {
    // The stack's first line repeats the message: keep the frames only, under the cleaned message.
    const frames = e.stack.split("\n").filter((line) => /^\s+at /.test(line));
    out.stack = [`${String(out.type)}: ${message}`, ...frames.slice(0, 15)].join("\n");
  }
  if (e.cause !== undefined && depth < 3) out.cause = safeError(e.cause, depth + 1);
  Object.defineProperty(out, SAFE, { value: true, enumerable: false });
  return out;
}

/**
 * The service's logger: structured pino lines, secrets redacted by path (credential fields) and
 * by shape (callback tokens, API keys, bearer values) in the finished line, so no code path can
 * forget; errors under `err` or `error` are reduced by safeError (no SQL parameters, row values,
 * request bodies). `destination` (stdout by default) lets tests read every line.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      serializers: { err: (e: unknown) => (typeof e === "string" ? e : safeError(e)), error: (e: unknown) => (typeof e === "string" ? e : safeError(e)) },
      hooks: { streamWrite: scrubLine },
    },
    destination,
  );
}
