import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../src";

/** A logger that keeps every line it is given, serialized, for redaction assertions. */
export function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (obj, msg) => void lines.push(JSON.stringify({ msg, ...obj })),
    warn: (obj, msg) => void lines.push(JSON.stringify({ msg, ...obj })),
  };
}

/** A loopback server answering every request with a fixed status and body: a gateway gone wrong. */
export async function fixedServer(status: number, body: string, contentType = "application/json"): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(status, { "content-type": contentType });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** POSTs JSON to the sandbox control API. */
export async function control(sandboxUrl: string, path: string, body: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${sandboxUrl}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
}

/** A received callback. */
export interface Received {
  path: string;
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A loopback endpoint that records callbacks and answers with `reply` (default: 200 "SUCCESS"). */
export async function callbackSink(reply: (r: Received) => { status: number; body: string } = () => ({ status: 200, body: "SUCCESS" })) {
  const received: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = { path: req.url ?? "/", rawBody: Buffer.concat(chunks).toString("utf8"), headers: req.headers };
      received.push(r);
      const out = reply(r);
      res.writeHead(out.status, { "content-type": "text/plain" });
      res.end(out.body);
      for (const w of waiters.filter((w) => received.length >= w.count)) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    /** Resolves once `count` callbacks have arrived; fails after `ms`. */
    waitFor(count: number, ms = 5000): Promise<Received[]> {
      if (received.length >= count) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${received.length} of ${count} callbacks arrived in ${ms} ms`)), ms);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(received)) });
      });
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
