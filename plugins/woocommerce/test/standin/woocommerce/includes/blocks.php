<?php
/**
 * Model of the WooCommerce Blocks payment-method API (WooCommerce 9.4.3 src/Blocks/Payments/Api.php,
 * PaymentMethodRegistry.php, PaymentMethodTypeInterface.php, Integrations/AbstractPaymentMethodType.php,
 * src/Blocks/Integrations/IntegrationRegistry.php, IntegrationInterface.php, src/Blocks/Assets/AssetDataRegistry.php).
 *
 * Behaviour kept:
 * - on init (priority 5) the registry fires woocommerce_blocks_payment_method_type_registration with itself, then calls
 *   initialize() on every registered integration; registering a name twice is _doing_it_wrong and returns false;
 * - only is_active() methods count: their get_payment_method_script_handles() become dependencies of the checkout
 *   block's front-end script, and get_payment_method_data() goes into wcSettings.paymentMethodData[name] (empty arrays
 *   dropped), which the wc-settings script's getSetting('<name>_data') falls back to, as WooCommerce's does;
 * - wcSettings.paymentMethodSortOrder lists the gateways whose $enabled is truthy, in gateway order;
 * - the block scripts are globals: wc-settings (window.wc.wcSettings), wc-blocks-registry (window.wc.wcBlocksRegistry),
 *   and react-jsx-runtime is registered when WordPress (6.5) lacks it, as WooCommerce 9.x does.
 * The checkout block itself is a small renderer of the stand-in's own (assets/checkout-block.js), not WooCommerce's.
 *
 * @package WooCommerceStandin
 */

namespace Automattic\WooCommerce\Blocks\Integrations {

	defined( 'ABSPATH' ) || exit;

	/**
	 * IntegrationInterface.
	 */
	interface IntegrationInterface {
		/**
		 * Name.
		 *
		 * @return string
		 */
		public function get_name();

		/**
		 * Initialize.
		 */
		public function initialize();

		/**
		 * Front-end script handles.
		 *
		 * @return string[]
		 */
		public function get_script_handles();

		/**
		 * Editor script handles.
		 *
		 * @return string[]
		 */
		public function get_editor_script_handles();

		/**
		 * Script data.
		 *
		 * @return array
		 */
		public function get_script_data();
	}

	/**
	 * IntegrationRegistry (model).
	 */
	class IntegrationRegistry {

		/**
		 * Registered integrations by name.
		 *
		 * @var IntegrationInterface[]
		 */
		protected $registered_integrations = array();

		/**
		 * Identifier used in the registration hook name.
		 *
		 * @var string
		 */
		protected $registry_identifier = '';

		/**
		 * Fires the registration hook and initializes integrations.
		 *
		 * @param string $registry_identifier Identifier.
		 * @return void|false
		 */
		public function initialize( $registry_identifier = '' ) {
			if ( $registry_identifier ) {
				$this->registry_identifier = $registry_identifier;
			}
			if ( empty( $this->registry_identifier ) ) {
				_doing_it_wrong( __METHOD__, esc_html__( 'Integration registry requires an identifier.', 'woocommerce' ), '4.6.0' );
				return false;
			}
			do_action( 'woocommerce_blocks_' . $this->registry_identifier . '_registration', $this );
			foreach ( $this->get_all_registered() as $integration ) {
				$integration->initialize();
			}
		}

		/**
		 * Registers an integration.
		 *
		 * @param IntegrationInterface $integration Integration.
		 * @return bool
		 */
		public function register( IntegrationInterface $integration ) {
			$name = $integration->get_name();
			if ( $this->is_registered( $name ) ) {
				/* translators: %s: name */
				_doing_it_wrong( __METHOD__, esc_html( sprintf( __( '"%s" is already registered.', 'woocommerce' ), $name ) ), '4.6.0' );
				return false;
			}
			$this->registered_integrations[ $name ] = $integration;
			return true;
		}

		/**
		 * Whether registered.
		 *
		 * @param string $name Name.
		 * @return bool
		 */
		public function is_registered( $name ) {
			return isset( $this->registered_integrations[ $name ] );
		}

		/**
		 * Unregisters.
		 *
		 * @param string|IntegrationInterface $name Name or integration.
		 * @return IntegrationInterface|false
		 */
		public function unregister( $name ) {
			if ( $name instanceof IntegrationInterface ) {
				$name = $name->get_name();
			}
			if ( ! $this->is_registered( $name ) ) {
				return false;
			}
			$unregistered = $this->registered_integrations[ $name ];
			unset( $this->registered_integrations[ $name ] );
			return $unregistered;
		}

		/**
		 * One integration.
		 *
		 * @param string $name Name.
		 * @return IntegrationInterface|null
		 */
		public function get_registered( $name ) {
			return $this->is_registered( $name ) ? $this->registered_integrations[ $name ] : null;
		}

