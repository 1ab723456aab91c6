// PLACEHOLDER (payouts helper): reconciliation of stale pending payments and expiry.
import type { Worker } from "../features";
export const startReconciler: Worker = async () => ({ stop: async () => undefined });
