import { InvalidInputError, createConnector, gatewayDefinition, type Connector, type GatewayId, type Logger } from "@xpay-connect/core";
import { hashApiKey, newApiKey, newId, type Secrets } from "./crypto";
import type { Db } from "./db/db";

/** How long a loaded connector is used before its account row is checked for changed credentials. */
const CONNECTOR_CACHE_MS = 5_000;

/** A merchant as the API shows it. */
export interface Merchant {
  id: string;
  name: string;
}

/** Merchants, their API keys (stored hashed) and their gateway accounts (credentials encrypted at rest). */
export class Merchants {
  private readonly keyCache = new Map<string, { merchantId: string; at: number }>();
  private readonly connectors = new Map<string, { connector: Connector; updatedAt: string; checkedAt: number }>();

  constructor(
    private readonly db: Db,
    private readonly secrets: Secrets,
    private readonly logger?: Logger,
  ) {}

  /** Creates a merchant and its first API key (shown once, stored hashed). */
  async create(name: string, mode: "live" | "test" = "live"): Promise<{ merchant: Merchant; apiKey: string }> {
    if (typeof name !== "string" || !name.trim()) throw new InvalidInputError("name", "a merchant name", name);
    const merchant = { id: newId("mer"), name: name.trim() };
    await this.db.query("insert into merchants (id, name) values ($1, $2)", [merchant.id, merchant.name]);
    return { merchant, apiKey: await this.addKey(merchant.id, mode) };
  }

  /** Lists merchants. */
  async list(): Promise<Merchant[]> {
    return this.db.query<Merchant>("select id, name from merchants order by created_at, id");
  }

  /** Issues a new API key and revokes the others (`keep` leaves them valid for a rollover). */
  async rotateKey(merchantId: string, options: { keep?: boolean; mode?: "live" | "test" } = {}): Promise<string> {
    await this.require(merchantId);
    if (!options.keep) {
      await this.db.query("update api_keys set revoked_at = now() where merchant_id = $1 and revoked_at is null", [merchantId]);
      this.keyCache.clear();
    }
    return this.addKey(merchantId, options.mode ?? "live");
  }

  /** The merchant an API key belongs to, or undefined. Cached for 30 s (a revoked key stops within that). */
  async authenticate(apiKey: string): Promise<string | undefined> {
    const hash = hashApiKey(apiKey);
    const hit = this.keyCache.get(hash);
    if (hit && Date.now() - hit.at < 30_000) return hit.merchantId;
    const [row] = await this.db.query<{ merchant_id: string }>("select merchant_id from api_keys where key_hash = $1 and revoked_at is null", [hash]);
    if (row) this.keyCache.set(hash, { merchantId: row.merchant_id, at: Date.now() });
    return row?.merchant_id;
  }

  /** Stores (or replaces) a merchant's credentials for a gateway, encrypted; they are checked by building the connector. */
  async setGatewayAccount(merchantId: string, gateway: string, config: Record<string, unknown>): Promise<void> {
    await this.require(merchantId);
    const id = gatewayId(gateway);
    createConnector(id, config as never);
    await this.db.query(
      `insert into gateway_accounts (merchant_id, gateway, config_ciphertext) values ($1, $2, $3)
       on conflict (merchant_id, gateway) do update set config_ciphertext = excluded.config_ciphertext, updated_at = now()`,
      [merchantId, id, this.secrets.encrypt(JSON.stringify(config))],
    );
  }

  /** A merchant's gateway accounts with their configs decrypted (for code that shows only their public fields). */
  async gatewayAccounts(merchantId: string): Promise<{ gateway: GatewayId; config: Record<string, unknown>; createdAt: Date; updatedAt: Date }[]> {
    const rows = await this.db.query<{ gateway: GatewayId; config_ciphertext: string; created_at: Date; updated_at: Date }>(
      "select gateway, config_ciphertext, created_at, updated_at from gateway_accounts where merchant_id = $1 order by gateway",
      [merchantId],
    );
    return rows.map((r) => ({ gateway: r.gateway, config: JSON.parse(this.secrets.decrypt(r.config_ciphertext)) as Record<string, unknown>, createdAt: r.created_at, updatedAt: r.updated_at }));
  }

  /** Removes a merchant's account at a gateway; false when there was none. */
  async removeGatewayAccount(merchantId: string, gateway: string): Promise<boolean> {
    const id = gatewayId(gateway);
    const removed = await this.db.query("delete from gateway_accounts where merchant_id = $1 and gateway = $2 returning gateway", [merchantId, id]);
    this.connectors.delete(`${merchantId}/${id}`);
    return removed.length > 0;
  }

  /** The gateways a merchant has accounts for. */
  async gateways(merchantId: string): Promise<GatewayId[]> {
    const rows = await this.db.query<{ gateway: GatewayId }>("select gateway from gateway_accounts where merchant_id = $1 order by gateway", [merchantId]);
    return rows.map((r) => r.gateway);
  }

  /** The merchant's connector for a gateway; InvalidInputError when the merchant has no account there. */
  async connector(merchantId: string, gateway: string): Promise<Connector> {
    const id = gatewayId(gateway);
    const key = `${merchantId}/${id}`;
    const recent = this.connectors.get(key);
    // Callback floods ask for the same connector thousands of times: trust a cached one for a few seconds.
    if (recent && Date.now() - recent.checkedAt < CONNECTOR_CACHE_MS) return recent.connector;
    const [row] = await this.db.query<{ config_ciphertext: string; updated_at: Date }>(
      "select config_ciphertext, updated_at from gateway_accounts where merchant_id = $1 and gateway = $2",
      [merchantId, id],
    );
    if (!row) throw new InvalidInputError("gateway", `a gateway this merchant has an account for (add one with \`xpay-connect gateway add\`)`, gateway);
    const updatedAt = new Date(row.updated_at).toISOString();
    if (recent && recent.updatedAt === updatedAt) {
      recent.checkedAt = Date.now();
      return recent.connector;
    }
    const config = JSON.parse(this.secrets.decrypt(row.config_ciphertext)) as Record<string, unknown>;
    const connector = createConnector(id, { ...config, ...(this.logger ? { logger: this.logger } : {}) } as never) as Connector;
    this.connectors.set(key, { connector, updatedAt, checkedAt: Date.now() });
    return connector;
  }

  private async addKey(merchantId: string, mode: "live" | "test"): Promise<string> {
    const key = newApiKey(mode);
    await this.db.query("insert into api_keys (id, merchant_id, key_hash, prefix) values ($1, $2, $3, $4)", [newId("key"), merchantId, hashApiKey(key), key.slice(0, 12)]);
    return key;
  }

  private async require(merchantId: string): Promise<void> {
    const rows = await this.db.query("select 1 from merchants where id = $1", [merchantId]);
    if (!rows.length) throw new InvalidInputError("merchant", "an existing merchant id", merchantId);
  }
}

/** A gateway id, or InvalidInputError naming `gateway`. */
export function gatewayId(value: unknown): GatewayId {
  return gatewayDefinition(value).id;
}
