<?php
/**
 * Model of WooCommerce's session and cart (WooCommerce 9.4.3 includes/class-wc-session-handler.php, class-wc-cart.php),
 * reduced to what checkout needs: a guest session keyed by a signed token (cookie wp_woocommerce_session_{COOKIEHASH}
 * for pages, the Cart-Token header for the Store API; WooCommerce signs a JWT, the stand-in an HMAC), stored in a transient for 48 hours; a cart of simple products with
 * a decimal-string total and a cart hash (orders remember it; a pending order is reused for the same cart, as
 * WooCommerce does with order_awaiting_payment / store_api_draft_order). No taxes, shipping, coupons or stock.
 *
 * @package WooCommerceStandin
 */

defined( 'ABSPATH' ) || exit;

/**
 * Session (model).
 */
class WC_Standin_Session {

	/**
	 * Token.
	 *
	 * @var string
	 */
	protected $token;

	/**
	 * Data.
	 *
	 * @var array
	 */
	protected $data = array();

	/**
	 * Cookie name.
	 *
	 * @return string
	 */
	public static function cookie_name() {
		return 'wp_woocommerce_session_' . ( defined( 'COOKIEHASH' ) ? COOKIEHASH : md5( home_url() ) );
	}

	/**
	 * Resumes a session by token, or from the cookie, or starts one.
	 *
	 * @param string|null $token Token.
	 */
	public function __construct( $token = null ) {
		if ( null === $token && isset( $_COOKIE[ self::cookie_name() ] ) ) {
			$token = sanitize_text_field( wp_unslash( $_COOKIE[ self::cookie_name() ] ) );
		}
		if ( is_string( $token ) && self::is_valid_token( $token ) ) {
			// A token this stand-in issued (an empty cart is not stored until something is set).
			$this->token = $token;
			$data        = get_transient( 'wc_standin_session_' . $this->key() );
			$this->data  = is_array( $data ) ? $data : array();
		} else {
			$key         = wp_generate_password( 32, false );
			$this->token = $key . '.' . self::sign( $key );
		}
	}

	/**
	 * Signature of a session key (WooCommerce's Cart-Token is a signed JWT; the stand-in signs with an HMAC).
	 *
	 * @param string $key Key.
	 * @return string
	 */
	protected static function sign( $key ) {
		return substr( hash_hmac( 'sha256', $key, wp_salt( 'nonce' ) . 'wc-standin-cart-token' ), 0, 24 );
	}

	/**
	 * Whether a Cart-Token / cookie value was issued here.
	 *
	 * @param string $token Token.
	 * @return bool
	 */
	public static function is_valid_token( $token ) {
		$parts = explode( '.', (string) $token );
		return 2 === count( $parts ) && 1 === preg_match( '/^[A-Za-z0-9]{32}$/', $parts[0] ) && hash_equals( self::sign( $parts[0] ), $parts[1] );
	}

	/**
	 * Storage key of the session.
	 *
	 * @return string
	 */
	protected function key() {
		return strtok( $this->token, '.' );
	}

	/**
	 * Sets the cookie for page requests.
	 */
	public function set_cookie() {
		if ( ! headers_sent() ) {
			setcookie( self::cookie_name(), $this->token, time() + 2 * DAY_IN_SECONDS, COOKIEPATH ? COOKIEPATH : '/', COOKIE_DOMAIN, is_ssl(), true );
			$_COOKIE[ self::cookie_name() ] = $this->token;
		}
	}

	/**
	 * Token (Cart-Token).
	 *
	 * @return string
	 */
	public function get_customer_id() {
		return $this->token;
	}

	/**
	 * Reads a value.
	 *
	 * @param string $key     Key.
	 * @param mixed  $default Default.
	 * @return mixed
	 */
	public function get( $key, $default = null ) {
		return array_key_exists( $key, $this->data ) ? $this->data[ $key ] : $default;
	}

	/**
	 * Writes a value (saved at once).
	 *
	 * @param string $key   Key.
	 * @param mixed  $value Value.
	 */
	public function set( $key, $value ) {
		$this->data[ $key ] = $value;
		set_transient( 'wc_standin_session_' . $this->key(), $this->data, 2 * DAY_IN_SECONDS );
	}

	/**
	 * Forgets the session.
	 */
	public function destroy_session() {
		delete_transient( 'wc_standin_session_' . $this->key() );
		$this->data = array();
	}
}

/**
 * Cart (model).
 */
class WC_Standin_Cart {

	/**
	 * Session.
	 *
	 * @var WC_Standin_Session
	 */
	protected $session;

	/**
	 * Constructor.
	 *
	 * @param WC_Standin_Session $session Session.
	 */
	public function __construct( $session ) {
		$this->session = $session;
	}