		/**
		 * All integrations.
		 *
		 * @return IntegrationInterface[]
		 */
		public function get_all_registered() {
			return $this->registered_integrations;
		}
	}
}

namespace Automattic\WooCommerce\Blocks\Payments {

	use Automattic\WooCommerce\Blocks\Integrations\IntegrationInterface;
	use Automattic\WooCommerce\Blocks\Integrations\IntegrationRegistry;

	/**
	 * PaymentMethodTypeInterface.
	 */
	interface PaymentMethodTypeInterface extends IntegrationInterface {
		/**
		 * Active.
		 *
		 * @return bool
		 */
		public function is_active();

		/**
		 * Front-end handles.
		 *
		 * @return string[]
		 */
		public function get_payment_method_script_handles();

		/**
		 * Admin handles.
		 *
		 * @return string[]
		 */
		public function get_payment_method_script_handles_for_admin();

		/**
		 * Data for the client.
		 *
		 * @return array
		 */
		public function get_payment_method_data();

		/**
		 * Supported features.
		 *
		 * @return string[]
		 */
		public function get_supported_features();
	}

	/**
	 * PaymentMethodRegistry (model).
	 */
	final class PaymentMethodRegistry extends IntegrationRegistry {

		/**
		 * Identifier.
		 *
		 * @var string
		 */
		protected $registry_identifier = 'payment_method_type';

		/**
		 * The registry WooCommerce builds once.
		 *
		 * @var PaymentMethodRegistry|null
		 */
		private static $instance = null;

		/**
		 * Shared instance (WooCommerce gets it from its DI container).
		 *
		 * @return PaymentMethodRegistry
		 */
		public static function standin_instance() {
			if ( null === self::$instance ) {
				self::$instance = new self();
			}
			return self::$instance;
		}

		/**
		 * Active methods.
		 *
		 * @return PaymentMethodTypeInterface[]
		 */
		public function get_all_active_registered() {
			return array_filter(
				$this->get_all_registered(),
				function ( $payment_method ) {
					return $payment_method->is_active();
				}
			);
		}

		/**
		 * Script handles of active methods.
		 *
		 * @return string[]
		 */
		public function get_all_active_payment_method_script_dependencies() {
			$handles = array();
			foreach ( $this->get_all_active_registered() as $payment_method ) {
				$handles = array_merge( $handles, is_admin() ? $payment_method->get_payment_method_script_handles_for_admin() : $payment_method->get_payment_method_script_handles() );
			}
			return array_values( array_unique( array_filter( $handles ) ) );
		}

		/**
		 * Data of active methods, empty ones dropped.
		 *
		 * @return array
		 */
		public function get_all_registered_script_data() {
			$data = array();
			foreach ( $this->get_all_active_registered() as $payment_method ) {
				$data[ $payment_method->get_name() ] = $payment_method->get_payment_method_data();
			}
			return array( 'paymentMethodData' => array_filter( $data ) );
		}
	}
}

namespace Automattic\WooCommerce\Blocks\Payments\Integrations {

	use Automattic\WooCommerce\Blocks\Payments\PaymentMethodTypeInterface;

	/**
	 * AbstractPaymentMethodType (model; same members as WooCommerce's).
	 */
	abstract class AbstractPaymentMethodType implements PaymentMethodTypeInterface {

		/**
		 * Name (the gateway id).
		 *
		 * @var string
		 */
		protected $name = '';

		/**
		 * Settings (subclasses usually load the gateway's option here in initialize()).
		 *
		 * @var array
		 */
		protected $settings = array();

		/**
		 * One setting.
		 *
		 * @param string $name    Key.
		 * @param mixed  $default Default.
		 * @return mixed
		 */
		protected function get_setting( $name, $default = '' ) {
			return isset( $this->settings[ $name ] ) ? $this->settings[ $name ] : $default;
		}

		/**
		 * Name.
		 *
		 * @return string
		 */
		public function get_name() {
			return $this->name;
		}

		/**
		 * Active by default.
		 *
		 * @return bool
		 */
		public function is_active() {
			return true;
		}

		/**
		 * No scripts by default.
		 *
		 * @return string[]
		 */
		public function get_payment_method_script_handles() {
			return array();
		}

		/**
		 * Admin handles: the front-end ones.
		 *
		 * @return string[]
		 */
		public function get_payment_method_script_handles_for_admin() {
			return $this->get_payment_method_script_handles();
		}

		/**
		 * Features.
		 *
		 * @return string[]
		 */
		public function get_supported_features() {
			return array( 'products' );
		}

		/**
		 * Data.
		 *
		 * @return array
		 */
		public function get_payment_method_data() {
			return array();
		}

		/**
		 * Script handles.
		 *
		 * @return string[]
		 */
		public function get_script_handles() {
			return $this->get_payment_method_script_handles();
		}

