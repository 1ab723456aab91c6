import type { Session, Shopify } from "@shopify/shopify-api";
import type { ShopStore, ShopTokens } from "../store/shops";

/** The shop has no usable token: it never installed the app, uninstalled it, or its refresh token was refused. */
export class ShopNotInstalledError extends Error {
  override readonly name = "ShopNotInstalledError";
  constructor(readonly shop: string, reason: string) {
    super(`shop ${shop}: ${reason}; the merchant must install the app again`);
  }
}

/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

/** The token pair of a library Session (an OAuth callback or a refresh). */
export function tokensOf(session: Session): ShopTokens {
  if (!session.accessToken) throw new Error(`shop ${session.shop}: the token endpoint answered no access_token`);
  return {
    accessToken: session.accessToken,
    accessTokenExpiresAt: session.expires ?? null,
    refreshToken: session.refreshToken ?? null,
    refreshTokenExpiresAt: session.refreshTokenExpires ?? null,
    scopes: session.scope ?? "",
  };
}

/**
 * `accessToken(shop)`: the stored offline token, refreshed with its refresh token (Shopify's expiring offline tokens,
 * one hour) when it expires within a minute. One refresh per shop at a time in this process; a refresh token is single use.
 */
export function accessTokens(shopify: Shopify, shops: ShopStore): (shop: string) => Promise<string> {
  const inFlight = new Map<string, Promise<string>>();
  const refresh = async (shop: string, tokens: ShopTokens): Promise<string> => {
    if (!tokens.refreshToken || (tokens.refreshTokenExpiresAt && tokens.refreshTokenExpiresAt.getTime() <= Date.now())) {
      throw new ShopNotInstalledError(shop, "the access token expired and there is no valid refresh token");
    }
    let session: Session;
    try {
      ({ session } = await shopify.auth.refreshToken({ shop, refreshToken: tokens.refreshToken }));
    } catch (error) {
      const status = (error as { response?: { code?: number } }).response?.code;
      if (status === 400 || status === 401) throw new ShopNotInstalledError(shop, "Shopify refused the refresh token");
      throw error;
    }
    const next = tokensOf(session);
    await shops.refreshed(shop, next);
    return next.accessToken;
  };
  return async (shop) => {
    const tokens = await shops.tokens(shop);
    if (!tokens) throw new ShopNotInstalledError(shop, "the app is not installed");
    if (!tokens.accessTokenExpiresAt || tokens.accessTokenExpiresAt.getTime() - Date.now() > REFRESH_MARGIN_MS) return tokens.accessToken;
    let pending = inFlight.get(shop);
    if (!pending) {
      pending = refresh(shop, tokens).finally(() => inFlight.delete(shop));
      inFlight.set(shop, pending);
    }
    return pending;
  };
}
