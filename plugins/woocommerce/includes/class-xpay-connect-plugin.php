<?php
/**
 * Wiring: hooks into WordPress and WooCommerce.
 *
 * @package Xpay_Connect
 */

defined( 'ABSPATH' ) || exit;

/**
 * The plugin's hooks.
 */
final class Xpay_Connect_Plugin {

	/** The checkout-block script handle. */
	const BLOCK_HANDLE = 'xpay-connect-blocks';

	/** Daily housekeeping hook. */
	const PRUNE_HOOK = 'xpay_connect_prune_events';

	/**
	 * Gateways keyed by id, built once WooCommerce is loaded.
	 *
	 * @var array<string, Xpay_Connect_Gateway>|null
	 */
	private static $gateways = null;

	/**
	 * Adds the hooks.
	 */
	public static function init(): void {
		register_activation_hook( XPAY_CONNECT_FILE, array( self::class, 'activate' ) );
		register_deactivation_hook( XPAY_CONNECT_FILE, array( self::class, 'deactivate' ) );
		add_action( 'before_woocommerce_init', array( self::class, 'declare_compatibility' ) );
		add_action( 'init', array( self::class, 'load_textdomain' ) );
		add_action( 'plugins_loaded', array( self::class, 'maybe_upgrade' ) );
		add_filter( 'woocommerce_payment_gateways', array( self::class, 'add_gateways' ) );
		add_action( 'woocommerce_blocks_payment_method_type_registration', array( self::class, 'register_block_methods' ) );
		add_action( 'rest_api_init', array( 'Xpay_Connect_Events', 'register_routes' ) );
		add_action( Xpay_Connect_Orders::CHECK_HOOK, array( 'Xpay_Connect_Orders', 'check' ) );
		add_action( self::PRUNE_HOOK, array( 'Xpay_Connect_Events', 'prune' ) );
		add_filter( 'woocommerce_cancel_unpaid_order', array( 'Xpay_Connect_Orders', 'cancel_unpaid_order' ), 10, 2 );
		add_action( 'woocommerce_email_before_order_table', array( 'Xpay_Connect_Orders', 'email_instructions' ), 10, 3 );
		add_filter( 'woocommerce_get_sections_checkout', array( 'Xpay_Connect_Settings', 'add_section' ) );
		add_action( 'woocommerce_settings_checkout', array( 'Xpay_Connect_Settings', 'render' ), 20 );
		add_action( 'admin_post_xpay_connect_connect', array( 'Xpay_Connect_Settings', 'handle_connect' ) );
		add_action( 'admin_post_xpay_connect_rotate', array( 'Xpay_Connect_Settings', 'handle_rotate' ) );
		add_action( 'admin_post_xpay_connect_gateway', array( 'Xpay_Connect_Settings', 'handle_gateway' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( XPAY_CONNECT_FILE ), array( self::class, 'action_links' ) );
	}

	/**
	 * HPOS and Checkout-block compatibility.
	 */
	public static function declare_compatibility(): void {
		if ( class_exists( '\Automattic\WooCommerce\Utilities\FeaturesUtil' ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', XPAY_CONNECT_FILE, true );
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'cart_checkout_blocks', XPAY_CONNECT_FILE, true );
		}
	}

	/**
	 * Translations.
	 */
	public static function load_textdomain(): void {
		load_plugin_textdomain( 'xpay-connect-woocommerce', false, dirname( plugin_basename( XPAY_CONNECT_FILE ) ) . '/languages' );
	}

	/**
	 * Activation: the processed-events table and the daily prune.
	 */
	public static function activate(): void {
		Xpay_Connect_Events::install();
	}

	/**
	 * Deactivation: stops the plugin's scheduled actions (options stay until uninstall).
	 */
	public static function deactivate(): void {
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( self::PRUNE_HOOK, array(), Xpay_Connect_Orders::GROUP );
		}
	}