		/**
		 * Editor handles.
		 *
		 * @return string[]
		 */
		public function get_editor_script_handles() {
			return $this->get_payment_method_script_handles_for_admin();
		}

		/**
		 * Script data.
		 *
		 * @return array
		 */
		public function get_script_data() {
			return $this->get_payment_method_data();
		}
	}
}

namespace {

	use Automattic\WooCommerce\Blocks\Payments\PaymentMethodRegistry;

	defined( 'ABSPATH' ) || exit;

	/**
	 * The block scripts, wcSettings and the checkout block (model).
	 */
	class WC_Standin_Blocks {

		/**
		 * Hooks.
		 */
		public static function init() {
			add_action( 'init', array( PaymentMethodRegistry::standin_instance(), 'initialize' ), 5 );
			add_action( 'init', array( __CLASS__, 'register_scripts_and_block' ), 20 );
		}

		/**
		 * wcSettings as the checkout page gets it.
		 *
		 * @return array
		 */
		public static function settings() {
			$gateways = WC()->payment_gateways()->payment_gateways();
			$enabled  = array_filter(
				$gateways,
				function ( $gateway ) {
					return filter_var( $gateway->enabled, FILTER_VALIDATE_BOOLEAN );
				}
			);
			$currency = get_woocommerce_currency();
			return array_merge(
				array(
					'currency'               => array(
						'code'              => $currency,
						'precision'         => wc_get_price_decimals(),
						'symbol'            => html_entity_decode( get_woocommerce_currency_symbol( $currency ) ),
						'symbolPosition'    => 'left',
						'decimalSeparator'  => '.',
						'thousandSeparator' => ',',
						'priceFormat'       => '%1$s%2$s',
					),
					'wcVersion'              => WC_VERSION,
					'wpVersion'              => get_bloginfo( 'version' ),
					'siteTitle'              => get_bloginfo( 'name' ),
					'checkoutUrl'            => wc_get_checkout_url(),
					'defaultCountry'         => (string) get_option( 'woocommerce_default_country', '' ),
					'storeApiNonce'          => wp_create_nonce( 'wc_store_api' ),
					'storeApiRoot'           => esc_url_raw( rest_url( 'wc/store/v1/' ) ),
					'paymentMethodSortOrder' => array_keys( $enabled ),
				),
				PaymentMethodRegistry::standin_instance()->get_all_registered_script_data()
			);
		}

		/**
		 * Registers wc-settings, wc-blocks-registry, react-jsx-runtime (when missing) and the checkout block.
		 */
		public static function register_scripts_and_block() {
			$url = WC()->plugin_url() . '/assets/';
			if ( ! wp_script_is( 'react-jsx-runtime', 'registered' ) ) {
				wp_register_script( 'react-jsx-runtime', $url . 'react-jsx-runtime.js', array( 'react' ), WC_VERSION, true );
			}
			wp_register_script( 'wc-settings', $url . 'wc-settings.js', array(), WC_VERSION, true );
			wp_register_script( 'wc-blocks-registry', $url . 'wc-blocks-registry.js', array( 'wc-settings' ), WC_VERSION, true );
			register_block_type(
				'woocommerce/checkout',
				array(
					'render_callback' => array( __CLASS__, 'render_checkout_block' ),
				)
			);
		}

		/**
		 * Renders the checkout block: enqueues the front-end with the payment method scripts as dependencies.
		 *
		 * @return string
		 */
		public static function render_checkout_block() {
			global $wp;
			if ( isset( $wp->query_vars['order-received'] ) || isset( $wp->query_vars['order-pay'] ) ) {
				return WC_Standin_Checkout::render_endpoint();
			}
			$url  = WC()->plugin_url() . '/assets/';
			$deps = apply_filters( 'woocommerce_blocks_register_script_dependencies', array( 'wc-settings', 'wc-blocks-registry', 'wp-element', 'react-jsx-runtime' ), 'wc-checkout-block-frontend' );
			$deps = array_values( array_unique( array_merge( $deps, PaymentMethodRegistry::standin_instance()->get_all_active_payment_method_script_dependencies() ) ) );
			wp_register_script( 'wc-checkout-block-frontend', $url . 'checkout-block.js', $deps, WC_VERSION, true );
			do_action( 'woocommerce_blocks_checkout_enqueue_data' );
			wp_add_inline_script( 'wc-settings', 'var wcSettings = wcSettings || JSON.parse( decodeURIComponent( \'' . esc_js( rawurlencode( wp_json_encode( self::settings() ) ) ) . '\' ) );', 'before' );
			wp_enqueue_script( 'wc-checkout-block-frontend' );
			return '<div class="wp-block-woocommerce-checkout wc-block-checkout" id="wc-standin-checkout-block" data-standin="checkout-block"></div>';
		}
	}

	WC_Standin_Blocks::init();
}
