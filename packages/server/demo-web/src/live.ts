import type { PaymentEvent } from "./api.js";
import { byId } from "./dom.js";

/** Called with each status change, or with null when anything may have changed (a poll, a reconnect). */
type Listener = (event: PaymentEvent | null) => void;

const listeners: Listener[] = [];
let liveText: [text: string, on: boolean] = ["connecting…", false];

/** Calls `listener` on every status change of the demo merchant's payments. */
export function onPaymentChange(listener: Listener): void {
  listeners.push(listener);
}

function emit(event: PaymentEvent | null): void {
  for (const listener of listeners) listener(event);
}

function setLive(text: string, on: boolean): void {
  liveText = [text, on];
  showLive();
}

/** Shows the connection state in #live (again, after a page part holding it was redrawn). */
export function showLive(): void {
  const el = byId("live");
  if (!el) return;
  el.textContent = liveText[0];
  el.className = "live" + (liveText[1] ? " on" : "");
}

/** Live updates: Server-Sent Events, or a poll every 2 s when the stream is unavailable. */
export function startLive(): void {
  let timer: ReturnType<typeof setInterval> | null = null;
  const poll = () => {
    if (timer) return;
    setLive("checking every 2 s", false);
    timer = setInterval(() => emit(null), 2000);
  };
  if (!("EventSource" in window)) return poll();
  const stream = new EventSource("/demo/api/events");
  let opened = false;
  stream.addEventListener("open", () => {
    if (timer) clearInterval(timer);
    timer = null;
    setLive("live", true);
    // Anything that changed while the stream was down.
    if (opened) emit(null);
    opened = true;
  });
  stream.addEventListener("payment", (message) => {
    try {
      emit(JSON.parse(message.data) as PaymentEvent);
    } catch {
      emit(null);
    }
  });
  stream.addEventListener("error", () => {
    setLive("reconnecting…", false);
    if (stream.readyState === EventSource.CLOSED) poll();
  });
}
