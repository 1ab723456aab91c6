/**
 * The demo as a newcomer meets it, over real HTTP against the real sandbox: `/` leads to the demo
 * store (and stays a 404 without one), and an xPay KG order shows the QR itself, drawn from the
 * payment's QR link.
 */
import { randomBytes } from "node:crypto";
import pino from "pino";
import QRCode from "qrcode";
import { startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import { startService, type Service } from "../src";
import { setupDemo, type DemoSetup } from "../src/demo";

jest.setTimeout(60_000);

const silent = pino({ level: process.env.LOG_LEVEL ?? "silent" });

describe("the demo as a newcomer meets it", () => {
  let sandbox: SandboxHandle;
  let service: Service;
  let demo: DemoSetup;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, retryScale: 0.001 });
    service = await startService({ port: 0, dataDir: ":memory:", masterKey: randomBytes(32).toString("hex"), databaseUrl: undefined }, { log: silent });
    demo = await setupDemo(service.ctx, { sandboxUrl: sandbox.url });
  });
  afterAll(async () => {
    await service?.stop();
    await sandbox?.close();
  });

  it("/ leads to /demo", async () => {
    const res = await fetch(`${service.url}/`, { redirect: "manual" });
    expect([res.status, res.headers.get("location")]).toEqual([302, "/demo"]);
    const followed = await fetch(`${service.url}/`);
    expect([followed.status, followed.url]).toEqual([200, `${service.url}/demo`]);
    expect(await followed.text()).toContain('data-view="store"');
  });

  it("an xPay KG order carries the QR itself: an image encoding the payment's QR link", async () => {
    const placed = await fetch(`${service.url}/demo/api/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ product: "scarf", gateway: "xpay-kg", method: "qr", customer: { name: "Aibek Asanov" } }),
    });
    expect(placed.status).toBe(201);
    const { order } = (await placed.json()) as { order: { ref: string; payment_id: string; qr_image: string | null } };

    // The link the gateway gave to scan, as the /v1 API reports it.
    const payment = (await (await fetch(`${service.url}/v1/payments/${order.payment_id}`, { headers: { authorization: `Bearer ${demo.apiKey}` } })).json()) as {
      gateway_ref: string;
      next_action: { type: string; url: string; qrData: string };
    };
    expect(payment.next_action.type).toBe("qr");
    expect(payment.next_action.qrData.startsWith(`${sandbox.url}/xpay-kg/pay/${payment.gateway_ref}#`)).toBe(true);

    // What the order page reads and shows as <img src>: an SVG drawn from exactly that link.
    const read = (await (await fetch(`${service.url}/demo/api/orders/${order.ref}`)).json()) as { order: { qr_image: string | null } };
    for (const image of [order.qr_image, read.order.qr_image]) {
      expect(image).toMatch(/^data:image\/svg\+xml;base64,/);
      const svg = Buffer.from(String(image).slice("data:image/svg+xml;base64,".length), "base64").toString("utf8");
      expect(svg).toMatch(/^<svg [^>]*viewBox/);
      expect(svg).toBe(await QRCode.toString(payment.next_action.qrData, { type: "svg", errorCorrectionLevel: "M", margin: 2 }));
      expect(svg).not.toBe(await QRCode.toString(`${payment.next_action.qrData}x`, { type: "svg", errorCorrectionLevel: "M", margin: 2 }));
    }
    // The browser module puts it on the page as an image.
    const script = await (await fetch(`${service.url}/demo/assets/order.js`)).text();
    expect(script).toContain("qr_image");
    expect(script).toContain('id: "qr-image"');
  });

  it("other orders carry no QR image", async () => {
    const placed = await fetch(`${service.url}/demo/api/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ product: "scarf", gateway: "xpress-pay", method: "easypaisa", customer: { name: "Ayesha Khan" } }),
    });
    expect(placed.status).toBe(201);
    expect(((await placed.json()) as { order: { qr_image: unknown } }).order.qr_image).toBeNull();
  });
});

describe("/ without the demo", () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService({ port: 0, dataDir: ":memory:", masterKey: randomBytes(32).toString("hex"), databaseUrl: undefined }, { log: silent });
  });
  afterAll(() => service?.stop());

  it("stays the 404 it was", async () => {
    const res = await fetch(`${service.url}/`, { redirect: "manual" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "no route GET /" } });
  });
});
