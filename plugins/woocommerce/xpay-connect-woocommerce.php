<?php
/**
 * Plugin Name:          xpay-connect for WooCommerce
 * Plugin URI:           https://github.com/xpay-connect/xpay-connect
 * Description:          EasyPaisa, JazzCash, cards, Aman kiosk, Fawry, mobile wallets, valU and xPay QR through your xpay-connect service, in the classic and block checkout.
 * Version:              0.1.0
 * Requires at least:    6.5
 * Requires PHP:         8.1
 * Requires Plugins:     woocommerce
 * WC requires at least: 9.4
 * WC tested up to:      9.4
 * Author:               xpay-connect
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          xpay-connect-woocommerce
 * Domain Path:          /languages
 *
 * @package Xpay_Connect
 */

defined( 'ABSPATH' ) || exit;

define( 'XPAY_CONNECT_VERSION', '0.1.0' );
define( 'XPAY_CONNECT_FILE', __FILE__ );
define( 'XPAY_CONNECT_DIR', plugin_dir_path( __FILE__ ) );

require_once XPAY_CONNECT_DIR . 'includes/class-xpay-connect-methods.php';
require_once XPAY_CONNECT_DIR . 'includes/class-xpay-connect-client.php';
require_once XPAY_CONNECT_DIR . 'includes/class-xpay-connect-settings.php';
require_once XPAY_CONNECT_DIR . 'includes/class-xpay-connect-orders.php';
require_once XPAY_CONNECT_DIR . 'includes/class-xpay-connect-events.php';
require_once XPAY_CONNECT_DIR . 'includes/class-xpay-connect-plugin.php';

Xpay_Connect_Plugin::init();
