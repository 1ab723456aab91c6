/**
 * No secret reaches a log line or an error message: keys, HMAC secrets, signatures, client secrets,
 * card data, saved-card tokens, and the per-payment callback token XPay echoes in its answers.
 */
import { startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import { Money } from "../../src";
import { XPAY_PK_TEST_CARDS } from "@xpay-connect/sandbox";
import { collectingLogger, control } from "../support";
import * as spec from "./fixtures";
import { MERCHANT, Stub, connectorFor } from "./helpers";

/** A card expiry year that stays in the future. */
const FUTURE_YEAR = String(new Date().getUTCFullYear() + 3);
let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, retryScale: 0.001 });
});
afterAll(() => sandbox.close());

it("every operation, success and failure, logs no secret", async () => {
  const logger = collectingLogger();
  const xp = connectorFor(`${sandbox.url}/xpay-pk`, { logger, timeoutMs: 2000 });
  const customer = { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" };
  const cvc = "987";
  const card = (number: string) => ({ number, expiryMonth: "11", expiryYear: FUTURE_YEAR, cvc, holderName: "John Doe" });
  const seen: string[] = [];
  const errors: string[] = [];
  const attempt = (p: Promise<unknown>) => p.catch((e: unknown) => void errors.push(e instanceof Error ? e.message : String(e)));

  const payIn = await xp.createPayIn({ merchantRef: "RED-1", amount: Money.parse("1500", "PKR"), method: "card", customer, callbackUrl: "https://x.example/", callbackToken: "callback-token-RED-1" });
  await xp.getPayIn(payIn);
  const auto = await xp.createIntent({ merchantRef: "RED-2", amount: Money.parse("100", "PKR"), customer });
  const saved = await xp.confirmIntent({ merchantRef: "RED-2", gatewayRef: auto.gatewayRef, clientSecret: auto.clientSecret ?? "", card: card(XPAY_PK_TEST_CARDS.approve), saveCard: true });
  const manual = await xp.createIntent({ merchantRef: "RED-3", amount: Money.parse("100", "PKR"), customer, captureMethod: "manual" });
  const manualRef = { merchantRef: "RED-3", gatewayRef: manual.gatewayRef, clientSecret: manual.clientSecret ?? "" };
  await xp.confirmIntent({ ...manualRef, card: card(XPAY_PK_TEST_CARDS.approve) });
  await xp.capture(manualRef);
  await xp.capture(manualRef);
  const threeDs = await xp.createIntent({ merchantRef: "RED-4", amount: Money.parse("100", "PKR"), customer });
  await xp.confirmIntent({ merchantRef: "RED-4", gatewayRef: threeDs.gatewayRef, clientSecret: threeDs.clientSecret ?? "", card: card(XPAY_PK_TEST_CARDS.threeDSecure) });
  const declined = await xp.createIntent({ merchantRef: "RED-5", amount: Money.parse("100", "PKR"), customer });
  await attempt(xp.confirmIntent({ merchantRef: "RED-5", gatewayRef: declined.gatewayRef, clientSecret: declined.clientSecret ?? "", card: card(XPAY_PK_TEST_CARDS.decline) }));
  await attempt(xp.confirmIntent({ merchantRef: "RED-5", gatewayRef: declined.gatewayRef, clientSecret: "xpay_pi_bad_secret_guess", card: card(XPAY_PK_TEST_CARDS.approve) }));
  const token = saved.savedCardToken ?? "";
  await xp.captureWithToken({ merchantRef: "RED-6", amount: Money.parse("50", "PKR"), token, customer, callbackToken: "callback-token-RED-6" });
  await attempt(xp.captureWithToken({ merchantRef: "RED-7", amount: Money.parse("50", "PKR"), token: "xpay_tok_never_issued_1234", customer }));
  const wrong = connectorFor(`${sandbox.url}/xpay-pk`, { logger, hmacSecret: "wrong-hmac-secret-value" });
  await attempt(wrong.createPayIn({ merchantRef: "RED-8", amount: Money.parse("1", "PKR"), method: "card", customer, callbackUrl: "https://x.example/" }));
  await control(sandbox.url, "faults", { gateway: "xpay-pk", operation: "capture", kind: "error", status: 502 });
  await attempt(xp.capture(manualRef));

  seen.push(...logger.lines);
  expect(seen.length).toBeGreaterThan(12);
  expect(errors.length).toBe(5);
  const secrets = [
    MERCHANT.apiKey,
    MERCHANT.hmacSecret,
    MERCHANT.webhookSecret,
    "wrong-hmac-secret-value",
    auto.clientSecret,
    manual.clientSecret,
    threeDs.clientSecret,
    declined.clientSecret,
    "xpay_pi_bad_secret_guess",
    token,
    "xpay_tok_never_issued_1234",
    XPAY_PK_TEST_CARDS.approve,
    XPAY_PK_TEST_CARDS.decline,
    XPAY_PK_TEST_CARDS.threeDSecure,
    "callback-token-RED-1",
    "callback-token-RED-6",
  ];
  expect(token).toMatch(/^xpay_tok_/);
  for (const line of [...seen, ...errors]) {
    for (const secret of secrets) expect(line).not.toContain(secret);
    expect(line).not.toContain(`"cvc":"${cvc}"`);
    // Signatures are hex HMAC-SHA256: no 64-hex run may survive.
    expect(line).not.toMatch(/[0-9a-f]{64}/i);
  }
  // The masked card is what the log shows.
  expect(seen.some((l) => l.includes('"number":"************4242"') && l.includes('"cvc":"[redacted]"'))).toBe(true);
});

it("values the gateway echoes back under keys nobody redacts (pm_token, a card number) stay out of the log", async () => {
  const stub = await new Stub().start();
  try {
    const logger = collectingLogger();
    const xp = connectorFor(stub.url, { logger });
    const card = { number: XPAY_PK_TEST_CARDS.approve, expiryMonth: "11", expiryYear: FUTURE_YEAR, cvc: "987", holderName: "John Doe" };
    const echo = { ...spec.PAYMENT_CAPTURED, data: { ...spec.PAYMENT_CAPTURED.data, pm_token: spec.SAVED_TOKEN, card_details: { number: card.number } } };
    stub.answer({ status: 200, body: echo });
    await xp.confirmIntent({ merchantRef: "ORD-1", gatewayRef: spec.INTENT_ID, clientSecret: spec.CLIENT_SECRET, card });
    expect(stub.seen[0]?.body).toContain(card.number);
    stub.answer({ status: 200, body: { ...spec.TOKENIZED_CAPTURED, data: { ...spec.TOKENIZED_CAPTURED.data, pm_token: spec.SAVED_TOKEN } } });
    await xp.captureWithToken({ merchantRef: "ORD-2", amount: Money.parse("999.50", "PKR"), token: spec.SAVED_TOKEN, customer: { name: "A", email: "a@b.co", phone: "03001234567" } });
    expect(stub.seen[0]?.body).toContain(spec.SAVED_TOKEN);
    expect(logger.lines.length).toBe(2);
    for (const line of logger.lines) {
      for (const secret of [card.number, spec.SAVED_TOKEN, spec.CLIENT_SECRET, MERCHANT.apiKey]) expect(line).not.toContain(secret);
    }
  } finally {
    await stub.stop();
  }
});
