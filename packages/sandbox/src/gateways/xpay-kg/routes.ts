import type { EmulatorContext, EmulatorRoutes } from "../../emulator";
import { json, redirect, type Router, type SandboxRequest, type SandboxResponse } from "../../http";
import { notFoundPage, payPage } from "./pages";
import { XpayKgState, fee, isOpen, isPayable, statusData, type Qr } from "./state";
import { bodyProblem, error, invalid, loginBody, notFound, qrBody, unauthenticated } from "./validation";

/** xPay QR (spec 004): login, dynamic and static QRs, status, hosted pay page, check_url, callbacks. */
export function xpayKgRoutes(ctx: EmulatorContext): EmulatorRoutes {
  const state = new XpayKgState(ctx);
  const authorized = (req: SandboxRequest) => state.authorized(req.headers.authorization);

  const login = (req: SandboxRequest): SandboxResponse => {
    const body = (req.body && typeof req.body === "object" && !Array.isArray(req.body) ? req.body : {}) as Record<string, unknown>;
    const problem = bodyProblem(loginBody, body);
    if (problem) return problem;
    const token = state.login(body.client_id as string, body.client_secret as string);
    if (!token) return error(401, "Invalid client credentials");
    return json(200, { status: "Success", message: "Login", data: { access_token: token, token_type: "Bearer", expires_in: state.tokenLifetimeS } });
  };

  const created = (qr: Qr): SandboxResponse =>
    json(200, {
      status: "Success",
      message: "Generate QR Code",
      data: {
        qr_transaction_id: qr.qrTransactionId,
        qr_code: `${ctx.origin()}/xpay-kg/pay/${qr.qrTransactionId}#${qr.payload}`,
        identificator: qr.identificator,
        type: qr.type,
        payer_id: qr.payerId ?? null,
        service_id: qr.serviceId ?? null,
        service_name: qr.serviceName ?? null,
        comments: qr.comments ?? null,
        callback_url: qr.callbackUrl ?? null,
        return_url: qr.returnUrl ?? null,
        amount_change: qr.amountChange,
        request_amount: qr.requestMinor,
        amount: qr.requestMinor,
        payable: qr.requestMinor - fee(qr.requestMinor),
      },
    });

  const create = (req: SandboxRequest): SandboxResponse => {
    if (!authorized(req)) return unauthenticated();
    if (!req.body || typeof req.body !== "object" || Array.isArray(req.body)) return invalid("uuid", "The uuid field is required.");
    const body = req.body as Record<string, unknown>;
    const problem = bodyProblem(qrBody, body);
    if (problem) return problem;
    const request = JSON.stringify(Object.fromEntries(Object.entries(body).sort(([a], [b]) => a.localeCompare(b))));
    const existing = state.byRequestUuid(body.uuid as string);
    // Same uuid and body: the same QR (a retry after a timeout); another body: refused.
    if (existing) return existing.request === request ? created(existing) : error(409, "A QR with this uuid already exists with other parameters.");
    return created(state.create(body, request));
  };

  const status = (req: SandboxRequest, type: Qr["type"]): SandboxResponse => {
    if (!authorized(req)) return unauthenticated();
    const qr = state.qrs.get(req.params.id as string);
    if (!qr || qr.type !== type) return notFound();
    return json(200, { status: "Success", message: "Status QR Code", data: statusData(qr) });
  };

  const paySubmit = async (req: SandboxRequest): Promise<SandboxResponse> => {
    const qr = state.qrs.get(req.params.id as string);
    if (!qr) return notFoundPage();
    const form = (req.body ?? {}) as Record<string, string>;
    const decision = String(form.decision ?? "cancel");
    if (decision.startsWith("approve")) {
      if (!isPayable(qr)) return payPage(qr);
      const amount = state.payAmount(qr, form.amount);
      if (typeof amount === "string") return payPage(qr, "Enter an amount in som, like 150 or 150.50.");
      if (!(await state.check(qr, amount))) {
        return payPage(qr, `The shop did not confirm this payment (check_url answered ${qr.lastCheck?.status ?? "nothing"}). Try again later.`);
      }
      if (!isPayable(qr)) return payPage(qr);
      state.pay(qr, amount, decision.slice("approve:".length) || "MBank", false);
    } else {
      state.close(qr, decision === "decline" ? "decline" : "cancel");
    }
    return qr.returnUrl ? redirect(qr.returnUrl) : payPage(qr);
  };

  return {
    register(router: Router) {
      router.add("POST", "/api/v1/developer/login", "login", login);
      router.add("POST", "/api/v1/developer/qr/get", "qrCreate", create);
      router.add("GET", "/api/v1/developer/qr/dynamic/status/:id", "dynamicStatus", (req) => status(req, "dynamic"));
      router.add("GET", "/api/v1/developer/qr/static/status/:id", "staticStatus", (req) => status(req, "static"));
      router.add("GET", "/pay/:id", "payPage", (req) => {
        const qr = state.qrs.get(req.params.id as string);
        if (!qr) return notFoundPage();
        // Opening the link is the shopper scanning the QR.
        if (qr.payStatus === "ACTIVE") qr.payStatus = "WAITING";
        return payPage(qr);
      });
      router.add("POST", "/pay/:id", "paySubmit", paySubmit);
    },
    act(ref, action, options) {
      const qr = state.find(ref);
      if (!qr) return json(404, { error: `ref: no xpay-kg QR ${ref}` });
      if (action !== "approve") {
        const problem = state.close(qr, action);
        return problem ? json(409, { error: problem }) : json(200, statusData(qr));
      }
      // A payment held in PROCESSING (the "process" action) is the bank finishing it.
      if (qr.payStatus === "PROCESSING") {
        state.finish(qr, "COMPLETED");
        return json(200, statusData(qr));
      }
      if (!isOpen(qr)) return json(409, { error: `QR ${qr.qrTransactionId} is already ${qr.payStatus}` });
      const amount = state.payAmount(qr, options.amount);
      if (typeof amount === "string") return json(400, { error: amount });
      const bank = typeof options.bank === "string" ? options.bank : "MBank";
      const hold = options.hold === true;
      if (!qr.checkUrl) {
        state.pay(qr, amount, bank, hold);
        return json(200, statusData(qr));
      }
      // The merchant's check_url answers asynchronously: the outcome shows in the QR's status and lastCheck.
      void state.check(qr, amount).then((allowed) => {
        if (allowed && isPayable(qr)) state.pay(qr, amount, bank, hold);
      });
      return json(202, { ...statusData(qr), checking: qr.checkUrl });
    },
    control(ref, action) {
      if (action !== "scan" && action !== "process") return undefined;
      const qr = state.find(ref);
      if (!qr) return json(404, { error: `ref: no xpay-kg QR ${ref}` });
      if (!isPayable(qr)) return json(409, { error: `QR ${qr.qrTransactionId} is ${qr.payStatus}` });
      if (action === "scan") qr.payStatus = "WAITING";
      else state.pay(qr, qr.requestMinor, "MBank", true);
      return json(200, statusData(qr));
    },
    configure(settings) {
      const known = ["tokenLifetimeSeconds", "revokeTokens"];
      const unknown = Object.keys(settings).find((k) => !known.includes(k));
      if (unknown) return json(400, { error: `${unknown}: expected one of ${known.join(", ")}` });
      const lifetime = settings.tokenLifetimeSeconds;
      if (lifetime !== undefined && (!Number.isInteger(lifetime) || (lifetime as number) < 0 || (lifetime as number) > 86_400)) {
        return json(400, { error: "tokenLifetimeSeconds: expected an integer from 0 to 86400" });
      }
      if (settings.revokeTokens !== undefined && typeof settings.revokeTokens !== "boolean") return json(400, { error: "revokeTokens: expected true or false" });
      if (lifetime !== undefined) state.tokenLifetimeS = lifetime as number;
      const revoked = settings.revokeTokens ? state.revokeTokens() : 0;
      return json(200, { tokenLifetimeSeconds: state.tokenLifetimeS, revoked });
    },
    orders: () => state.orders(),
    reset: () => state.reset(),
    snapshot: () => state.snapshot(),
    restore: (snapshot) => state.restore(snapshot),
  };
}
