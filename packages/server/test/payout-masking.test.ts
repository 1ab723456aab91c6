/**
 * Payout answers never show a whole wallet or account number, over real HTTP against the sandbox on
 * PGlite and on real PostgreSQL: the create's answer, the payout's GET (with its timeline), the list,
 * the storefront events and the stored row all hold `0311****445` and `****6702`, never the number;
 * the national id appears nowhere; a row stored before masking existed is masked when shown.
 */
import { migrate } from "../src/db/migrations";
import { maskAccountNumber, maskMobile } from "../src/payouts/masking";
import { eventually, useStack, type Stack } from "./harness";

type Json = Record<string, unknown>;

const XPRESS = { gateway: "xpress-pay", method: "easypaisa", amount: "250.00", currency: "PKR", recipient: { name: "Ali Khan", mobile: "03112233445" } };
const PAYPRO_BANK = {
  gateway: "paypro",
  method: "bank",
  amount: "1200",
  currency: "PKR",
  recipient: { name: "Sara Ahmed", mobile: "03001234567", email: "sara@example.com", national_id: "17301-2345678-9", bank_code: "ALLIED_BANK_LIMITED", account_number: "PK36SCBL0000001123456702" },
};
const PAYPRO_WALLET = { gateway: "paypro", method: "jazzcash", amount: "300", currency: "PKR", recipient: { name: "Bilal Raza", mobile: "03214567890", email: "bilal@example.com", national_id: "3520212345671" } };

/** Every full number and national id of the recipients above, and their digits without separators or leading zero. */
const SECRETS = ["3112233445", "3001234567", "3214567890", "SCBL0000001123456702", "0000001123456702", "17301-2345678-9", "1730123456789", "3520212345671"];

