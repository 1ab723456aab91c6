import type { EmulatorContext } from "../../emulator";
import { minorToDecimal } from "../../money";
import type { Lag } from "../../lag";
import { OrderBook } from "../../orders";
import { listOf } from "../../state-file";
import { XPAY_PK_TEST_CARDS, XPAY_PK_WEBHOOK_SECRET } from "./merchant";
import { cardProblem, hmacHex, sameText, type Card } from "./validation";

/** Our choice (XPay documents none): retries after the first attempt until a 2xx, spaced 1 min, 5 min, 30 min, 2 h, 6 h. */
export const XPAY_PK_WEBHOOK_RETRY_DELAYS_MS = [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000] as const;

/** pi_status values in which an intent can still take a card. */
const OPEN = new Set(["requires_payment_method", "requires_action"]);

/** True while the intent can still take a card. */
export const isOpen = (i: { piStatus: string }): boolean => OPEN.has(i.piStatus);

/** A payment intent as XPay keeps it. */
export interface Intent {
  merchantRef: string;
  gatewayRef: string;
  clientSecret: string;
  amountMinor: number;
  currency: string;
  customer: { name: string; email: string; phone: string };
  description: string;
  metadata: Record<string, unknown>;
  captureMethod: "automatic" | "manual";
  returnUrl: string;
  piStatus: string;
  /** The intent was paid with a saved card (tokenized payment). */
  tokenized: boolean;
  /** The token of the card saved on this intent. */
  savedToken: string | null;
  cardLast4: string | null;
  lastPayment: { error: boolean; status: string; message: string; token: string | null } | null;
  createdAt: string;
  updatedAt: string;
  /** Intent lookups lagging the webhook (`lag` control). */
  lag?: Lag<string>;
}

/** What one card attempt came to. */
export type Outcome = "invalid" | "declined" | "three_ds" | "approved";

/** XPay's intents, saved cards and dashboard webhook URL, and what happens to them: card attempts, 3-D Secure, capture, signed webhooks. */
export class XpayPkState {
  readonly intents = new OrderBook<Intent>();
  /** Saved card tokens -> the card they charge. */
  readonly tokens = new Map<string, { last4: string }>();
  /** Whether a card waiting on 3-D Secure should be saved once it passes. */
  private readonly pendingSave = new Map<string, boolean>();
  /** Dashboard settings: where webhooks go (unset: none are sent). Kept across resets, like a real account. */
  readonly settings: { webhookUrl: string | null } = { webhookUrl: null };

  constructor(private readonly ctx: EmulatorContext) {}

  /** A new intent from a validated create (or tokenized payment) body. */
  newIntent(body: Record<string, unknown>, captureMethod: Intent["captureMethod"], returnUrl: string): Intent {
    const rng = this.ctx.rng();
    const gatewayRef = `xpay_pi_${rng.chars(24, "0123456789abcdef")}`;
    const customer = body.customer as Record<string, string>;
    const metadata = (body.metadata ?? {}) as Record<string, unknown>;
    const now = new Date().toISOString();
    return this.intents.add({
      merchantRef: typeof metadata.order_reference === "string" ? metadata.order_reference : "",
      gatewayRef,
      clientSecret: `${gatewayRef}_secret_${rng.chars(24)}`,
      amountMinor: body.amount as number,
      currency: "PKR",
      customer: { name: customer.name ?? "", email: customer.email ?? "", phone: customer.phone ?? "" },
      description: typeof body.description === "string" ? body.description : "",
      metadata: { ...metadata },
      captureMethod,
      returnUrl,
      piStatus: "requires_payment_method",
      tokenized: false,
      savedToken: null,
      cardLast4: null,
      lastPayment: null,
      createdAt: now,
      updatedAt: now,
    });
  }

  /** The intent a `pi_client_secret` names (constant-time). */
  byClientSecret(secret: string): Intent | undefined {
    return this.intents.all().find((i) => sameText(i.clientSecret, secret));
  }

  setStatus(i: Intent, piStatus: string): void {
    if (i.lag) i.lag.before = i.piStatus;
    i.piStatus = piStatus;
    i.updatedAt = new Date().toISOString();
    if (piStatus !== "requires_action") this.notify(i);
  }

  /** The card was approved (and 3-D Secure passed): captured now, or authorized for a manual capture. */
  approve(i: Intent, save: boolean): void {
    if (save && !i.savedToken) {
      i.savedToken = `xpay_tok_${this.ctx.rng().chars(24)}`;
      this.tokens.set(i.savedToken, { last4: i.cardLast4 ?? "4242" });
    }
    const captured = i.captureMethod === "automatic";
    i.lastPayment = { error: false, status: captured ? "PAYMENT_CAPTURED" : "PAYMENT_AUTHORIZED", message: captured ? "Payment captured successfully" : "Payment authorized", token: i.savedToken };
    this.setStatus(i, captured ? "succeeded" : "requires_capture");
  }

  decline(i: Intent, message: string): void {
    i.lastPayment = { error: true, status: "PAYMENT_FAILED", message, token: null };
    this.setStatus(i, "failed");
  }

