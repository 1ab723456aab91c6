import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { Agent } from "undici";

/**
 * Where storefront endpoints may point (SSRF): only public unicast addresses, unless the operator
 * allows private endpoints (ALLOW_PRIVATE_ENDPOINTS=true: the demo, a store on the same host).
 * Checked when an endpoint is created and again on every connection, against the address actually
 * connected to, so a name that later resolves to a private address (DNS rebinding) is refused too.
 */
export interface EndpointAddressPolicy {
  allowPrivate: boolean;
  /** How host names are resolved (dns.lookup by default); tests inject their own. */
  lookup?: LookupFunction;
}

/** Why an address is refused, in words, by ipaddr.js range name. */
const RANGE_WORDS: Record<string, string> = {
  loopback: "loopback",
  private: "private (RFC 1918)",
  uniqueLocal: "private (unique local, fc00::/7)",
  linkLocal: "link-local (including the 169.254.169.254 cloud metadata address)",
  carrierGradeNat: "carrier-grade NAT (100.64.0.0/10)",
  unspecified: "unspecified",
  multicast: "multicast",
  broadcast: "broadcast",
  reserved: "reserved",
};

/** An endpoint address refused by the policy; `code` lets a delivery's last_error say so. */
export class EndpointAddressError extends Error {
  readonly code = "ENDPOINT_ADDRESS_REFUSED";
  constructor(message: string) {
    super(message);
    this.name = "EndpointAddressError";
  }
}

/**
 * Why `address` may not be connected to, or undefined for a public unicast address. IPv4-mapped
 * IPv6 is judged as the IPv4 address it carries; any special range (6to4, Teredo, documentation...)
 * other than plain unicast is refused.
 */
export function refusedRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return "not an IP address";
  const range = ipaddr.process(address).range();
  if (range === "unicast") return undefined;
  return RANGE_WORDS[range] ?? `special-purpose (${range})`;
}

const HOW_TO_ALLOW = "storefront endpoints must resolve to public addresses (an operator may allow private ones with ALLOW_PRIVATE_ENDPOINTS=true)";

/** The error for `host` resolving to a refused `address`. */
function refusal(host: string, address: string, why: string): EndpointAddressError {
  const shown = host === address ? address : `${host} resolves to ${address}`;
  return new EndpointAddressError(`${shown}, a ${why} address: ${HOW_TO_ALLOW}`);
}

/** The host of a URL as a bare name or address (IPv6 without its brackets). */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/** Every address `host` resolves to, through the policy's lookup; bounded by `timeoutMs`. */
function resolveAll(host: string, lookup: LookupFunction, timeoutMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new EndpointAddressError(`${host} did not resolve within ${timeoutMs} ms`)), timeoutMs);
    const failed = (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new EndpointAddressError(`${host} does not resolve (${error.code ?? error.message}); check the host name`));
    };
    try {
      lookup(host, { all: true }, (error, addresses) => {
        if (error) return failed(error);
        clearTimeout(timer);
        resolve(Array.isArray(addresses) ? (addresses as LookupAddress[]).map((a) => a.address) : [String(addresses)]);
      });
    } catch (error) {
      // dns.lookup throws at once on a name it cannot even try (an invalid hostname).
      failed(error as NodeJS.ErrnoException);
    }
  });
}

/**
 * Checks an endpoint URL when it is created: a literal address, or every address its host name
 * resolves to now, must be public. Throws EndpointAddressError saying why not.
 */
export async function checkEndpointUrl(url: string, policy: EndpointAddressPolicy, timeoutMs = 5_000): Promise<void> {
  if (policy.allowPrivate) return;
  const host = hostOf(new URL(url));
  const addresses = ipaddr.isValid(host) ? [host] : await resolveAll(host, policy.lookup ?? (dnsLookup as LookupFunction), timeoutMs);
  for (const address of addresses) {
    const why = refusedRange(address);
    if (why) throw refusal(host, address, why);
  }
}

/**
 * A lookup for outgoing connections that passes on only public addresses: the connection is made
 * to what this answers, so the check holds for the address actually connected to.
 */
export function guardedLookup(policy: EndpointAddressPolicy): LookupFunction {
  const lookup = policy.lookup ?? (dnsLookup as LookupFunction);
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const list = Array.isArray(addresses) ? (addresses as LookupAddress[]) : [{ address: String(addresses), family: ipaddr.parse(String(addresses)).kind() === "ipv6" ? 6 : 4 }];
      const refused = policy.allowPrivate ? undefined : list.map((a) => ({ a, why: refusedRange(a.address) })).find((r) => r.why);
      if (refused) return callback(refusal(hostname, refused.a.address, refused.why as string), "", 0);
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} resolved to no address`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Refuses a URL whose host is a literal address outside the policy (connections to a literal
 * address skip the lookup); answers nothing for a name, whose addresses guardedLookup checks.
 */
export function refuseLiteral(url: string, policy: EndpointAddressPolicy): EndpointAddressError | undefined {
  if (policy.allowPrivate) return undefined;
  const host = hostOf(new URL(url));
  if (!ipaddr.isValid(host)) return undefined;
  const why = refusedRange(host);
  return why ? refusal(host, host, why) : undefined;
}

/** The HTTP dispatcher deliveries go through: every connection's address is checked by guardedLookup. */
export function guardedDispatcher(policy: EndpointAddressPolicy): Agent {
  return new Agent({ connect: { lookup: guardedLookup(policy) } });
}
