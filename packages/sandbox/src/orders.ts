/** An emulator's orders, findable by the merchant's reference or the gateway's. */
export class OrderBook<T extends { merchantRef: string; gatewayRef: string }> {
  private readonly byMerchant = new Map<string, T>();
  private readonly byGateway = new Map<string, T>();

  add(order: T): T {
    this.byMerchant.set(order.merchantRef, order);
    this.byGateway.set(order.gatewayRef, order);
    return order;
  }

  /** By either reference. */
  find(ref: string): T | undefined {
    return this.byGateway.get(ref) ?? this.byMerchant.get(ref);
  }

  byMerchantRef(ref: string): T | undefined {
    return this.byMerchant.get(ref);
  }

  byGatewayRef(ref: string): T | undefined {
    return this.byGateway.get(ref);
  }

  all(): T[] {
    return [...this.byGateway.values()];
  }

  clear(): void {
    this.byMerchant.clear();
    this.byGateway.clear();
  }
}

/** True for a syntactically valid absolute http(s) URL. */
export function isUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    const u = new URL(value);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

/** True for a plausible email address. */
export function isEmail(value: unknown): value is string {
  return typeof value === "string" && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/** Appends query parameters to a URL. */
export function withQuery(url: string, params: Record<string, string | number>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
  return u.toString();
}
