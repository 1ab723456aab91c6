<?php
/**
 * Checkout-block payment method types, one per methods.json entry (loaded only when WooCommerce Blocks is).
 *
 * @package Xpay_Connect
 */

defined( 'ABSPATH' ) || exit;

use Automattic\WooCommerce\Blocks\Payments\Integrations\AbstractPaymentMethodType;

/**
 * One checkout-block payment method; its script (`xpay-connect-blocks`, src/index.tsx) registers all nine
 * and reads each one's data with getSetting('<id>_data').
 */
final class Xpay_Connect_Blocks extends AbstractPaymentMethodType {

	/**
	 * The gateway.
	 *
	 * @var Xpay_Connect_Gateway|null
	 */
	private $gateway = null;

	/**
	 * A block payment method for a gateway id.
	 *
	 * @param string $id Gateway id (= block paymentMethodId).
	 */
	public function __construct( string $id ) {
		$this->name = $id;
	}

	/**
	 * Reads the gateway's settings.
	 */
	public function initialize() {
		$this->settings = get_option( 'woocommerce_' . $this->name . '_settings', array() );
		$gateways       = Xpay_Connect_Plugin::gateways();
		$this->gateway  = $gateways[ $this->name ] ?? null;
	}

	/**
	 * Active when the gateway is available (enabled, connected, currency and country).
	 *
	 * @return bool
	 */
	public function is_active() {
		return null !== $this->gateway && $this->gateway->is_available();
	}

	/**
	 * The shared block script, registered once from build/index.asset.php.
	 *
	 * @return string[]
	 */
	public function get_payment_method_script_handles() {
		return Xpay_Connect_Plugin::register_block_script() ? array( Xpay_Connect_Plugin::BLOCK_HANDLE ) : array();
	}

	/**
	 * getSetting('<id>_data'): {title, description, icon, supports, wallet_field, currencies}.
	 *
	 * @return array<string, mixed>
	 */
	public function get_payment_method_data() {
		$method = Xpay_Connect_Methods::get( $this->name ) ?? array();
		return array(
			'title'        => $this->gateway ? $this->gateway->get_title() : (string) ( $method['title'] ?? '' ),
			'description'  => $this->gateway ? $this->gateway->get_description() : (string) ( $method['description'] ?? '' ),
			'icon'         => Xpay_Connect_Gateway::icon_url( $this->name ),
			'supports'     => $this->gateway ? array_values( array_filter( $this->gateway->supports, array( $this->gateway, 'supports' ) ) ) : array( 'products' ),
			'wallet_field' => ! empty( $method['wallet_field'] ),
			'currencies'   => array_values( (array) ( $method['currencies'] ?? array() ) ),
		);
	}
}
