import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { CallbackSender, type CallbackMode } from "./callbacks";
import type { Emulator, EmulatorContext, OrderAction } from "./emulator";
import { FaultPlan, type Fault } from "./faults";
import { Router, html, json, parseBody, readBody, send, type SandboxRequest, type SandboxResponse } from "./http";
import { Rng } from "./rng";
import { page, escapeHtml } from "./pages";
import { createEmulators } from "./registry";
import { ShopifyEmulator } from "./shopify";
import { STATE_FILE_VERSION, readStateFile, setAside, writeStateFile, type LoadedState, type SandboxState } from "./state-file";

/** How to start a sandbox. */
export interface SandboxOptions {
  /** Port to listen on (default 4010; 0 picks a free one). */
  port?: number;
  host?: string;
  /** Seed of every generated id, token and shuffle (default 1). */
  seed?: number;
  /** Multiplies the gateways' callback retry delays (default 1; tests use 0.001). */
  retryScale?: number;
  /**
   * Keeps the sandbox's state (orders, balances, dashboard settings, tokens, where the id generator is)
   * in this JSON file: read at start, rewritten atomically after each change. A restarted sandbox then
   * still knows the last run's orders and never hands out their references again. Without a state of
   * an earlier run, the seed (unless given) is drawn from the clock, so references differ from those
   * of any run whose state was lost. Unset: everything is in memory. Callbacks waiting for a retry are
   * not kept: the service's reconciliation asks the gateway about their orders.
   */
  stateFile?: string;
}

/** A running sandbox. */
export interface SandboxHandle {
  /** "http://127.0.0.1:4010". */
  url: string;
  port: number;
  /** The emulators, by gateway id. */
  emulators: ReadonlyMap<string, Emulator>;
  callbacks: CallbackSender;
  faults: FaultPlan;
  /**
   * What the gateway routes received, oldest first (the last 500): the exact requests a connector
   * sent, for tests and for a developer checking their integration. Connectors' own logs never
   * hold the shopper's data, so this is where a request body can be read in full.
   */
  received: readonly ReceivedRequest[];
  /** Shopify's side of a payments app, under `/shopify` (its test hooks under `/_sandbox/shopify`). */
  shopify: ShopifyEmulator;
  /** Re-seeds and forgets all orders, faults and callbacks. */
  reset(seed?: number): void;
  /** The state file, when there is one: whether an earlier run's state was restored, and where an unreadable file was moved. */
  stateFile?: { path: string; restored: boolean; setAside?: string };
  close(): Promise<void>;
}

/** One request a gateway route received. */
export interface ReceivedRequest {
  gateway: string;
  /** The route table's operation name ("payInCreate"). */
  operation: string;
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: unknown;
}

/** How many received requests the sandbox keeps. */
const RECEIVED_KEPT = 500;

const ACTIONS: readonly OrderAction[] = ["approve", "decline", "cancel", "expire"];

/** How often changes made outside a request (an xPay KG payment once its check_url answered) reach the state file. */
const STATE_SAVE_INTERVAL_MS = 1000;

/** A seed for a sandbox with no earlier state to go on from: unlike seed 1, it does not repeat a lost run's references. */
const clockSeed = (): number => Date.now() % 2_147_483_647;

