<?php
/**
 * Model of the WooCommerce Store API v1 cart and checkout routes (WooCommerce 9.4.3 src/StoreApi/Routes/V1/Cart.php,
 * CartAddItem.php, Checkout.php, AbstractCartRoute.php, Utilities/CheckoutTrait.php, DraftOrderTrait.php,
 * Payments/PaymentContext.php, PaymentResult.php, Legacy.php, Utilities/NoticeHandler.php).
 *
 * Behaviour kept:
 * - every cart route answers with Cart-Token (the session, signed) and Nonce headers; writes (POST) need the Nonce
 *   header unless they carry a valid Cart-Token (missing: 401 woocommerce_rest_missing_nonce; wrong: 403
 *   woocommerce_rest_invalid_nonce; filter woocommerce_store_api_disable_nonce_check); a request's Cart-Token header resumes that cart, else the session
 *   cookie does (as for the blocks on a same-origin page);
 * - cart/update-customer sets the customer's billing fields (payment methods follow the billing country);
 * - prices are strings in minor units (totals.total_price "150000" for 1500.00, currency_minor_unit 2);
 * - checkout: empty cart 400 woocommerce_rest_cart_empty; the draft order (session store_api_draft_order, reused while
 *   checkout-draft, or pending/failed with the same cart hash) is created via 'store-api' with status checkout-draft;
 *   billing first/last name, street address, city, country (and state for PK and EG) are required (400
 *   woocommerce_rest_invalid_address "There was a problem with the provided billing address: State / County is
 *   required"); a payment method that is not a registered gateway is 400 rest_invalid_param; a missing one is 400 woocommerce_rest_checkout_missing_payment_method, one that is not available
 *   (get_available_payment_gateways) 400 woocommerce_rest_checkout_payment_method_disabled; then the order goes to
 *   'pending' and woocommerce_rest_checkout_process_payment_with_context runs, with the legacy handler at priority
 *   999: payment_data entries become $_POST (keys through sanitize_key, values wc_clean), validate_fields() runs and
 *   an error notice aborts with 400 woocommerce_rest_checkout_process_payment_error and the notice as message (checked
 *   against WooCommerce 9.4.3), then process_payment(); its 'result'
 *   (success|failure|pending|error, anything else failure) is the payment_status and its 'redirect' the redirect_url,
 *   other keys become payment_details; HTTP status 200 for success, 202 pending, 400 failure/error (the body still
 *   holds the order); notices added by process_payment are discarded;
 * - orders created through the Store API are NOT auto-cancelled by wc_cancel_unpaid_orders() (created_via store-api).
 *
 * @package WooCommerceStandin
 */

defined( 'ABSPATH' ) || exit;

/**
 * Payment context passed to woocommerce_rest_checkout_process_payment_with_context.
 */
class WC_Standin_Payment_Context {
	/**
	 * Payment method id.
	 *
	 * @var string
	 */
	public $payment_method = '';

	/**
	 * Order.
	 *
	 * @var WC_Order
	 */
	public $order;

	/**
	 * Payment data (string => string).
	 *
	 * @var array
	 */
	public $payment_data = array();

	/**
	 * The gateway.
	 *
	 * @return WC_Payment_Gateway|null
	 */
	public function get_payment_method_instance() {
		$gateways = WC()->payment_gateways()->payment_gateways();
		return isset( $gateways[ $this->payment_method ] ) ? $gateways[ $this->payment_method ] : null;
	}
}

/**
 * Payment result.
 */
class WC_Standin_Payment_Result {
	/**
	 * Status ('' until set).
	 *
	 * @var string
	 */
	public $status = '';

	/**
	 * Details.
	 *
	 * @var array
	 */
	public $payment_details = array();

	/**
	 * Redirect URL.
	 *
	 * @var string
	 */
	public $redirect_url = '';

	/**
	 * Sets status.
	 *
	 * @param string $status Status.
	 */
	public function set_status( $status ) {
		$this->status = in_array( $status, array( 'success', 'failure', 'pending', 'error' ), true ) ? $status : 'failure';
	}

