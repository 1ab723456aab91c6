// PLACEHOLDER: replaced by the xpay-eg conformance case (helper task).
import type { ConformanceCase } from "../case";
export const xpayEgCase = undefined as unknown as ConformanceCase;
