import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";

/** The part of the request an HTTP parser error is about, by Node's (llhttp's) error code. */
function partOf(code: string): string {
  if (/HEADER|CONTENT_LENGTH|TRANSFER_ENCODING|LF_EXPECTED|CR_EXPECTED/.test(code)) return "headers";
  if (/URL/.test(code)) return "path";
  if (/CHUNK|BODY/.test(code)) return "body";
  return "request";
}

const EXPECTED: Readonly<Record<string, string>> = {
  headers: "expected header names and values without control characters (NUL, CR, LF...) and within the size limit",
  path: "expected a path without spaces or control characters",
  body: "expected a well-formed body",
  request: "expected a well-formed HTTP/1.1 request",
};

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a NUL byte in a header value, a
 * malformed request line): answered in the API's error shape, naming the part at fault, instead of
 * Fastify's own body. Nothing of the request is echoed or logged.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const code = error.code ?? "";
  const status = code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
  const field = status === 408 ? "request" : partOf(code);
  const message = status === 408 ? "request: not received in time" : `${field}: ${EXPECTED[field]}`;
  const body = JSON.stringify({ error: { code: "invalid_request", message, field } });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}
