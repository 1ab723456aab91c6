import type { Rng } from "./rng";

/** One callback a gateway wants delivered, with that gateway's retry rule. */
export interface CallbackJob {
  gateway: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Whether the merchant's answer stops retries (Xpress Pay: 200 + "SUCCESS"). */
  acked: (status: number, text: string) => boolean;
  /** Delays before each retry, in ms (before `retryScale`); its length is the number of retries. */
  retryDelaysMs: readonly number[];
}

/** How the next callbacks of a gateway are disturbed. */
export type CallbackMode =
  | { kind: "normal" }
  /** Each callback is sent `copies` times at once. */
  | { kind: "duplicate"; copies: number }
  /** The next `count` callbacks are never sent. */
  | { kind: "drop"; count: number }
  /** Callbacks are held until `batch` are queued, then sent in a seeded shuffled order. */
  | { kind: "reorder"; batch: number };

/** One delivery attempt, as logged for `GET /_sandbox/callbacks`. */
export interface DeliveryRecord {
  id: number;
  gateway: string;
  url: string;
  body: string;
  attempts: { at: string; status: number | null; response: string }[];
  state: "pending" | "acked" | "gave_up" | "dropped" | "held";
}

/** Sends gateway callbacks over real HTTP with each gateway's retries and the scripted disturbances. */
export class CallbackSender {
  private modes = new Map<string, CallbackMode>();
  private held = new Map<string, { job: CallbackJob; record: DeliveryRecord }[]>();
  private timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private seq = 0;
  readonly log: DeliveryRecord[] = [];
  private closed = false;

  constructor(
    private readonly rng: () => Rng,
    /** Multiplies every retry delay (1 = the gateway's real schedule; tests use 0.001). */
    public retryScale: number,
  ) {}

  setMode(gateway: string, mode: CallbackMode): void {
    this.modes.set(gateway, mode);
    if (mode.kind !== "reorder") this.flush(gateway);
  }

  /** Queues a callback; it is delivered according to the gateway's current mode. */
  enqueue(job: CallbackJob): void {
    const mode = this.modes.get(job.gateway) ?? { kind: "normal" };
    const record = this.record(job);
    if (mode.kind === "drop") {
      record.state = "dropped";
      this.modes.set(job.gateway, mode.count > 1 ? { kind: "drop", count: mode.count - 1 } : { kind: "normal" });
      return;
    }
    if (mode.kind === "duplicate") {
      this.deliver(job, record, 0);
      for (let i = 1; i < mode.copies; i++) this.deliver(job, this.record(job), 0);
      return;
    }
    if (mode.kind === "reorder") {
      record.state = "held";
      const queue = this.held.get(job.gateway) ?? [];
      queue.push({ job, record });
      this.held.set(job.gateway, queue);
      if (queue.length >= mode.batch) this.flush(job.gateway);
      return;
    }
    this.deliver(job, record, 0);
  }

  /** Releases held callbacks of a gateway, shuffled by the seeded generator. */
  flush(gateway: string): void {
    const queue = this.held.get(gateway) ?? [];
    this.held.delete(gateway);
    for (const { job, record } of this.rng().shuffle(queue)) this.deliver(job, record, 0);
  }

  /** Resolves when no delivery is in flight or waiting for a retry. */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops all retries and forgets modes and held callbacks. */
  reset(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.modes.clear();
    this.held.clear();
    this.log.length = 0;
    this.settle();
  }

  close(): void {
    this.closed = true;
    this.reset();
  }

  private record(job: CallbackJob): DeliveryRecord {
    const record: DeliveryRecord = { id: ++this.seq, gateway: job.gateway, url: job.url, body: job.body, attempts: [], state: "pending" };
    this.log.push(record);
    if (this.log.length > 1000) this.log.shift();
    return record;
  }

  private deliver(job: CallbackJob, record: DeliveryRecord, attempt: number): void {
    record.state = "pending";
    this.inFlight++;
    void this.attempt(job, record)
      .then((acked) => {
        if (acked) {
          record.state = "acked";
          return;
        }
        const delay = job.retryDelaysMs[attempt];
        if (delay === undefined || this.closed) {
          record.state = "gave_up";
          return;
        }
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.deliver(job, record, attempt + 1);
        }, Math.round(delay * this.retryScale));
        this.timers.add(timer);
      })
      .finally(() => {
        this.inFlight--;
        this.settle();
      });
  }

  private async attempt(job: CallbackJob, record: DeliveryRecord): Promise<boolean> {
    const at = new Date().toISOString();
    try {
      const res = await fetch(job.url, { method: "POST", body: job.body, headers: job.headers, signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      record.attempts.push({ at, status: res.status, response: text.slice(0, 200) });
      return job.acked(res.status, text);
    } catch (error) {
      record.attempts.push({ at, status: null, response: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }

  private settle(): void {
    if (this.inFlight !== 0 || this.timers.size !== 0) return;
    const waiters = this.waiters.splice(0);
    for (const w of waiters) w();
  }
}
