import type { IncomingMessage, ServerResponse } from "node:http";

/** A request as an emulator sees it. */
export interface SandboxRequest {
  method: string;
  /** Path below the gateway prefix ("/api/v2/payment/order/create"). */
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: IncomingMessage["headers"];
  rawBody: string;
  /** JSON or form body parsed; `undefined` when empty, the raw text when unparseable. */
  body: unknown;
  /** Base URL of the sandbox as the client reached it ("http://127.0.0.1:4010"). */
  origin: string;
}

/** What a handler answers. */
export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** A route handler. */
export type Handler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
  /** Operation name for fault targeting ("payInCreate"). */
  operation: string;
}

/** JSON answer. */
export function json(status: number, body: unknown, headers?: Record<string, string>): SandboxResponse {
  return { status, body, headers: { "content-type": "application/json", ...headers } };
}

/** HTML answer. */
export function html(body: string, status = 200): SandboxResponse {
  return { status, body, headers: { "content-type": "text/html; charset=utf-8" } };
}

/** 303 redirect. */
export function redirect(location: string): SandboxResponse {
  return { status: 303, body: "", headers: { location } };
}

/** A tiny path router with `:param` segments; each route is named for fault targeting. */
export class Router {
  private readonly routes: Route[] = [];

  /** Adds a route; `operation` names it for fault targeting. */
  add(method: string, path: string, operation: string, handler: Handler): void {
    this.routes.push({ method, parts: path.split("/").filter(Boolean), handler, operation });
  }

  /** The route for a request, with its path parameters. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string>; operation: string } | undefined {
    const parts = path.split("/").filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method || route.parts.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const ok = route.parts.every((p, i) => {
        const actual = parts[i] as string;
        if (p.startsWith(":")) {
          params[p.slice(1)] = decodeURIComponent(actual);
          return true;
        }
        return p === actual;
      });
      if (ok) return { handler: route.handler, params, operation: route.operation };
    }
    return undefined;
  }
}

/** Reads the whole body of a request as text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Parses a body by its content type: JSON, form, or left as text. */
export function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === "") return undefined;
  if (contentType?.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Writes a SandboxResponse. */
export function send(res: ServerResponse, out: SandboxResponse): void {
  const isText = typeof out.body === "string";
  const payload = isText ? (out.body as string) : JSON.stringify(out.body);
  res.writeHead(out.status, {
    "content-type": isText ? "text/plain; charset=utf-8" : "application/json",
    ...out.headers,
    "content-length": Buffer.byteLength(payload),
  });
  res.end(payload);
}