	/**
	 * Sets details.
	 *
	 * @param array $details Details.
	 */
	public function set_payment_details( $details ) {
		$this->payment_details = (array) $details;
	}

	/**
	 * Sets redirect.
	 *
	 * @param string $url URL.
	 */
	public function set_redirect_url( $url ) {
		$this->redirect_url = (string) $url;
	}
}

// Class aliases with WooCommerce's names, for code that type-hints them.
class_alias( 'WC_Standin_Payment_Context', 'Automattic\WooCommerce\StoreApi\Payments\PaymentContext' );
class_alias( 'WC_Standin_Payment_Result', 'Automattic\WooCommerce\StoreApi\Payments\PaymentResult' );

/**
 * Store API routes (model).
 */
class WC_Standin_Store_API {

	/**
	 * Hooks.
	 */
	public static function init() {
		add_action( 'rest_api_init', array( __CLASS__, 'register_routes' ) );
		add_action( 'woocommerce_rest_checkout_process_payment_with_context', array( __CLASS__, 'process_legacy_payment' ), 999, 2 );
		add_filter(
			'woocommerce_valid_order_statuses_for_payment',
			function ( $statuses ) {
				$statuses[] = 'checkout-draft';
				return $statuses;
			}
		);
	}

	/**
	 * Routes.
	 */
	public static function register_routes() {
		$open = '__return_true';
		register_rest_route(
			'wc/store/v1',
			'/cart',
			array(
				'methods'             => 'GET',
				'permission_callback' => $open,
				'callback'            => array( __CLASS__, 'get_cart' ),
			)
		);
		register_rest_route(
			'wc/store/v1',
			'/cart/add-item',
			array(
				'methods'             => 'POST',
				'permission_callback' => $open,
				'callback'            => array( __CLASS__, 'add_item' ),
			)
		);
		register_rest_route(
			'wc/store/v1',
			'/cart/update-customer',
			array(
				'methods'             => 'POST',
				'permission_callback' => $open,
				'callback'            => array( __CLASS__, 'update_customer' ),
			)
		);
		register_rest_route(
			'wc/store/v1',
			'/checkout',
			array(
				'methods'             => 'POST',
				'permission_callback' => $open,
				'callback'            => array( __CLASS__, 'checkout' ),
			)
		);
	}

	/**
	 * Starts the session from the Cart-Token header.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	protected static function load_session( WP_REST_Request $request ) {
		// Cart-Token when sent; otherwise the session cookie (same-origin block requests), else a new session.
		$token = $request->get_header( 'Cart-Token' );
		WC()->initialize_session( $token ? $token : null );
	}

	/**
	 * Nonce check for writes.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_Error|null
	 */
	protected static function check_nonce( WP_REST_Request $request ) {
		// Like AbstractCartRoute::requires_nonce(): a request with a valid Cart-Token needs no nonce.
		if ( WC_Standin_Session::is_valid_token( (string) $request->get_header( 'Cart-Token' ) ) ) {
			return null;
		}
		if ( apply_filters( 'woocommerce_store_api_disable_nonce_check', false ) ) {
			return null;
		}
		$nonce = $request->get_header( 'Nonce' );
		if ( null === $nonce ) {
			return new WP_Error( 'woocommerce_rest_missing_nonce', __( 'Missing the Nonce header. This endpoint requires a valid nonce.', 'woocommerce' ), array( 'status' => 401 ) );
		}
		if ( ! wp_verify_nonce( $nonce, 'wc_store_api' ) ) {
			return new WP_Error( 'woocommerce_rest_invalid_nonce', __( 'Nonce is invalid.', 'woocommerce' ), array( 'status' => 403 ) );
		}
		return null;
	}

