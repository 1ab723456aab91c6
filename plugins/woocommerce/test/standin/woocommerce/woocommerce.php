<?php
/**
 * Plugin Name: WooCommerce (xpay-connect test stand-in)
 * Description: A MODEL OF WOOCOMMERCE for CI. It is not WooCommerce. It reproduces only the classes, functions, hooks and
 *              storage that the xpay-connect-woocommerce plugin and its tests use, behaving as WooCommerce 9.4.3 does.
 * Version: 9.4.3
 * Requires at least: 6.5
 * Requires PHP: 8.1
 * Text Domain: woocommerce
 * License: MIT
 *
 * THIS IS A MODEL OF WOOCOMMERCE, owned by the xpay-connect project, for CI machines where WooCommerce itself cannot
 * run. No WooCommerce code is copied here: every behaviour was written from reading WooCommerce 9.4.3's own source
 * (the built release in the public repository bitpoke/stack-example-wordpress, commit 883afbaa8,
 * wp-content/plugins/woocommerce):
 *   - includes/abstracts/abstract-wc-settings-api.php, abstract-wc-payment-gateway.php  -> includes/class-wc-settings-api.php
 *   - includes/class-wc-payment-gateways.php                                          -> includes/class-wc-payment-gateways.php
 *   - includes/class-wc-order.php, abstract-wc-order.php, class-wc-order-refund.php,
 *     src/Internal/DataStores/Orders/OrdersTableDataStore.php (HPOS)                   -> includes/class-wc-order.php, includes/order-store.php
 *   - includes/wc-order-functions.php (wc_create_refund, wc_refund_payment, wc_cancel_unpaid_orders) -> includes/functions-orders.php
 *   - src/Blocks/Payments/* (Api, PaymentMethodRegistry, Integrations/AbstractPaymentMethodType),
 *     src/Blocks/Integrations/IntegrationRegistry.php, assets/client/blocks/wc-settings.js (getSetting's *_data fallback)
 *                                                                                      -> includes/blocks.php, assets/*.js
 *   - src/StoreApi (Routes/V1/Cart*, Checkout, Utilities/CheckoutTrait, DraftOrderTrait, Legacy.php, NoticeHandler)
 *                                                                                      -> includes/store-api.php
 *   - includes/class-wc-checkout.php, class-wc-form-handler.php, shortcodes/class-wc-shortcode-checkout.php
 *                                                                                      -> includes/checkout.php
 *   - Action Scheduler's public functions (as_*), src/Utilities/FeaturesUtil.php, OrderUtil.php.
 * What it leaves out is listed in ../README.md (taxes, shipping, coupons, stock, customers, the admin screens, ...).
 *
 * @package WooCommerceStandin
 */

defined( 'ABSPATH' ) || exit;

define( 'WC_VERSION', '9.4.3' );
define( 'WC_PLUGIN_FILE', __FILE__ );
define( 'WC_ABSPATH', __DIR__ . '/' );
define( 'WC_STANDIN', true );

require_once __DIR__ . '/includes/class-woocommerce.php';
require_once __DIR__ . '/includes/functions-core.php';
require_once __DIR__ . '/includes/class-wc-settings-api.php';
require_once __DIR__ . '/includes/class-wc-payment-gateways.php';
require_once __DIR__ . '/includes/order-store.php';
require_once __DIR__ . '/includes/class-wc-order.php';
require_once __DIR__ . '/includes/functions-orders.php';
require_once __DIR__ . '/includes/class-wc-emails.php';
require_once __DIR__ . '/includes/features.php';
require_once __DIR__ . '/includes/blocks.php';
require_once __DIR__ . '/includes/action-scheduler.php';
require_once __DIR__ . '/includes/cart.php';
require_once __DIR__ . '/includes/store-api.php';
require_once __DIR__ . '/includes/checkout.php';
require_once __DIR__ . '/includes/install.php';

register_activation_hook( __FILE__, array( 'WC_Standin_Install', 'install' ) );

$GLOBALS['woocommerce'] = WC();
