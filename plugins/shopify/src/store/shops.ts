import type { Db, Secrets } from "@xpay-connect/server";

/** A shop's offline token pair as the token endpoint answers it. */
export interface ShopTokens {
  accessToken: string;
  /** Null for a non-expiring token. */
  accessTokenExpiresAt: Date | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: Date | null;
  scopes: string;
}

/** One shop as the app keeps it; secrets stay encrypted until asked for. */
export interface ShopRow {
  shop: string;
  scopes: string;
  merchantId: string | null;
  externalHandle: string | null;
  endpointId: string | null;
  ready: boolean;
  installed: boolean;
  installedAt: Date | null;
  uninstalledAt: Date | null;
  accessTokenExpiresAt: Date | null;
  hasAccessToken: boolean;
  hasServiceApiKey: boolean;
}

interface Raw {
  shop: string;
  scopes: string;
  merchant_id: string | null;
  external_handle: string | null;
  endpoint_id: string | null;
  ready: boolean;
  installed_at: Date | string | null;
  uninstalled_at: Date | string | null;
  access_token_ciphertext: string | null;
  access_token_expires_at: Date | string | null;
  refresh_token_ciphertext: string | null;
  refresh_token_expires_at: Date | string | null;
  service_api_key_ciphertext: string | null;
  endpoint_secret_ciphertext: string | null;
}

const date = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

/** shopify_shops: tokens, the linked merchant and its service endpoint; tokens, API keys and secrets encrypted with the service's Secrets. */
export class ShopStore {
  constructor(
    private readonly db: Db,
    private readonly secrets: Secrets,
  ) {}

  private async raw(shop: string): Promise<Raw | null> {
    const rows = await this.db.query<Raw>("select * from shopify_shops where shop = $1", [shop]);
    return rows[0] ?? null;
  }

  /** The shop, or null when it never installed the app (or was redacted). */
  async get(shop: string): Promise<ShopRow | null> {
    const r = await this.raw(shop);
    if (!r) return null;
    return {
      shop: r.shop,
      scopes: r.scopes,
      merchantId: r.merchant_id,
      externalHandle: r.external_handle,
      endpointId: r.endpoint_id,
      ready: r.ready,
      installed: r.access_token_ciphertext !== null && r.uninstalled_at === null,
      installedAt: date(r.installed_at),
      uninstalledAt: date(r.uninstalled_at),
      accessTokenExpiresAt: date(r.access_token_expires_at),
      hasAccessToken: r.access_token_ciphertext !== null,
      hasServiceApiKey: r.service_api_key_ciphertext !== null,
    };
  }

  /** Stores the tokens of an install (clearing an earlier uninstall). */
  async installed(shop: string, tokens: ShopTokens): Promise<void> {
    await this.db.query(
      `insert into shopify_shops (shop, access_token_ciphertext, access_token_expires_at, refresh_token_ciphertext, refresh_token_expires_at, scopes, installed_at)
       values ($1, $2, $3, $4, $5, $6, now())
       on conflict (shop) do update set access_token_ciphertext = excluded.access_token_ciphertext, access_token_expires_at = excluded.access_token_expires_at,
         refresh_token_ciphertext = excluded.refresh_token_ciphertext, refresh_token_expires_at = excluded.refresh_token_expires_at,
         scopes = excluded.scopes, installed_at = now(), uninstalled_at = null, updated_at = now()`,
      [shop, this.secrets.encrypt(tokens.accessToken), tokens.accessTokenExpiresAt, tokens.refreshToken && this.secrets.encrypt(tokens.refreshToken), tokens.refreshTokenExpiresAt, tokens.scopes],
    );
  }