	/**
	 * Adds Cart-Token and Nonce headers.
	 *
	 * @param WP_REST_Response|WP_Error $response Response.
	 * @return WP_REST_Response
	 */
	protected static function respond( $response ) {
		if ( is_wp_error( $response ) ) {
			$data     = $response->get_error_data();
			$response = new WP_REST_Response(
				array(
					'code'    => $response->get_error_code(),
					'message' => $response->get_error_message(),
					'data'    => array( 'status' => isset( $data['status'] ) ? $data['status'] : 400 ),
				),
				isset( $data['status'] ) ? $data['status'] : 400
			);
		}
		if ( WC()->session ) {
			$response->header( 'Cart-Token', WC()->session->get_customer_id() );
		}
		$response->header( 'Nonce', wp_create_nonce( 'wc_store_api' ) );
		$response->header( 'Nonce-Timestamp', (string) time() );
		return $response;
	}

	/**
	 * Amount in minor units (string).
	 *
	 * @param string $amount Decimal string.
	 * @return string
	 */
	protected static function minor( $amount ) {
		return (string) (int) round( (float) $amount * pow( 10, wc_get_price_decimals() ) );
	}

	/**
	 * Cart JSON.
	 *
	 * @return array
	 */
	protected static function cart_data() {
		$items = array();
		foreach ( WC()->cart->get_cart() as $product_id => $qty ) {
			$product = wc_get_product( $product_id );
			if ( ! $product ) {
				continue;
			}
			$items[] = array(
				'key'      => md5( (string) $product_id ),
				'id'       => (int) $product_id,
				'quantity' => (int) $qty,
				'name'     => $product->get_name(),
				'prices'   => array(
					'price'               => self::minor( $product->get_price() ),
					'currency_code'       => get_woocommerce_currency(),
					'currency_minor_unit' => wc_get_price_decimals(),
				),
			);
		}
		$methods = array_keys( WC()->payment_gateways()->get_available_payment_gateways() );
		$customer = WC()->customer;
		return array(
			'billing_address'  => array(
				'first_name' => $customer ? $customer->get_billing_first_name() : '',
				'last_name'  => $customer ? $customer->get_billing_last_name() : '',
				'country'    => $customer ? $customer->get_billing_country() : '',
				'email'      => $customer ? $customer->get_billing_email() : '',
				'phone'      => $customer ? $customer->get_billing_phone() : '',
			),
			'items'            => $items,
			'items_count'      => array_sum( WC()->cart->get_cart() ),
			'needs_payment'    => (float) WC()->cart->get_total( 'edit' ) > 0,
			'payment_methods'  => $methods,
			'totals'           => array(
				'total_items'         => self::minor( WC()->cart->get_total( 'edit' ) ),
				'total_price'         => self::minor( WC()->cart->get_total( 'edit' ) ),
				'total_tax'           => '0',
				'currency_code'       => get_woocommerce_currency(),
				'currency_symbol'     => html_entity_decode( get_woocommerce_currency_symbol() ),
				'currency_minor_unit' => wc_get_price_decimals(),
			),
		);
	}

