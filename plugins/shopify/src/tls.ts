import type { TLSSocket } from "node:tls";
import Fastify, { type FastifyInstance } from "fastify";
import type { MtlsOptions } from "./config";

/** A running HTTPS listener that only talks to clients with a certificate from the configured CA. */
export interface MtlsServer {
  /** "https://127.0.0.1:8443". */
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * Serves `register`'s routes (the session routes) over HTTPS with client certificates: `requestCert` with the
 * configured CA (Shopify's client CA in production). A client without a certificate from that CA fails the TLS
 * handshake; a request that still reaches a route unauthorized gets 401. The alternative is a reverse proxy that
 * verifies the certificate (docs/platforms/shopify.md).
 */
export async function startMtlsServer(options: MtlsOptions, register: (app: FastifyInstance) => void | Promise<void>): Promise<MtlsServer> {
  const app = Fastify({
    https: { key: options.key, cert: options.cert, ca: options.ca, requestCert: true, rejectUnauthorized: true, minVersion: "TLSv1.2" },
    bodyLimit: 1_048_576,
  });
  app.addHook("onRequest", async (request, reply) => {
    const socket = request.raw.socket as TLSSocket;
    if (!socket.authorized) return reply.code(401).send({ error: { code: "client_certificate_required", message: "a client certificate from the configured CA is required" } });
  });
  await app.register(async (child) => register(child), { prefix: "/shopify" });
  await app.listen({ port: options.port, host: options.host ?? "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return { url: `https://${options.host ?? "127.0.0.1"}:${port}`, app, close: () => app.close() };
}
