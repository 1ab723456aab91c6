<?php
/**
 * Model of WC_Payment_Gateways (WooCommerce 9.4.3 includes/class-wc-payment-gateways.php): a singleton built on first
 * use; the class names or objects from the woocommerce_payment_gateways filter are instantiated, objects that are not
 * WC_Payment_Gateway are dropped, and the order follows the woocommerce_gateway_order option. The stand-in ships no
 * gateways of its own (WooCommerce's BACS, cheque, COD and PayPal are left out).
 *
 * @package WooCommerceStandin
 */

defined( 'ABSPATH' ) || exit;

/**
 * Payment gateways (model).
 */
class WC_Payment_Gateways {

	/**
	 * Gateways by sort position.
	 *
	 * @var WC_Payment_Gateway[]
	 */
	public $payment_gateways = array();

	/**
	 * Instance.
	 *
	 * @var WC_Payment_Gateways|null
	 */
	protected static $_instance = null; // phpcs:ignore PSR2.Classes.PropertyDeclaration.Underscore

	/**
	 * Instance.
	 *
	 * @return WC_Payment_Gateways
	 */
	public static function instance() {
		if ( is_null( self::$_instance ) ) {
			self::$_instance = new self();
		}
		return self::$_instance;
	}

	/**
	 * Loads the gateways.
	 */
	public function __construct() {
		$this->init();
	}

	/**
	 * Loads gateways from the woocommerce_payment_gateways filter, in the saved order.
	 */
	public function init() {
		$this->payment_gateways = array();
		$load_gateways          = apply_filters( 'woocommerce_payment_gateways', array() );
		$ordering               = (array) get_option( 'woocommerce_gateway_order' );
		$order_end              = 999;
		foreach ( $load_gateways as $gateway ) {
			if ( is_string( $gateway ) && class_exists( $gateway ) ) {
				$gateway = new $gateway();
			}
			if ( ! is_a( $gateway, 'WC_Payment_Gateway' ) ) {
				continue;
			}
			if ( isset( $ordering[ $gateway->id ] ) && is_numeric( $ordering[ $gateway->id ] ) ) {
				$this->payment_gateways[ $ordering[ $gateway->id ] ] = $gateway;
			} else {
				$this->payment_gateways[ $order_end ] = $gateway;
				++$order_end;
			}
		}
		ksort( $this->payment_gateways );
	}

	/**
	 * All gateways by id.
	 *
	 * @return WC_Payment_Gateway[]
	 */
	public function payment_gateways() {
		$gateways = array();
		foreach ( $this->payment_gateways as $gateway ) {
			$gateways[ $gateway->id ] = $gateway;
		}
		return $gateways;
	}

	/**
	 * Gateway ids.
	 *
	 * @return string[]
	 */
	public function get_payment_gateway_ids() {
		return wp_list_pluck( $this->payment_gateways, 'id' );
	}

	/**
	 * Gateways whose is_available() is true, through woocommerce_available_payment_gateways.
	 *
	 * @return WC_Payment_Gateway[]
	 */
	public function get_available_payment_gateways() {
		$available = array();
		foreach ( $this->payment_gateways as $gateway ) {
			if ( $gateway->is_available() ) {
				$available[ $gateway->id ] = $gateway;
			}
		}
		return array_filter(
			(array) apply_filters( 'woocommerce_available_payment_gateways', $available ),
			function ( $gateway ) {
				return $gateway && is_a( $gateway, 'WC_Payment_Gateway' );
			}
		);
	}
}