/** Starts the sandbox: every gateway under `/<id>`, the control API under `/_sandbox`. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const stateFile = options.stateFile;
  const loaded: LoadedState = stateFile ? readStateFile(stateFile) : { kind: "none" };
  let seed = loaded.kind === "loaded" ? loaded.state.seed : (options.seed ?? (stateFile ? clockSeed() : 1));
  let rng = new Rng(seed);
  let origin = "";
  const callbacks = new CallbackSender(() => rng, options.retryScale ?? 1);
  const faults = new FaultPlan();
  const received: ReceivedRequest[] = [];
  const ctx: EmulatorContext = { rng: () => rng, callbacks, origin: () => origin };
  const emulators = new Map<string, { emulator: Emulator; router: Router }>();
  for (const emulator of createEmulators(ctx)) {
    const router = new Router();
    emulator.register(router);
    emulators.set(emulator.id, { emulator, router });
  }
  const shopify = new ShopifyEmulator();
  const held = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  let restored = false;
  let setAsideFile = loaded.kind === "unreadable" ? loaded.setAside : undefined;
  if (loaded.kind === "loaded" && stateFile) {
    try {
      for (const [id, { emulator }] of emulators) if (loaded.state.gateways[id] !== undefined) emulator.restore(loaded.state.gateways[id]);
      rng = new Rng(loaded.state.rng);
      restored = true;
    } catch {
      // A state this code cannot take back: start clean, keeping the file for a person to look at.
      for (const { emulator } of emulators.values()) emulator.reset();
      setAsideFile = setAside(stateFile);
      seed = clockSeed();
      rng = new Rng(seed);
    }
  }
  let savedText = "";
  let saveFailed = false;
  /** Writes the state file when the state changed since the last write. */
  const save = (): void => {
    if (!stateFile) return;
    const text = JSON.stringify({
      version: STATE_FILE_VERSION,
      seed,
      rng: rng.position(),
      gateways: Object.fromEntries([...emulators].map(([id, { emulator }]) => [id, emulator.snapshot()])),
    } satisfies SandboxState);
    if (text === savedText) return;
    try {
      writeStateFile(stateFile, text);
      savedText = text;
      saveFailed = false;
    } catch (error) {
      // Said once per failing streak: the sandbox keeps serving from memory.
      if (!saveFailed) process.stderr.write(`sandbox: cannot write its state file ${stateFile}: ${error instanceof Error ? error.message : String(error)}\n`);
      saveFailed = true;
    }
  };

  const reset = (next?: number): void => {
    seed = next ?? seed;
    rng = new Rng(seed);
    faults.reset();
    received.length = 0;
    callbacks.reset();
    for (const { emulator } of emulators.values()) emulator.reset();
    shopify.reset();
  };

  const control = async (req: SandboxRequest): Promise<SandboxResponse> => {
    const parts = req.path.split("/").filter(Boolean);
    const body = (req.body && typeof req.body === "object" ? req.body : {}) as Record<string, unknown>;
    if (req.method === "GET" && parts.length === 0) return json(200, { gateways: [...emulators.keys()], seed, faults: faults.list() });
    if (req.method === "GET" && parts[0] === "credentials") {
      // The CLI's and core config's field names, with this sandbox's URL: `xpay-connect gateway add <merchant> <id> --config` takes each as it is.
      return json(200, Object.fromEntries([...emulators].map(([id, { emulator }]) => [id, emulator.testAccount(`${req.origin}/${id}`)])));
    }
    if (req.method === "GET" && parts[0] === "orders") {
      const only = req.query.gateway;
      return json(200, Object.fromEntries([...emulators].filter(([id]) => !only || id === only).map(([id, e]) => [id, e.emulator.orders()])));
    }
    if (req.method === "GET" && parts[0] === "callbacks") return json(200, { deliveries: callbacks.log });
    if (req.method === "POST" && parts[0] === "callbacks" && parts[1] === "idle") {
      await callbacks.idle();
      return json(200, { idle: true });
    }
    if (req.method === "POST" && parts[0] === "reset") {
      if (body.seed !== undefined && !Number.isInteger(body.seed)) return json(400, { error: "seed: expected an integer" });
      reset(body.seed as number | undefined);
      return json(200, { reset: true, seed });
    }
    if (req.method === "POST" && parts[0] === "faults") {
      const fault = readFault(body, emulators);
      if (typeof fault === "string") return json(400, { error: fault });
      faults.add(fault);
      return json(201, { fault });
    }
    if (req.method === "POST" && parts[0] === "callbacks" && parts[1] === "mode") {
      const mode = readMode(body, emulators);
      if (typeof mode === "string") return json(400, { error: mode });
      callbacks.setMode(mode.gateway, mode.mode);
      return json(200, mode);
    }
    if (req.method === "POST" && parts[0] === "callbacks" && parts[1] === "flush") {
      const gateway = String(body.gateway ?? "");
      if (!emulators.has(gateway)) return json(400, { error: `gateway: expected one of ${[...emulators.keys()].join(", ")}` });
      callbacks.flush(gateway);
      return json(200, { flushed: gateway });
    }
    // POST /_sandbox/<gateway>/settings
    if (req.method === "POST" && parts.length === 2 && parts[1] === "settings") {
      const entry = emulators.get(parts[0] as string);
      if (!entry) return json(404, { error: `gateway: expected one of ${[...emulators.keys()].join(", ")}` });
      return entry.emulator.configure?.(body) ?? json(400, { error: `${parts[0]} has no dashboard settings` });
    }
    // POST /_sandbox/<gateway>/orders/<ref>/<action>
    if (req.method === "POST" && parts.length === 4 && parts[1] === "orders") {
      const [gateway, , ref, action] = parts as [string, string, string, string];
      const entry = emulators.get(gateway);
      if (!entry) return json(404, { error: `gateway: expected one of ${[...emulators.keys()].join(", ")}` });
      if ((ACTIONS as readonly string[]).includes(action)) return entry.emulator.act(ref, action as OrderAction, body);
      const custom = await entry.emulator.control?.(ref, action, body);
      if (custom) return custom;
      return json(400, { error: `action: expected one of ${ACTIONS.join(", ")}${entry.emulator.control ? " or a gateway action" : ""}` });
    }
    return json(404, { error: `no control route ${req.method} /_sandbox/${parts.join("/")}` });
  };

  const handle = async (inc: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(inc.url ?? "/", "http://sandbox");
    const host = inc.headers.host ?? `127.0.0.1:${(server.address() as AddressInfo).port}`;
    origin = `http://${host}`;
    const rawBody = await readBody(inc);
    const [, first = "", ...rest] = url.pathname.split("/");
    const req: SandboxRequest = {
      method: inc.method ?? "GET",
      path: "/" + rest.join("/"),
      params: {},
      query: Object.fromEntries(url.searchParams),
      headers: inc.headers,
      rawBody,
      body: parseBody(rawBody, inc.headers["content-type"]),
      origin,
    };
    if (first === "_sandbox" && rest[0] === "shopify") return send(res, await shopify.control({ ...req, path: "/" + rest.slice(1).join("/") }));
    if (first === "shopify") return send(res, await shopify.handle(req));
    if (first === "_sandbox") {
      const answer = await control(req);
      save();
      return send(res, answer);
    }
    if (first === "" && req.method === "GET") return send(res, indexPage(emulators, origin));
    const entry = emulators.get(first);
    const match = entry?.router.match(req.method, req.path);
    if (!entry || !match) return send(res, json(404, { error: `no route ${req.method} ${url.pathname}` }));
    req.params = match.params;
    received.push({ gateway: first, operation: match.operation, method: req.method, path: req.path, headers: inc.headers, body: req.body });
    if (received.length > RECEIVED_KEPT) received.shift();
    const fault = faults.take(first, match.operation);
    if (fault?.kind === "error" && !fault.afterEffect) return send(res, errorAnswer(fault));
    if (fault?.kind === "latency") await wait(fault.ms ?? 1000, held);
    const out = await match.handler(req);
    // Kept before it is answered: what a client was told survives a restart.
    save();
    if (fault?.kind === "error") return send(res, errorAnswer(fault));
    if (fault?.kind === "timeout") await wait(fault.ms ?? 60_000, held);
    if (!res.destroyed) send(res, out);
  };

  const server: Server = createServer((inc, res) => {
    handle(inc, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, json(500, { error: error instanceof Error ? error.message : String(error) }));
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4010, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  // Only a sandbox that got its port writes the file: one that failed to start leaves it to the one running.
  save();
  const saver = stateFile ? setInterval(save, STATE_SAVE_INTERVAL_MS) : undefined;
  saver?.unref();

  return {
    url: origin,
    port,
    emulators: new Map([...emulators].map(([id, e]) => [id, e.emulator])),
    callbacks,
    faults,
    received,
    shopify,
    reset,
    ...(stateFile ? { stateFile: { path: stateFile, restored, ...(setAsideFile ? { setAside: setAsideFile } : {}) } } : {}),
    close: async () => {
      if (saver) clearInterval(saver);
      save();
      callbacks.close();
      shopify.close();
      for (const t of held) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function wait(ms: number, held: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      held.delete(t);
      resolve();
    }, ms);
    held.add(t);
  });
}

