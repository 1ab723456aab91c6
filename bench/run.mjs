// pnpm bench: prints `name: value` lines. Ratios compare against a baseline measured in the same run.
import { createRequire } from "node:module";
import axios from "axios";
import core from "../packages/core/dist/index.js";
import { serviceBench } from "./service.mjs";
import { woocommerceBench } from "./woocommerce.mjs";
import { shopifyBench } from "./shopify.mjs";
import { startSandbox } from "./sandbox.mjs";

const { XpressPayConnector, Money } = core;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 200);
const APP_ID = "c551c980b045d827f3d910fbdf8c1ddb";

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timeRound(fn) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < PER_ROUND; i++) await fn(i);
  return Number(process.hrtime.bigint() - t0) / 1e6 / PER_ROUND;
}

const sandbox = await startSandbox();
const base = `${sandbox.url}/xpress-pay`;
const connector = new XpressPayConnector({ baseUrl: base, appId: APP_ID });
const client = axios.create({ timeout: 15000 });
let seq = 0;
const body = (ref) => ({
  appId: APP_ID, merOrderNo: ref, amount: "1500", channel: "EASYPAISA", customerMobile: "03001234567",
  customerName: "John Doe", customerEmail: "buyer@gmail.com", notifyUrl: "https://yourwebsite.com/api/payment-callback", returnUrl: "https://yourwebsite.com/payment-result",
});
const raw = async () => {
  const res = await client.post(`${base}/api/v2/payment/order/create`, body(`BENCH_${++seq}`), { headers: { "content-type": "application/json" } });
  if (res.data.code !== 0) throw new Error("raw create failed");
};
const viaCore = async () => {
  await connector.createPayIn({
    merchantRef: `BENCH_${++seq}`, amount: Money.parse("1500", "PKR"), method: "easypaisa",
    customer: { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" },
    callbackUrl: "https://yourwebsite.com/api/payment-callback", returnUrl: "https://yourwebsite.com/payment-result",
  });
};

// The Medusa provider's initiatePayment (amount conversion, checks, session data) over the same connector call.
const { XpressPayProviderService } = createRequire(import.meta.url)("../plugins/medusa/dist/index.js");
const provider = new XpressPayProviderService({}, { testMode: true, sandboxUrl: sandbox.url, appId: APP_ID, webhookUrl: "https://yourwebsite.com/hooks/payment/xpress-pay_default", returnUrl: "https://yourwebsite.com/payment-result" });
const viaMedusa = async () => {
  await provider.initiatePayment({
    amount: 1500, currency_code: "pkr", data: { session_id: `payses_BENCH${++seq}`, method: "easypaisa" },
    context: { customer: { first_name: "John", last_name: "Doe", email: "buyer@gmail.com", phone: "03001234567" } },
  });
};

// Warm up every path, then interleave rounds so drift hits them alike.
await timeRound(raw);
await timeRound(viaCore);
await timeRound(viaMedusa);
const rawMs = [];
const coreMs = [];
const medusaMs = [];
for (let r = 0; r < ROUNDS; r++) {
  rawMs.push(await timeRound(raw));
  coreMs.push(await timeRound(viaCore));
  medusaMs.push(await timeRound(viaMedusa));
}
await sandbox.stop();

// Money parsing and formatting, against parseFloat as the (forbidden) baseline.
const N = 200_000;
let t0 = process.hrtime.bigint();
let sink = 0;
for (let i = 0; i < N; i++) sink += Money.parse(`${i}.25`, "PKR").minor;
const moneyNs = Number(process.hrtime.bigint() - t0) / N;
t0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) sink += Number(`${i}25`);
const numberNs = Number(process.hrtime.bigint() - t0) / N;

console.log(`raw_create_ms: ${median(rawMs).toFixed(3)}`);
console.log(`core_create_ms: ${median(coreMs).toFixed(3)}`);
console.log(`core_overhead_ratio: ${(median(coreMs) / median(rawMs)).toFixed(3)}`);
console.log(`medusa_initiate_ms: ${median(medusaMs).toFixed(3)}`);
console.log(`medusa_provider_overhead_ratio: ${(median(medusaMs) / median(coreMs)).toFixed(3)}`);
console.log(`money_parse_ns: ${moneyNs.toFixed(1)}`);
console.log(`money_parse_ratio: ${(moneyNs / numberNs).toFixed(2)}`);
console.log(`bench_requests: ${ROUNDS * PER_ROUND * 3 + PER_ROUND * 3}`);
if (sink === -1) console.log("unreachable");
for (const line of await serviceBench()) console.log(line);
for (const line of woocommerceBench()) console.log(line);
for (const line of await shopifyBench()) console.log(line);
