import type { ConformanceCase } from "../case";
import { xpressPayCase } from "./xpress-pay";
import { payProCase } from "./paypro";
import { xpayPkCase } from "./xpay-pk";
import { xpayEgCase } from "./xpay-eg";
import { xpayKgCase } from "./xpay-kg";

const ALL: readonly ConformanceCase[] = [xpressPayCase, payProCase, xpayPkCase, xpayEgCase, xpayKgCase];

/** Every connector's case: the suite runs each (`CONFORMANCE_ONLY=xpress-pay,paypro` narrows a local run). */
export const CASES: readonly ConformanceCase[] = ALL.filter(
  (c) => !process.env.CONFORMANCE_ONLY || process.env.CONFORMANCE_ONLY.split(",").includes(c?.gateway),
);