function errorAnswer(fault: Fault): SandboxResponse {
  const status = fault.status ?? 503;
  return { status, body: `sandbox fault: HTTP ${status}`, headers: { "content-type": "text/plain" } };
}

function readFault(body: Record<string, unknown>, emulators: Map<string, unknown>): Fault | string {
  if (typeof body.gateway !== "string" || !emulators.has(body.gateway)) return `gateway: expected one of ${[...emulators.keys()].join(", ")}`;
  if (!["timeout", "error", "latency"].includes(String(body.kind))) return "kind: expected timeout, error or latency";
  for (const f of ["ms", "status", "times"] as const) {
    if (body[f] !== undefined && (!Number.isInteger(body[f]) || (body[f] as number) < 0)) return `${f}: expected a non-negative integer`;
  }
  if (body.status !== undefined && ((body.status as number) < 500 || (body.status as number) > 599)) return "status: expected a 5xx status";
  if (body.operation !== undefined && typeof body.operation !== "string") return "operation: expected a route name";
  return {
    gateway: body.gateway,
    kind: body.kind as Fault["kind"],
    ...(body.operation ? { operation: body.operation as string } : {}),
    ...(body.ms !== undefined ? { ms: body.ms as number } : {}),
    ...(body.status !== undefined ? { status: body.status as number } : {}),
    ...(body.times !== undefined ? { times: body.times as number } : {}),
    ...(body.afterEffect ? { afterEffect: true } : {}),
  };
}

