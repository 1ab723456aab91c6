<?php
/**
 * Model of WooCommerce's main class (includes/class-woocommerce.php in WooCommerce 9.4.3): the WC() singleton,
 * its hook order (plugins_loaded -1 -> woocommerce_loaded, then woocommerce_blocks_loaded; init 0 -> before_woocommerce_init, then woocommerce_init),
 * payment_gateways(), mailer(), and a session/cart (see cart.php).
 *
 * @package WooCommerceStandin
 */

defined( 'ABSPATH' ) || exit;

/**
 * The WC() singleton (model).
 */
final class WooCommerce {

	/**
	 * Version (the WooCommerce release this stand-in models).
	 *
	 * @var string
	 */
	public $version = '9.4.3';

	/**
	 * Session (WC_Standin_Session) or null outside a front-end/Store API request.
	 *
	 * @var WC_Standin_Session|null
	 */
	public $session = null;

	/**
	 * Customer (WC_Customer, session-backed) or null outside a front-end/Store API request.
	 *
	 * @var WC_Customer|null
	 */
	public $customer = null;

	/**
	 * Cart (WC_Standin_Cart) or null.
	 *
	 * @var WC_Standin_Cart|null
	 */
	public $cart = null;

	/**
	 * Instance.
	 *
	 * @var WooCommerce|null
	 */
	protected static $instance = null;

	/**
	 * The instance.
	 *
	 * @return WooCommerce
	 */
	public static function instance() {
		if ( null === self::$instance ) {
			self::$instance = new self();
		}
		return self::$instance;
	}

	/**
	 * Hooks in the order WooCommerce uses.
	 */
	private function __construct() {
		add_action( 'plugins_loaded', array( $this, 'on_plugins_loaded' ), -1 );
		add_action( 'init', array( $this, 'init' ), 0 );
	}

	/**
	 * Like WooCommerce: fires woocommerce_loaded once every plugin is loaded.
	 */
	public function on_plugins_loaded() {
		do_action( 'woocommerce_loaded' );
		do_action( 'woocommerce_blocks_loaded' );
	}

	/**
	 * Like WooCommerce::init(): before_woocommerce_init, then woocommerce_init.
	 */
	public function init() {
		do_action( 'before_woocommerce_init' );
		WC_Standin_Install::register_statuses_and_endpoints();
		do_action( 'woocommerce_init' );
	}

	/**
	 * Magic getters WooCommerce keeps for back-compat (WC()->payment_gateways, WC()->mailer).
	 *
	 * @param string $key Key.
	 * @return mixed
	 */
	public function __get( $key ) {
		if ( in_array( $key, array( 'payment_gateways', 'mailer' ), true ) ) {
			return $this->$key();
		}
		return null;
	}

	/**
	 * Payment gateways.
	 *
	 * @return WC_Payment_Gateways
	 */
	public function payment_gateways() {
		return WC_Payment_Gateways::instance();
	}

	/**
	 * Emails.
	 *
	 * @return WC_Emails
	 */
	public function mailer() {
		return WC_Emails::instance();
	}

	/**
	 * Starts the session and cart (the real one does this for front-end and Store API requests).
	 *
	 * @param string|null $token Cart-Token / session key to resume; null: from the cookie or a new one.
	 */
	public function initialize_session( $token = null ) {
		$this->session  = new WC_Standin_Session( $token );
		$this->cart     = new WC_Standin_Cart( $this->session );
		$this->customer = new WC_Customer( $this->session );
	}

	/**
	 * Plugin URL.
	 *
	 * @return string
	 */
	public function plugin_url() {
		return untrailingslashit( plugins_url( '/', WC_PLUGIN_FILE ) );
	}

	/**
	 * Plugin path.
	 *
	 * @return string
	 */
	public function plugin_path() {
		return untrailingslashit( WC_ABSPATH );
	}
}

/**
 * The WooCommerce instance.
 *
 * @return WooCommerce
 */
function WC() { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName.FunctionNameInvalid
	return WooCommerce::instance();
}
