/**
 * The /callbacks plugin keeps a callback's exact bytes: whatever the content type, a body with a
 * NUL, invalid UTF-8 or a byte-order mark is stored byte for byte (raw_body_bytes), acknowledged,
 * and then processed, on PGlite and on real PostgreSQL.
 */
import { eventually, useStack, type Stack } from "./harness";

describe.each([["pglite"], ["postgres"]])("callback bodies on %s", (kind) => {
  let stack: Stack | undefined;
  useStack(kind, (s) => (stack = s));

  it.each([
    ["application/json", Buffer.concat([Buffer.from('{"merOrderNo":"'), Buffer.from([0x00, 0xff, 0xfe, 0xc3]), Buffer.from('"}')])],
    ["text/plain", Buffer.from([0xef, 0xbb, 0xbf, 0x41, 0x00, 0x42, 0xed, 0xa0, 0x80])],
    ["application/x-www-form-urlencoded", Buffer.from("status=SUCCESS&note=caf\xe9", "latin1")],
    ["application/octet-stream", Buffer.from([0x00, 0x01, 0x02, 0x80, 0xff])],
  ])("%s: stored byte for byte, acknowledged, then processed", async (type, bytes) => {
    if (!stack) return;
    const s = stack;
    const created = await s.api("POST", "/v1/payments", { gateway: "xpress-pay", method: "easypaisa", order_ref: `BYTES-${type}`, amount: "10.00", currency: "PKR", customer: { name: "John Doe" } });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const res = await fetch(`${s.service.url}/callbacks/xpress-pay/${id}/${s.service.ctx.secrets.callbackToken(id)}`, { method: "POST", body: bytes, headers: { "content-type": type } });
    expect({ status: res.status, body: await res.text() }).toEqual({ status: 200, body: "SUCCESS" });
    const [row] = await eventually(
      () => s.service.ctx.db.query<{ raw_body_bytes: Uint8Array; state: string }>("select raw_body_bytes, state from callbacks where payment_id = $1", [id]),
      (rows) => rows.length === 1 && rows[0]?.state !== "received" && rows[0]?.state !== "retry",
    );
    expect(Buffer.from(row?.raw_body_bytes ?? []).equals(bytes)).toBe(true);
    // Garbage claims nothing the payment could apply: its status stays as it was.
    expect((await s.api("GET", `/v1/payments/${id}`)).body.status).toBe(created.body.status);
  });
});
