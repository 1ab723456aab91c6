import type { Emulator, EmulatorContext } from "./emulator";
import * as gateways from "./gateways";

/** One gateway folder's emulator definition. */
export type SandboxGateway = (typeof gateways)[keyof typeof gateways];
/** A gateway the sandbox emulates. */
export type SandboxGatewayId = SandboxGateway["id"];

/** Every gateway's emulator definition, in the order of the spec files. */
const DEFINITIONS: readonly SandboxGateway[] = Object.values(gateways).sort((a, b) => a.spec.localeCompare(b.spec));

/**
 * Each gateway's emulator definition by id: its documented test merchant as core connector config
 * (`SANDBOX_GATEWAYS["xpay-kg"].testAccount(`${sandbox.url}/xpay-kg`)`) and, where the callback URL is a
 * dashboard setting, the `POST /_sandbox/<id>/settings` body that points it somewhere.
 */
export const SANDBOX_GATEWAYS = Object.fromEntries(DEFINITIONS.map((d) => [d.id, d])) as { readonly [D in SandboxGateway as D["id"]]: D };

/** A fresh emulator of every gateway, in the order of the spec files. */
export function createEmulators(ctx: EmulatorContext): Emulator[] {
  return DEFINITIONS.map((d) => ({ id: d.id, testAccount: d.testAccount, ...d.create(ctx) }));
}
