import { GATEWAY_IDS } from "@xpay-connect/core";
import type { ConformanceCase } from "./case";
import * as cases from "./cases";

function isCase(value: unknown): value is ConformanceCase {
  return typeof value === "object" && value !== null && "gateway" in value && "flow" in value && "request" in value;
}

/** Every case src/cases/index.ts exports, in the registry's gateway order. */
const ALL: readonly ConformanceCase[] = Object.values(cases as Record<string, unknown>)
  .filter(isCase)
  .sort((a, b) => GATEWAY_IDS.indexOf(a.gateway) - GATEWAY_IDS.indexOf(b.gateway));

/** Every connector's case: the suite runs each (`CONFORMANCE_ONLY=xpress-pay,paypro` narrows a local run). */
export const CASES: readonly ConformanceCase[] = ALL.filter(
  (c) => !process.env.CONFORMANCE_ONLY || process.env.CONFORMANCE_ONLY.split(",").includes(c.gateway),
);
