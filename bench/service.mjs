// The connector service benchmarks: callback intake against a bare node:http server, latency, memory, start time.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const requireServer = createRequire(path.join(root, "packages/server/package.json"));
const { Client } = requireServer("pg");
const server = requireServer("./dist/index.js");
const { sandboxAccounts } = requireServer("./dist/demo/sandbox-merchant.js");
const PG_ADMIN = process.env.XPAY_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const CALLBACKS = Number(process.env.BENCH_CALLBACKS ?? 6000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const PAYMENTS = 100;

function spawnNode(args, env = {}) {
  const child = spawn(process.execPath, args, { env: { ...process.env, NODE_OPTIONS: "", ...env }, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  const ready = new Promise((resolve, reject) => {
    child.stdout.on("data", (c) => {
      out += c;
      const m = /(?:"url":"|listening on )(http:\/\/[0-9.:]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`process exited ${code}: ${out}`)));
  });
  return { child, ready, stop: async (signal = "SIGTERM") => { if (child.exitCode === null) { child.kill(signal); await once(child, "exit"); } } };
}

const BARE = `require("http").createServer((q,s)=>{q.resume();q.on("end",()=>{s.writeHead(200,{"content-type":"text/plain"});s.end("SUCCESS")})}).listen(0,"127.0.0.1",function(){console.log("listening on http://127.0.0.1:"+this.address().port)})`;

/** Posts `jobs` with `CONCURRENCY` keep-alive connections; answers requests per second and latencies. */
async function load(jobs) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies = [];
  let next = 0;
  const acked = [];
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const t0 = process.hrtime.bigint();
      const text = await new Promise((resolve, reject) => {
        const u = new URL(job.url);
        const req = http.request({ agent, host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(job.body) } }, (res) => {
          let t = "";
          res.on("data", (c) => (t += c));
          res.on("end", () => resolve(res.statusCode === 200 ? t : ""));
        });
        req.on("error", reject);
        req.end(job.body);
      });
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (text === "SUCCESS") acked.push(job);
    }
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: jobs.length / seconds, p99: latencies[Math.floor(latencies.length * 0.99)], acked };
}

async function waitFor(read, done, ms = 120_000) {
  const t0 = Date.now();
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() - t0 > ms) throw new Error("timed out waiting: " + JSON.stringify(v));
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function intake(lines) {
  const admin = new Client({ connectionString: PG_ADMIN });
  try {
    await admin.connect();
  } catch (error) {
    lines.push(`callback_intake_ratio: skipped (no PostgreSQL at ${PG_ADMIN}: ${error.message})`);
    return;
  }
  const name = `xc_bench_${randomBytes(4).toString("hex")}`;
  await admin.query(`create database ${name}`);
  const url = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);
  const key = randomBytes(32).toString("hex");
  const sandbox = spawnNode([path.join(root, "packages/sandbox/dist/cli.js"), "--port", "0", "--retry-scale", "0.001"]);
  const sandboxUrl = await sandbox.ready;
  const db = await server.openDb({ databaseUrl: url, dataDir: "" });
  await server.migrate(db);
  const merchants = new server.Merchants(db, server.Secrets.fromText(key));
  const { merchant, apiKey } = await merchants.create("Bench store");
  await merchants.setGatewayAccount(merchant.id, "xpress-pay", sandboxAccounts(sandboxUrl)["xpress-pay"]);
  const svc = spawnNode([path.join(root, "packages/server/dist/main.js")], { DATABASE_URL: url, XPAY_CONNECT_KEY: key, PORT: "0", LOG_LEVEL: "info" });
  const svcUrl = await svc.ready;
  const secrets = server.Secrets.fromText(key);
  await fetch(`${sandboxUrl}/_sandbox/callbacks/mode`, { method: "POST", body: JSON.stringify({ gateway: "xpress-pay", mode: "drop", count: 100 }), headers: { "content-type": "application/json" } });
  const payments = [];
  for (let i = 0; i < PAYMENTS; i++) {
    const res = await fetch(`${svcUrl}/v1/payments`, { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: JSON.stringify({ gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR", order_ref: `BENCH-${i}`, customer: { name: "Bench" } }) });
    const p = await res.json();
    payments.push(p);
    await fetch(`${sandboxUrl}/_sandbox/xpress-pay/orders/${p.gateway_ref}/approve`, { method: "POST" });
  }
  const jobsFor = (base) =>
    Array.from({ length: CALLBACKS }, (_, n) => {
      const p = payments[n % PAYMENTS];
      return { url: base ? `${base}/cb` : `${svcUrl}/callbacks/xpress-pay/${p.id}/${secrets.callbackToken(p.id)}`, body: JSON.stringify({ appId: "c551c980b045d827f3d910fbdf8c1ddb", merOrderNo: p.id, orderNo: p.gateway_ref, amount: "1500.00", currency: "PKR", orderStatus: "2", nonce: n }) };
    });
  const bare = spawnNode(["-e", BARE]);
  const bareUrl = await bare.ready;
  await load(jobsFor(bareUrl).slice(0, 500));
  const baseline = await load(jobsFor(bareUrl));
  await bare.stop();
  const service = await load(jobsFor());
  // Zero lost: every acknowledged callback is stored. Zero doubled: one transition and one event per payment.
  await waitFor(() => db.query("select count(*)::int as n from callbacks where state in ('received','retry')"), (r) => r[0].n === 0);
  const stored = (await db.query("select count(*)::int as n from callbacks"))[0].n;
  const doubled = (await db.query("select count(*)::int as n from (select payment_id from payment_events where type = 'status_changed' and source = 'callback' group by payment_id having count(*) > 1) d"))[0].n;
  const extraEvents = (await db.query("select count(*)::int as n from (select payment_id from outbox_events where type = 'payment.succeeded' group by payment_id having count(*) > 1) d"))[0].n;
  const paid = (await db.query("select count(*)::int as n from payments where status = 'succeeded'"))[0].n;
  lines.push(`callback_bare_rps: ${baseline.rps.toFixed(0)}`);
  lines.push(`callback_service_rps: ${service.rps.toFixed(0)}`);
  lines.push(`callback_intake_ratio: ${(service.rps / baseline.rps).toFixed(3)}`);
  lines.push(`callback_p99_ms: ${service.p99.toFixed(1)}`);
  lines.push(`callback_bare_p99_ms: ${baseline.p99.toFixed(1)}`);
  lines.push(`callback_acked: ${service.acked.length}`);
  lines.push(`callback_lost: ${service.acked.length - Math.min(stored, service.acked.length)}`);
  lines.push(`callback_doubled: ${doubled + extraEvents}`);
  lines.push(`callback_payments_paid: ${paid}`);
  await svc.stop();
  await sandbox.stop();
  await db.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

function rssMb(pid) {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function startAndMemory(lines) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "xc-bench-"));
  const env = { XPAY_CONNECT_DATA: dir, PORT: "0", LOG_LEVEL: "info" };
  const run = async () => {
    const t0 = process.hrtime.bigint();
    const svc = spawnNode([path.join(root, "packages/server/dist/main.js")], env);
    const url = await svc.ready;
    await waitFor(() => fetch(`${url}/healthz`).then((r) => r.status).catch(() => 0), (s) => s === 200);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await new Promise((r) => setTimeout(r, 3000));
    const rss = rssMb(svc.child.pid);
    await svc.stop();
    return { seconds, rss };
  };
  const first = await run();
  const again = await run();
  lines.push(`first_start_s: ${first.seconds.toFixed(2)}`);
  lines.push(`cold_start_s: ${again.seconds.toFixed(2)}`);
  lines.push(`first_start_rss_mb: ${first.rss.toFixed(0)}`);
  lines.push(`idle_rss_mb: ${again.rss.toFixed(0)}`);
  rmSync(dir, { recursive: true, force: true });
}

/** Runs the service benchmarks and answers their `name: value` lines. */
export async function serviceBench() {
  const lines = [];
  await intake(lines);
  await startAndMemory(lines);
  return lines;
}
