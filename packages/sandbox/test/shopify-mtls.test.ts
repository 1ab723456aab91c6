/**
 * Session requests over mTLS: an app on https that requires a client certificate from a CA made at test time gets the
 * emulator's request when the deployed app carries that certificate, and refuses it otherwise.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { startSandbox, type SandboxHandle } from "../src";
import { CONFIGURE, call, deployedApp, graphql, install } from "./shopify-helpers";

const OPENSSL = "/usr/bin/openssl";
const SHOP = "mtls-shop.myshopify.com";
let sandbox: SandboxHandle;
let server: Server | undefined;
let dir: string;
let pem: Record<"ca" | "serverCert" | "serverKey" | "clientCert" | "clientKey", string>;
let appUrl: string;
const seen: { authorized: boolean; id: string }[] = [];

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA (EC keys: quick). */
function makeCertificates(): typeof pem {
  const run = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: dir, stdio: "pipe" });
  const key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  run("req", "-x509", ...key, "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=Test Shopify CA");
  writeFileSync(path.join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1\n");
  for (const [name, subject, ext] of [["server", "/CN=127.0.0.1", ["-extfile", "server.ext"]], ["client", "/CN=shopify-payments", []]] as const) {
    run("req", ...key, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject);
    run("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "1", ...ext);
  }
  const read = (f: string) => readFileSync(path.join(dir, f), "utf8");
  return { ca: read("ca.crt"), serverCert: read("server.crt"), serverKey: read("server.key"), clientCert: read("client.crt"), clientKey: read("client.key") };
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  if (!existsSync(OPENSSL)) {
    if (process.env.CI === "true") throw new Error(`openssl is required under CI=true and is missing at ${OPENSSL}`);
    console.warn(`\n*** SKIPPING the Shopify mTLS tests: no ${OPENSSL} (apt-get install -y openssl) ***\n`);
    return;
  }
  dir = mkdtempSync(path.join(tmpdir(), "shopify-mtls-"));
  pem = makeCertificates();
  server = createServer({ cert: pem.serverCert, key: pem.serverKey, ca: pem.ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      seen.push({ authorized: (req.socket as import("node:tls").TLSSocket).authorized, id: body.id });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ redirect_url: `${appUrl}/pay/${body.id}` }));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  appUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await sandbox.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function payWith(clientCertificate: Record<string, string> | undefined) {
  await call(sandbox, "/_sandbox/shopify/reset", {});
  await call(sandbox, "/_sandbox/shopify/faults", { sessionRetryDelaysMs: [] });
  await call(sandbox, "/_sandbox/shopify/apps", deployedApp(appUrl, clientCertificate ? { client_certificate: clientCertificate } : {}));
  const token = (await install(sandbox, SHOP, appUrl)).access_token;
  await graphql(sandbox, SHOP, token, CONFIGURE, { ready: true });
  const checkout = (await call(sandbox, "/_sandbox/shopify/checkouts", { shop: SHOP, amount: "10.00", currency: "PKR" })).body;
  return (await call(sandbox, `/_sandbox/shopify/checkouts/${checkout.token}/pay`, { handle: "xpay-pk" })).body;
}

it("the app's mTLS accepts the emulator's client certificate", async () => {
  if (!server) return;
  const paid = await payWith({ cert: pem.clientCert, key: pem.clientKey, ca: pem.ca });
  expect(paid).toMatchObject({ status: 200, redirect_url: `${appUrl}/pay/${paid.session.id}` });
  expect(seen.at(-1)).toEqual({ authorized: true, id: paid.session.id });
});

it("without a client certificate the app's TLS refuses the session request", async () => {
  if (!server) return;
  const before = seen.length;
  const refused = await payWith({ ca: pem.ca });
  expect(refused).toMatchObject({ status: 0, attempts: 1, session: { answered: false } });
  expect(refused.redirect_url).toBeUndefined();
  expect(seen.length).toBe(before);
});

it("the control API wants a certificate and its key together", async () => {
  const res = await call(sandbox, "/_sandbox/shopify/apps", deployedApp("https://127.0.0.1:1", { client_certificate: { cert: "x" } }));
  expect(res).toMatchObject({ status: 400, body: { error: "client_certificate: expected cert and key together" } });
});