  /** Captures an authorized intent in full. */
  capture(i: Intent): void {
    i.lastPayment = { error: false, status: "PAYMENT_CAPTURED", message: "Payment captured successfully", token: i.savedToken };
    this.setStatus(i, "succeeded");
  }

  /** A one-call payment with a saved card: a new intent, captured. */
  payWithToken(body: Record<string, unknown>, last4: string): Intent {
    const intent = this.newIntent(body, "automatic", "");
    intent.tokenized = true;
    intent.cardLast4 = last4;
    this.approve(intent, false);
    return intent;
  }

  /** One card attempt on an open intent, from the API or the hosted page. */
  attempt(i: Intent, card: Card, save: boolean): { outcome: Outcome; message: string } {
    const problem = cardProblem(card);
    if (problem) return { outcome: "invalid", message: problem };
    i.cardLast4 = card.number.slice(-4);
    if (card.number === XPAY_PK_TEST_CARDS.decline) {
      this.decline(i, "Do not honour");
      return { outcome: "declined", message: "Do not honour" };
    }
    if (card.number === XPAY_PK_TEST_CARDS.threeDSecure) {
      this.pendingSave.set(i.gatewayRef, save);
      this.setStatus(i, "requires_action");
      return { outcome: "three_ds", message: "Authentication required" };
    }
    this.approve(i, save);
    return { outcome: "approved", message: "Approved" };
  }

  /** The shopper's 3-D Secure answer: approved (saving the card if the confirm asked) or failed. */
  authenticate(i: Intent, passed: boolean): void {
    if (passed) this.approve(i, this.pendingSave.get(i.gatewayRef) === true);
    else this.decline(i, "3-D Secure authentication failed");
    this.pendingSave.delete(i.gatewayRef);
  }

  /** What the control API does to an open intent (approving as the approve test card, optionally saving it). */
  settle(i: Intent, action: "approve" | "decline" | "cancel", options: Record<string, unknown>): void {
    if (action === "approve") {
      i.cardLast4 ??= XPAY_PK_TEST_CARDS.approve.slice(-4);
      this.approve(i, options.saveCard === true);
    } else if (action === "decline") {
      this.decline(i, typeof options.message === "string" ? options.message : "Do not honour");
    } else {
      this.setStatus(i, "canceled");
    }
    this.pendingSave.delete(i.gatewayRef);
  }

  orders(): unknown[] {
    return this.intents.all().map((i) => ({
      merchantRef: i.merchantRef,
      gatewayRef: i.gatewayRef,
      clientSecret: i.clientSecret,
      amount: minorToDecimal(i.amountMinor),
      amountMinor: i.amountMinor,
      currency: i.currency,
      piStatus: i.piStatus,
      captureMethod: i.captureMethod,
      tokenized: i.tokenized,
      savedToken: i.savedToken,
      createdAt: i.createdAt,
    }));
  }

  reset(): void {
    this.intents.clear();
    this.tokens.clear();
    this.pendingSave.clear();
  }

  /** The intents, saved cards, pending 3-D Secure saves and dashboard settings, for the sandbox's state file. */
  snapshot(): { intents: Intent[]; tokens: [string, { last4: string }][]; pendingSave: [string, boolean][]; settings: { webhookUrl: string | null } } {
    return { intents: this.intents.all(), tokens: [...this.tokens], pendingSave: [...this.pendingSave], settings: { ...this.settings } };
  }

  /** Takes back a `snapshot` of an earlier run. */
  restore(snapshot: unknown): void {
    const s = snapshot as ReturnType<XpayPkState["snapshot"]>;
    const intents = listOf<Intent>(s.intents, "xpay-pk.intents");
    const tokens = listOf<[string, { last4: string }]>(s.tokens, "xpay-pk.tokens");
    const pendingSave = listOf<[string, boolean]>(s.pendingSave, "xpay-pk.pendingSave");
    this.reset();
    for (const intent of intents) this.intents.add(intent);
    for (const [token, card] of tokens) this.tokens.set(token, card);
    for (const [ref, save] of pendingSave) this.pendingSave.set(ref, save);
    this.settings.webhookUrl = typeof s.settings?.webhookUrl === "string" ? s.settings.webhookUrl : null;
  }

  /** Posts the webhook to the dashboard URL, signed with the webhook secret, retried until a 2xx. */
  private notify(i: Intent): void {
    if (!this.settings.webhookUrl) return;
    const body = JSON.stringify({ status: i.piStatus, payment_intent_id: i.gatewayRef, amount: i.amountMinor, currency: i.currency, metadata: i.metadata });
    this.ctx.callbacks.enqueue({
      gateway: "xpay-pk",
      url: this.settings.webhookUrl,
      body,
      headers: { "content-type": "application/json", "X-Signature": hmacHex(XPAY_PK_WEBHOOK_SECRET, body) },
      acked: (status) => status >= 200 && status < 300,
      retryDelaysMs: XPAY_PK_WEBHOOK_RETRY_DELAYS_MS,
    });
  }
}