function readMode(body: Record<string, unknown>, emulators: Map<string, unknown>): { gateway: string; mode: CallbackMode } | string {
  if (typeof body.gateway !== "string" || !emulators.has(body.gateway)) return `gateway: expected one of ${[...emulators.keys()].join(", ")}`;
  const n = (field: string, fallback: number): number | string => {
    const v = body[field] ?? fallback;
    return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 100 ? (v as number) : `${field}: expected an integer from 1 to 100`;
  };
  const pick = (): CallbackMode | string => {
    switch (body.mode) {
      case "normal":
        return { kind: "normal" };
      case "duplicate": {
        const copies = n("copies", 2);
        return typeof copies === "string" ? copies : { kind: "duplicate", copies };
      }
      case "drop": {
        const count = n("count", 1);
        return typeof count === "string" ? count : { kind: "drop", count };
      }
      case "reorder": {
        const batch = n("batch", 2);
        return typeof batch === "string" ? batch : { kind: "reorder", batch };
      }
      default:
        return "mode: expected normal, duplicate, drop or reorder";
    }
  };
  const mode = pick();
  return typeof mode === "string" ? mode : { gateway: body.gateway, mode };
}

function indexPage(emulators: Map<string, { emulator: Emulator }>, origin: string): SandboxResponse {
  const rows = [...emulators]
    .map(([id, { emulator }]) => `<tr><td><code>/${id}</code></td><td>${emulator.orders().length}</td><td><code>${escapeHtml(JSON.stringify(emulator.testAccount(`${origin}/${id}`)))}</code></td></tr>`)
    .join("");
  return html(
    page(
      "xpay-connect sandbox",
      `<p>${emulators.size} gateway emulators. Control API under <code>/_sandbox</code> (see docs/sandbox.md).</p>
       <table><tr><th>gateway</th><th>orders</th><th>test merchant (<code>xpay-connect gateway add &lt;merchant&gt; &lt;id&gt; --config</code>)</th></tr>${rows}</table>`,
    ),
  );
}