	/**
	 * Items: product_id => quantity.
	 *
	 * @return array
	 */
	public function get_cart() {
		return (array) $this->session->get( 'cart', array() );
	}

	/**
	 * Adds a product.
	 *
	 * @param int $product_id Product.
	 * @param int $quantity   Quantity.
	 * @return bool
	 */
	public function add_to_cart( $product_id, $quantity = 1 ) {
		$product = wc_get_product( $product_id );
		if ( ! $product || ! $product->is_purchasable() || $quantity < 1 ) {
			return false;
		}
		$cart                = $this->get_cart();
		$cart[ $product_id ] = ( isset( $cart[ $product_id ] ) ? (int) $cart[ $product_id ] : 0 ) + (int) $quantity;
		$this->session->set( 'cart', $cart );
		return true;
	}

	/**
	 * Empties the cart.
	 */
	public function empty_cart() {
		$this->session->set( 'cart', array() );
	}

	/**
	 * Whether empty.
	 *
	 * @return bool
	 */
	public function is_empty() {
		return 0 === count( $this->get_cart() );
	}

	/**
	 * Total as a decimal string.
	 *
	 * @param string $context Context.
	 * @return string
	 */
	public function get_total( $context = 'view' ) {
		$dp    = wc_get_price_decimals();
		$cents = 0;
		foreach ( $this->get_cart() as $product_id => $qty ) {
			$product = wc_get_product( $product_id );
			if ( $product ) {
				$cents += (int) round( (float) $product->get_price() * pow( 10, $dp ) ) * (int) $qty;
			}
		}
		$total = number_format( $cents / pow( 10, $dp ), $dp, '.', '' );
		return 'view' === $context ? wc_price( $total ) : $total;
	}

	/**
	 * Cart hash.
	 *
	 * @return string
	 */
	public function get_cart_hash() {
		$cart = $this->get_cart();
		return $cart ? md5( wp_json_encode( $cart ) . $this->get_total( 'edit' ) ) : '';
	}

	/**
	 * Adds the cart's products to an order and totals it.
	 *
	 * @param WC_Order $order Order.
	 */
	public function fill_order( $order ) {
		$order->remove_order_items();
		foreach ( $this->get_cart() as $product_id => $qty ) {
			$product = wc_get_product( $product_id );
			if ( $product ) {
				$order->add_product( $product, (int) $qty );
			}
		}
		$order->calculate_totals();
		$order->set_cart_hash( $this->get_cart_hash() );
	}
}

/**
 * Model of WC_Customer with the session data store (WooCommerce 9.4.3 includes/class-wc-customer.php,
 * data-stores/class-wc-customer-data-store-session.php): the shopper's billing fields live in the session's 'customer'
 * array (keys as WooCommerce's: country, email, first_name, ...). A new guest's billing country is the store's base
 * country (woocommerce_default_country, before any ':state'), as with woocommerce_default_customer_address = base.
 */
class WC_Customer {

	/**
	 * Session.
	 *
	 * @var WC_Standin_Session
	 */
	protected $session;

	/**
	 * Constructor.
	 *
	 * @param WC_Standin_Session $session Session.
	 */
	public function __construct( $session ) {
		$this->session = $session;
	}

	/**
	 * Session customer data with defaults.
	 *
	 * @return array
	 */
	protected function data() {
		$base = explode( ':', (string) get_option( 'woocommerce_default_country', '' ) );
		return array_merge(
			array(
				'country'    => $base[0],
				'email'      => '',
				'first_name' => '',
				'last_name'  => '',
				'phone'      => '',
			),
			(array) $this->session->get( 'customer', array() )
		);
	}

	/**
	 * Billing getters/setters (get_billing_country(), set_billing_email(), ...).
	 *
	 * @param string $name Method.
	 * @param array  $args Args.
	 * @return mixed
	 * @throws BadMethodCallException Unknown method.
	 */
	public function __call( $name, $args ) {
		if ( preg_match( '/^(get|set)_billing_(country|email|first_name|last_name|phone)$/', $name, $m ) ) {
			$data = $this->data();
			if ( 'get' === $m[1] ) {
				return (string) $data[ $m[2] ];
			}
			$data[ $m[2] ] = isset( $args[0] ) ? (string) $args[0] : '';
			$this->session->set( 'customer', $data );
			return null;
		}
		throw new BadMethodCallException( esc_html( 'Call to undefined method WC_Customer::' . $name . '()' ) );
	}

	/**
	 * Saved on every set in the stand-in.
	 *
	 * @return int
	 */
	public function save() {
		return 0;
	}

	/**
	 * Guest.
	 *
	 * @return int
	 */
	public function get_id() {
		return get_current_user_id();
	}
}
