// PLACEHOLDER: replaced by the paypro conformance case (helper task).
import type { ConformanceCase } from "../case";
export const payProCase = undefined as unknown as ConformanceCase;
