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

/**
 * The service's logger: structured pino lines, secrets redacted by path (credential fields) and
 * by shape (callback tokens, API keys, bearer values) in the finished line, so no code path can
 * forget. `destination` (stdout by default) lets tests read every line.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: "[redacted]" }, hooks: { streamWrite: scrubLine } }, destination);
}
