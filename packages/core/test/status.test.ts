import { PAYMENT_STATUSES, isFinal, transition, type PaymentStatus } from "../src";

describe("the status machine", () => {
  it.each<[PaymentStatus, PaymentStatus, string]>([
    ["pending", "requires_action", "apply"],
    ["pending", "succeeded", "apply"],
    ["requires_action", "authorized", "apply"],
    ["authorized", "succeeded", "apply"],
    ["pending", "failed", "apply"],
    ["pending", "expired", "apply"],
    ["succeeded", "partially_refunded", "apply"],
    ["succeeded", "refunded", "apply"],
    ["partially_refunded", "refunded", "apply"],
    ["succeeded", "reversed", "apply"],
    ["succeeded", "succeeded", "noop"],
    ["succeeded", "pending", "noop"],
    ["failed", "requires_action", "noop"],
    ["authorized", "pending", "noop"],
    ["refunded", "succeeded", "noop"],
    ["failed", "succeeded", "conflict"],
    ["succeeded", "failed", "conflict"],
    ["canceled", "succeeded", "conflict"],
    ["pending", "refunded", "conflict"],
    ["failed", "reversed", "conflict"],
  ])("%s -> %s is %s", (from, to, kind) => {
    expect(transition(from, to).kind).toBe(kind);
  });

  it("is monotone: no applied transition ever leads back to an earlier status", () => {
    // Walk every sequence of three incoming statuses and check no applied path revisits a status.
    for (const a of PAYMENT_STATUSES) for (const b of PAYMENT_STATUSES) for (const c of PAYMENT_STATUSES) {
      let current: PaymentStatus = "pending";
      const seen: PaymentStatus[] = [current];
      for (const next of [a, b, c]) {
        const t = transition(current, next);
        if (t.kind === "apply") {
          expect(seen).not.toContain(t.to);
          current = t.to;
          seen.push(current);
        }
      }
    }
  });

  it("knows final statuses", () => {
    expect(isFinal("pending")).toBe(false);
    expect(isFinal("authorized")).toBe(false);
    expect(isFinal("succeeded")).toBe(true);
    expect(isFinal("expired")).toBe(true);
    expect(isFinal("reversed")).toBe(true);
  });
});
