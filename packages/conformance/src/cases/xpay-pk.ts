// PLACEHOLDER: replaced by the xpay-pk conformance case (helper task).
import type { ConformanceCase } from "../case";
export const xpayPkCase = undefined as unknown as ConformanceCase;
