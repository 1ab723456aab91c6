/** A scripted fault for the next matching requests. */
export interface Fault {
  gateway: string;
  /** Operation name from the route table ("payInCreate"); any operation when absent. */
  operation?: string;
  /**
   * timeout: process the request, then hold the answer for `ms` (the client gives up first);
   * error: answer `status` (default 503) without processing, or after processing if `afterEffect`;
   * latency: wait `ms`, then answer normally.
   */
  kind: "timeout" | "error" | "latency";
  ms?: number;
  status?: number;
  afterEffect?: boolean;
  /** How many requests it applies to (default 1). */
  times?: number;
}

/** The faults waiting for their requests. */
export class FaultPlan {
  private faults: (Fault & { left: number })[] = [];

  add(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Takes the first fault matching this request, if any. */
  take(gateway: string, operation: string): Fault | undefined {
    const i = this.faults.findIndex((f) => f.gateway === gateway && (!f.operation || f.operation === operation));
    if (i < 0) return undefined;
    const fault = this.faults[i] as Fault & { left: number };
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(i, 1);
    return fault;
  }

  /** The faults still waiting, each with how many requests it still applies to. */
  list(): (Fault & { left: number })[] {
    return [...this.faults];
  }

  reset(): void {
    this.faults = [];
  }
}
