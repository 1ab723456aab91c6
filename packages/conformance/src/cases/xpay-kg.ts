// PLACEHOLDER: replaced by the xpay-kg conformance case (helper task).
import type { ConformanceCase } from "../case";
export const xpayKgCase = undefined as unknown as ConformanceCase;