	/**
	 * Creates the table after an update (activation hooks do not run on updates).
	 */
	public static function maybe_upgrade(): void {
		if ( get_option( 'xpay_connect_db_version' ) !== XPAY_CONNECT_VERSION ) {
			Xpay_Connect_Events::install();
		}
		if ( function_exists( 'as_has_scheduled_action' ) && did_action( 'action_scheduler_init' ) && ! as_has_scheduled_action( self::PRUNE_HOOK, array(), Xpay_Connect_Orders::GROUP ) ) {
			as_schedule_recurring_action( time() + HOUR_IN_SECONDS, DAY_IN_SECONDS, self::PRUNE_HOOK, array(), Xpay_Connect_Orders::GROUP );
		}
	}

	/**
	 * The nine gateways, keyed by id.
	 *
	 * @return array<string, Xpay_Connect_Gateway>
	 */
	public static function gateways(): array {
		if ( null === self::$gateways ) {
			if ( ! class_exists( 'WC_Payment_Gateway' ) ) {
				return array();
			}
			require_once XPAY_CONNECT_DIR . 'includes/class-xpay-connect-gateway.php';
			self::$gateways = array();
			foreach ( Xpay_Connect_Methods::all() as $id => $method ) {
				self::$gateways[ $id ] = new Xpay_Connect_Gateway( $method );
			}
		}
		return self::$gateways;
	}

	/**
	 * Forgets the gateway objects (after their settings changed, and in tests).
	 */
	public static function reset_gateways(): void {
		self::$gateways = null;
	}

	/**
	 * woocommerce_payment_gateways.
	 *
	 * @param array<int, mixed> $gateways Gateways.
	 * @return array<int, mixed>
	 */
	public static function add_gateways( $gateways ) {
		$gateways = is_array( $gateways ) ? $gateways : array();
		foreach ( self::gateways() as $gateway ) {
			$gateways[] = $gateway;
		}
		return $gateways;
	}

	/**
	 * woocommerce_blocks_payment_method_type_registration.
	 *
	 * @param object $registry Automattic\WooCommerce\Blocks\Payments\PaymentMethodRegistry.
	 */
	public static function register_block_methods( $registry ): void {
		if ( ! class_exists( '\Automattic\WooCommerce\Blocks\Payments\Integrations\AbstractPaymentMethodType' ) ) {
			return;
		}
		require_once XPAY_CONNECT_DIR . 'includes/class-xpay-connect-blocks.php';
		foreach ( array_keys( Xpay_Connect_Methods::all() ) as $id ) {
			$registry->register( new Xpay_Connect_Blocks( $id ) );
		}
	}

	/**
	 * Registers the block script from build/index.asset.php (once); false when the build is missing.
	 *
	 * @return bool
	 */
	public static function register_block_script(): bool {
		if ( wp_script_is( self::BLOCK_HANDLE, 'registered' ) ) {
			return true;
		}
		$asset_file = XPAY_CONNECT_DIR . 'build/index.asset.php';
		if ( ! file_exists( $asset_file ) ) {
			return false;
		}
		$asset = require $asset_file;
		wp_register_script(
			self::BLOCK_HANDLE,
			plugins_url( 'build/index.js', XPAY_CONNECT_FILE ),
			(array) ( $asset['dependencies'] ?? array() ),
			(string) ( $asset['version'] ?? XPAY_CONNECT_VERSION ),
			true
		);
		wp_set_script_translations( self::BLOCK_HANDLE, 'xpay-connect-woocommerce', XPAY_CONNECT_DIR . 'languages' );
		return true;
	}

	/**
	 * A Settings link on the Plugins screen.
	 *
	 * @param string[] $links Links.
	 * @return string[]
	 */
	public static function action_links( $links ) {
		$links   = is_array( $links ) ? $links : array();
		$links[] = '<a href="' . esc_url( Xpay_Connect_Settings::page_url() ) . '">' . esc_html__( 'Settings', 'xpay-connect-woocommerce' ) . '</a>';
		return $links;
	}
}