	/**
	 * GET /cart.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public static function get_cart( WP_REST_Request $request ) {
		self::load_session( $request );
		return self::respond( new WP_REST_Response( self::cart_data(), 200 ) );
	}

	/**
	 * POST /cart/add-item {id, quantity}.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public static function add_item( WP_REST_Request $request ) {
		self::load_session( $request );
		$error = self::check_nonce( $request );
		if ( $error ) {
			return self::respond( $error );
		}
		$id  = absint( $request->get_param( 'id' ) );
		$qty = null === $request->get_param( 'quantity' ) ? 1 : absint( $request->get_param( 'quantity' ) );
		if ( ! WC()->cart->add_to_cart( $id, $qty ) ) {
			return self::respond( new WP_Error( 'woocommerce_rest_cart_invalid_product', __( 'This product cannot be added to the cart.', 'woocommerce' ), array( 'status' => 400 ) ) );
		}
		return self::respond( new WP_REST_Response( self::cart_data(), 201 ) );
	}

	/**
	 * POST /cart/update-customer {billing_address}: the customer's billing fields (the cart's payment methods follow).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public static function update_customer( WP_REST_Request $request ) {
		self::load_session( $request );
		$error = self::check_nonce( $request );
		if ( $error ) {
			return self::respond( $error );
		}
		$billing = (array) $request->get_param( 'billing_address' );
		foreach ( array( 'country', 'email', 'first_name', 'last_name', 'phone' ) as $field ) {
			if ( isset( $billing[ $field ] ) ) {
				WC()->customer->{'set_billing_' . $field}( 'email' === $field ? sanitize_email( (string) $billing[ $field ] ) : wc_clean( (string) $billing[ $field ] ) );
			}
		}
		return self::respond( new WP_REST_Response( self::cart_data(), 200 ) );
	}

	/**
	 * POST /checkout.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public static function checkout( WP_REST_Request $request ) {
		self::load_session( $request );
		$error = self::check_nonce( $request );
		if ( $error ) {
			return self::respond( $error );
		}
		try {
			return self::respond( self::process_checkout( $request ) );
		} catch ( WC_Standin_Route_Exception $e ) {
			return self::respond( new WP_Error( $e->error_code, $e->getMessage(), array( 'status' => $e->getCode() ) ) );
		}
	}

	/**
	 * The checkout itself.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 * @throws WC_Standin_Route_Exception On errors.
	 */
	protected static function process_checkout( WP_REST_Request $request ) {
		if ( WC()->cart->is_empty() ) {
			throw new WC_Standin_Route_Exception( 'woocommerce_rest_cart_empty', __( 'Cannot create order from empty cart.', 'woocommerce' ), 400 );
		}
		$billing = (array) $request->get_param( 'billing_address' );
		$email   = isset( $billing['email'] ) ? sanitize_email( (string) $billing['email'] ) : '';
		if ( ! is_email( $email ) ) {
			throw new WC_Standin_Route_Exception( 'rest_invalid_param', __( 'Invalid parameter(s): billing_address', 'woocommerce' ), 400 );
		}
		// Required billing fields (WooCommerce's address locale; a state only where WooCommerce lists states for the
		// country: of this project's countries, PK and EG, not KG).
		$required = array(
			'first_name' => __( 'First name', 'woocommerce' ),
			'last_name'  => __( 'Last name', 'woocommerce' ),
			'address_1'  => __( 'Street address', 'woocommerce' ),
			'city'       => __( 'Town / City', 'woocommerce' ),
			'country'    => __( 'Country / Region', 'woocommerce' ),
		);
		if ( in_array( strtoupper( (string) ( $billing['country'] ?? '' ) ), array( 'PK', 'EG' ), true ) ) {
			$required['state'] = __( 'State / County', 'woocommerce' );
		}
		$missing = array();
		foreach ( $required as $field => $label ) {
			if ( '' === trim( (string) ( $billing[ $field ] ?? '' ) ) ) {
				/* translators: %s: field label */
				$missing[] = sprintf( __( '%s is required', 'woocommerce' ), $label );
			}
		}
		if ( $missing ) {
			/* translators: %s: the problems */
			throw new WC_Standin_Route_Exception( 'woocommerce_rest_invalid_address', sprintf( __( 'There was a problem with the provided billing address: %s', 'woocommerce' ), implode( ', ', $missing ) ), 400 );
		}

		// Draft order: reuse while it is a draft, or pending/failed for the same cart.
		$draft_id = (int) WC()->session->get( 'store_api_draft_order', 0 );
		$order    = $draft_id ? wc_get_order( $draft_id ) : false;
		if ( ! ( $order instanceof WC_Order ) || ! ( $order->has_status( 'checkout-draft' ) || ( $order->needs_payment() && $order->has_cart_hash( WC()->cart->get_cart_hash() ) ) ) ) {
			$order = new WC_Order();
			$order->set_status( 'checkout-draft' );
			$order->set_created_via( 'store-api' );
			$order->set_currency( get_woocommerce_currency() );
			$order->set_customer_ip_address( isset( $_SERVER['REMOTE_ADDR'] ) ? sanitize_text_field( wp_unslash( $_SERVER['REMOTE_ADDR'] ) ) : '' );
			$order->set_customer_user_agent( isset( $_SERVER['HTTP_USER_AGENT'] ) ? sanitize_text_field( wp_unslash( $_SERVER['HTTP_USER_AGENT'] ) ) : '' );
		}
		WC()->cart->fill_order( $order );
		$fields = array( 'first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'state', 'postcode', 'country', 'email', 'phone' );
		foreach ( $fields as $field ) {
			if ( isset( $billing[ $field ] ) ) {
				$order->{'set_billing_' . $field}( wc_clean( (string) $billing[ $field ] ) );
			}
		}
		$order->set_customer_id( get_current_user_id() );
		// Like the Store API: the customer (session) takes the posted billing address before payment methods are checked.
		WC()->customer->set_billing_email( $order->get_billing_email() );
		WC()->customer->set_billing_country( $order->get_billing_country() );
		WC()->customer->set_billing_first_name( $order->get_billing_first_name() );
		WC()->customer->set_billing_last_name( $order->get_billing_last_name() );
		WC()->customer->set_billing_phone( $order->get_billing_phone() );
		if ( null !== $request->get_param( 'customer_note' ) ) {
			$order->set_customer_note( sanitize_textarea_field( (string) $request->get_param( 'customer_note' ) ) );
		}
		$order->save();
		WC()->session->set( 'store_api_draft_order', $order->get_id() );
		do_action( 'woocommerce_store_api_checkout_update_order_from_request', $order, $request );

		$method_id = sanitize_text_field( (string) $request->get_param( 'payment_method' ) );
		$all_ids   = array_keys( WC()->payment_gateways()->payment_gateways() );
		if ( '' !== $method_id && ! in_array( $method_id, $all_ids, true ) ) {
			// The route's schema enumerates every registered gateway.
			throw new WC_Standin_Route_Exception( 'rest_invalid_param', __( 'Invalid parameter(s): payment_method', 'woocommerce' ), 400 );
		}
		if ( $order->needs_payment() ) {
			if ( '' === $method_id ) {
				throw new WC_Standin_Route_Exception( 'woocommerce_rest_checkout_missing_payment_method', __( 'No payment method provided.', 'woocommerce' ), 400 );
			}
			$available = WC()->payment_gateways()->get_available_payment_gateways();
			if ( ! isset( $available[ $method_id ] ) ) {
				$all = WC()->payment_gateways()->payment_gateways();
				/* translators: %s: payment method title */
				throw new WC_Standin_Route_Exception( 'woocommerce_rest_checkout_payment_method_disabled', sprintf( __( '%s is not available for this order—please choose a different payment method', 'woocommerce' ), isset( $all[ $method_id ] ) ? $all[ $method_id ]->get_title() : $method_id ), 400 );
			}
			$order->set_payment_method( $available[ $method_id ] );
			$order->save();
		}
		do_action( 'woocommerce_store_api_checkout_order_processed', $order );

		$result = new WC_Standin_Payment_Result();
		if ( $order->needs_payment() ) {
			$order->update_status( 'pending' );
			$context = new WC_Standin_Payment_Context();
			$context->payment_method = $method_id;
			$context->order          = $order;
			foreach ( (array) $request->get_param( 'payment_data' ) as $entry ) {
				if ( is_array( $entry ) && isset( $entry['key'] ) ) {
					$context->payment_data[ sanitize_key( (string) $entry['key'] ) ] = (string) wc_clean( isset( $entry['value'] ) ? $entry['value'] : '' );
				}
			}
			try {
				do_action_ref_array( 'woocommerce_rest_checkout_process_payment_with_context', array( $context, &$result ) );
			} catch ( Exception $e ) {
				// Like CheckoutTrait::process_payment(): any exception, a validate_fields() notice included, becomes
				// woocommerce_rest_checkout_process_payment_error with the escaped message.
				throw new WC_Standin_Route_Exception( 'woocommerce_rest_checkout_process_payment_error', esc_html( $e->getMessage() ), 400 );
			}
		} else {
			$order->update_status( 'pending' );
			$order->payment_complete();
			$result->set_status( 'success' );
			$result->set_redirect_url( $order->get_checkout_order_received_url() );
		}

		$order   = wc_get_order( $order->get_id() );
		$details = array();
		foreach ( $result->payment_details as $key => $value ) {
			if ( is_scalar( $value ) ) {
				$details[] = array(
					'key'   => (string) $key,
					'value' => (string) $value,
				);
			}
		}
		$body  = array(
			'order_id'         => $order->get_id(),
			'status'           => $order->get_status(),
			'order_key'        => $order->get_order_key(),
			'customer_note'    => $order->get_customer_note(),
			'customer_id'      => $order->get_customer_id(),
			'billing_address'  => $order->get_address( 'billing' ),
			'payment_method'   => $order->get_payment_method(),
			'payment_result'   => array(
				'payment_status'  => $result->status,
				'payment_details' => $details,
				'redirect_url'    => $result->redirect_url,
			),
		);
		$codes = array(
			'error'   => 400,
			'failure' => 400,
			'success' => 200,
			'pending' => 202,
		);
		return new WP_REST_Response( $body, isset( $codes[ $result->status ] ) ? $codes[ $result->status ] : 200 );
	}

	/**
	 * The legacy payment handler (priority 999): see the file header.
	 *
	 * @param WC_Standin_Payment_Context $context Context.
	 * @param WC_Standin_Payment_Result  $result  Result.
	 * @throws WC_Standin_Route_Exception When validate_fields() adds error notices.
	 */
	public static function process_legacy_payment( $context, &$result ) {
		if ( $result->status ) {
			return;
		}
		$post_data = $_POST; // phpcs:ignore WordPress.Security.NonceVerification.Missing
		wc_maybe_define_constant( 'WOOCOMMERCE_CHECKOUT', true );
		$_POST   = $context->payment_data;
		$gateway = $context->get_payment_method_instance();
		if ( ! $gateway instanceof WC_Payment_Gateway ) {
			$_POST = $post_data;
			return;
		}
		$gateway->validate_fields();
		if ( wc_notice_count( 'error' ) > 0 ) {
			$errors = wc_get_notices( 'error' );
			wc_clear_notices();
			$_POST = $post_data;
			throw new WC_Standin_Route_Exception( 'woocommerce_rest_payment_error', wp_strip_all_tags( $errors[0]['notice'] ), 400 ); // Caught and re-coded by the caller.
		}
		wc_clear_notices();
		$gateway_result = $gateway->process_payment( $context->order->get_id() );
		$_POST          = $post_data;
		wc_clear_notices();
		$gateway_result = is_array( $gateway_result ) ? $gateway_result : array();
		$status         = isset( $gateway_result['result'] ) ? $gateway_result['result'] : 'failure';
		$result->set_status( in_array( $status, array( 'success', 'failure', 'pending', 'error' ), true ) ? $status : 'failure' );
		$result->set_payment_details( array_merge( $result->payment_details, $gateway_result ) );
		$result->set_redirect_url( isset( $gateway_result['redirect'] ) ? $gateway_result['redirect'] : '' );
	}
}

/**
 * A Store API error (RouteException model).
 */
class WC_Standin_Route_Exception extends Exception {
	/**
	 * Error code.
	 *
	 * @var string
	 */
	public $error_code;

	/**
	 * Constructor.
	 *
	 * @param string $error_code Code.
	 * @param string $message    Message.
	 * @param int    $http_code  HTTP status.
	 */
	public function __construct( $error_code, $message, $http_code = 400 ) {
		$this->error_code = $error_code;
		parent::__construct( $message, $http_code );
	}
}

WC_Standin_Store_API::init();