describe.each([["pglite"], ["postgres"]])("payout masking on %s", (kind) => {
  let stack: Stack | undefined;
  useStack(kind, (s) => (stack = s));

  const expectNoNumber = (where: string, value: unknown) => {
    const text = JSON.stringify(value);
    for (const secret of SECRETS) expect({ where, secret, found: text.includes(secret) }).toEqual({ where, secret, found: false });
  };

  it.each([
    ["xpress-pay easypaisa", XPRESS, { name: "Ali Khan", mobile: "0311****445" }],
    ["paypro bank", PAYPRO_BANK, { name: "Sara Ahmed", mobile: "0300****567", email: "sara@example.com", bank_code: "ALLIED_BANK_LIMITED", account_number: "****6702" }],
    ["paypro jazzcash wallet", PAYPRO_WALLET, { name: "Bilal Raza", mobile: "0321****890", email: "bilal@example.com" }],
  ] as const)("%s: the answers, the events and the stored row hold the numbers masked", async (name, body, shown) => {
    if (!stack) return;
    const s = stack;
    const created = await s.api("POST", "/v1/payouts", { ...body, order_ref: `MASK-${name}` }, { "idempotency-key": `mask-${name}` });
    expect(created.status).toBe(201);
    expect(created.body.recipient).toEqual(shown);
    expectNoNumber("create", created.body);
    // The replayed answer too.
    expect((await s.api("POST", "/v1/payouts", { ...body, order_ref: `MASK-${name}` }, { "idempotency-key": `mask-${name}` })).body.recipient).toEqual(shown);

    expect((await s.act(body.gateway, String(created.body.gateway_ref), "approve")).status).toBe(200);
    const paid = await eventually(() => s.api("GET", `/v1/payouts/${created.body.id}`), (r) => r.body.status === "succeeded");
    expect(paid.body.recipient).toEqual(shown);
    expectNoNumber("get", paid.body);
    const list = await s.api("GET", `/v1/payouts?order_ref=MASK-${encodeURIComponent(name)}`);
    expect((list.body.data as Json[]).map((p) => p.recipient)).toEqual([shown]);
    expectNoNumber("list", list.body);

    const db = s.service.ctx.db;
    const events = await db.query<{ type: string; payload: unknown }>("select type, payload from outbox_events where payment_id = $1", [created.body.id]);
    expect(events.map((e) => e.type)).toEqual(["payout.succeeded"]);
    expectNoNumber("outbox", events);
    expectNoNumber("stored row", await db.query("select * from payments where id = $1", [created.body.id]));
    expectNoNumber("timeline", await db.query("select * from payment_events where payment_id = $1", [created.body.id]));
    expectNoNumber("idempotency", await db.query("select response from idempotency_keys where key = $1", [`mask-${name}`]));
  });

  it("a payout stored with whole numbers (before masking) is shown masked", async () => {
    if (!stack) return;
    const s = stack;
    const created = await s.api("POST", "/v1/payouts", { ...PAYPRO_BANK, order_ref: "MASK-LEGACY" }, { "idempotency-key": "mask-legacy" });
    expect(created.status).toBe(201);
    await s.service.ctx.db.query("update payments set party = $2 where id = $1", [
      created.body.id,
      JSON.stringify({ recipient: { name: "Sara Ahmed", mobile: "03001234567", email: "sara@example.com", bank_code: "ALLIED_BANK_LIMITED", account_number: "PK36SCBL0000001123456702" } }),
    ]);
    const shown = await s.api("GET", `/v1/payouts/${created.body.id}`);
    expect(shown.body.recipient).toEqual({ name: "Sara Ahmed", mobile: "0300****567", email: "sara@example.com", bank_code: "ALLIED_BANK_LIMITED", account_number: "****6702" });
    expectNoNumber("legacy get", shown.body);
  });

  it("migration 8 masks the numbers of payouts stored before, as the service masks new ones", async () => {
    if (!stack) return;
    const s = stack;
    const db = s.service.ctx.db;
    const created = await s.api("POST", "/v1/payouts", { ...XPRESS, order_ref: "MASK-MIGRATION" }, { "idempotency-key": "mask-migration" });
    expect(created.status).toBe(201);
    // Whole numbers of every length, as rows from before masking held them, and one already masked.
    const mobiles = ["12", "12345", "123456789", "3112233445", "03112233445", "+923112233445", "0311****445"];
    const accounts = ["123", "1234", "12345678", "PK36SCBL0000001123456702", "****6702"];
    const ids: string[] = [];
    for (const [i, mobile] of mobiles.entries()) {
      const id = `po_legacy_${i}`;
      ids.push(id);
      await db.query(
        `insert into payments (id, merchant_id, kind, gateway, method, order_ref, amount_minor, currency, status, party, metadata)
         select $1, merchant_id, 'payout', gateway, method, $2, amount_minor, currency, status, $3, metadata from payments where id = $4`,
        [id, `MASK-LEGACY-${i}`, JSON.stringify({ recipient: { name: "Legacy", mobile, ...(accounts[i] ? { account_number: accounts[i] } : {}) } }), created.body.id],
      );
    }
    await db.query("delete from schema_migrations where id = 8");
    expect(await migrate(db)).toEqual([8]);
    const rows = await db.query<{ id: string; party: { recipient: { mobile: string; account_number?: string } } }>("select id, party from payments where id = any($1) order by id", [ids]);
    expect(rows.map((r) => r.party.recipient)).toEqual(
      mobiles.map((mobile, i) => ({
        name: "Legacy",
        mobile: mobile.includes("*") ? mobile : maskMobile(mobile),
        ...(accounts[i] ? { account_number: accounts[i]?.includes("*") ? accounts[i] : maskAccountNumber(accounts[i] as string) } : {}),
      })),
    );
    // Run again: nothing changes (masked values are left as they are).
    await db.query("delete from schema_migrations where id = 8");
    await migrate(db);
    expect(await db.query("select id, party from payments where id = any($1) order by id", [ids])).toEqual(rows);
    // The payout created through the API was masked already and is unchanged.
    expect((await s.api("GET", `/v1/payouts/${created.body.id}`)).body.recipient).toEqual({ name: "Ali Khan", mobile: "0311****445" });
  });

  it("short numbers keep at most half visible", async () => {
    if (!stack) return;
    const s = stack;
    const created = await s.api(
      "POST",
      "/v1/payouts",
      { ...PAYPRO_BANK, order_ref: "MASK-SHORT", recipient: { ...PAYPRO_BANK.recipient, account_number: "12345678" } },
      { "idempotency-key": "mask-short" },
    );
    expect(created.status).toBe(201);
    expect((created.body.recipient as Json).account_number).toBe("****5678");
    expect([maskAccountNumber("1234"), maskAccountNumber("123"), maskAccountNumber("PK36SCBL0000001123456702"), maskMobile("3112233445"), maskMobile("+923112233445"), maskMobile("12345")]).toEqual([
      "****34",
      "****3",
      "****6702",
      "3112***445",
      "+923******445",
      "****5",
    ]);
  });
});