  /** Replaces the token pair after a refresh, unless the shop uninstalled meanwhile. */
  async refreshed(shop: string, tokens: ShopTokens): Promise<void> {
    await this.db.query(
      `update shopify_shops set access_token_ciphertext = $2, access_token_expires_at = $3, refresh_token_ciphertext = $4, refresh_token_expires_at = $5, scopes = $6, updated_at = now()
       where shop = $1 and uninstalled_at is null`,
      [shop, this.secrets.encrypt(tokens.accessToken), tokens.accessTokenExpiresAt, tokens.refreshToken && this.secrets.encrypt(tokens.refreshToken), tokens.refreshTokenExpiresAt, tokens.scopes],
    );
  }

  /** The decrypted token pair, or null when the shop has none (never installed, uninstalled). */
  async tokens(shop: string): Promise<ShopTokens | null> {
    const r = await this.raw(shop);
    if (!r?.access_token_ciphertext || r.uninstalled_at !== null) return null;
    return {
      accessToken: this.secrets.decrypt(r.access_token_ciphertext),
      accessTokenExpiresAt: date(r.access_token_expires_at),
      refreshToken: r.refresh_token_ciphertext ? this.secrets.decrypt(r.refresh_token_ciphertext) : null,
      refreshTokenExpiresAt: date(r.refresh_token_expires_at),
      scopes: r.scopes,
    };
  }

  /** app/uninstalled: forgets the tokens (revoked by Shopify) and marks the shop not ready; the link stays until shop/redact. */
  async uninstalled(shop: string): Promise<void> {
    await this.db.query(
      `update shopify_shops set access_token_ciphertext = null, access_token_expires_at = null, refresh_token_ciphertext = null, refresh_token_expires_at = null,
         ready = false, uninstalled_at = now(), updated_at = now() where shop = $1`,
      [shop],
    );
  }

  /** Links the shop to a merchant of the service by its API key. */
  async link(shop: string, link: { merchantId: string; apiKey: string; externalHandle: string }): Promise<void> {
    await this.db.query(
      "update shopify_shops set merchant_id = $2, service_api_key_ciphertext = $3, external_handle = $4, updated_at = now() where shop = $1",
      [shop, link.merchantId, this.secrets.encrypt(link.apiKey), link.externalHandle],
    );
  }

  /** Removes the link, the endpoint and readiness. */
  async unlink(shop: string): Promise<void> {
    await this.db.query(
      `update shopify_shops set merchant_id = null, service_api_key_ciphertext = null, external_handle = null, endpoint_id = null,
         endpoint_secret_ciphertext = null, ready = false, updated_at = now() where shop = $1`,
      [shop],
    );
  }

  /** The service endpoint that delivers the merchant's events to `/shopify/events/<shop>`, and its signing secret. */
  async setEndpoint(shop: string, endpoint: { id: string; secret: string }): Promise<void> {
    await this.db.query("update shopify_shops set endpoint_id = $2, endpoint_secret_ciphertext = $3, updated_at = now() where shop = $1", [
      shop,
      endpoint.id,
      this.secrets.encrypt(endpoint.secret),
    ]);
  }

  async setReady(shop: string, ready: boolean): Promise<void> {
    await this.db.query("update shopify_shops set ready = $2, updated_at = now() where shop = $1", [shop, ready]);
  }

  /** The linked merchant's API key (decrypted), or null. */
  async serviceApiKey(shop: string): Promise<string | null> {
    const r = await this.raw(shop);
    return r?.service_api_key_ciphertext ? this.secrets.decrypt(r.service_api_key_ciphertext) : null;
  }

  /** The signing secret of the shop's service endpoint (B verifies events with it), or null. */
  async endpointSecret(shop: string): Promise<string | null> {
    const r = await this.raw(shop);
    return r?.endpoint_secret_ciphertext ? this.secrets.decrypt(r.endpoint_secret_ciphertext) : null;
  }

  /** shop/redact: deletes the shop's row (the webhook log keeps only ids and topics, so a redelivery stays a no-op). */
  async delete(shop: string): Promise<void> {
    await this.db.query("delete from shopify_shops where shop = $1", [shop]);
  }
}
