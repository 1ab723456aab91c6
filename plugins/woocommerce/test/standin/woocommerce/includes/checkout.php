<?php
/**
 * Model of WooCommerce's classic (shortcode) checkout (WooCommerce 9.4.3 includes/class-wc-checkout.php,
 * class-wc-form-handler.php, class-wc-ajax.php, shortcodes/class-wc-shortcode-checkout.php, the checkout templates).
 *
 * Behaviour kept:
 * - [woocommerce_checkout] shows the form (billing fields, the available gateways as payment_method radios with each
 *   gateway's payment_fields() inside, the woocommerce-process-checkout-nonce field, and a place-order button named
 *   woocommerce_checkout_place_order); POSTs to ?wc-ajax=checkout answer JSON {result, redirect} or
 *   {result: failure, messages}; plain form POSTs (on wp_loaded) redirect to the result's URL or show the notices;
 * - processing: nonce (woocommerce-process_checkout), required billing fields, a valid email, the chosen gateway must
 *   be available ('Invalid payment method.'), then $gateway->validate_fields(); any error notice stops before an order
 *   exists; the order is created via 'checkout' (so wc_cancel_unpaid_orders may cancel it), or the session's
 *   order_awaiting_payment is reused when it is still pending/failed with the same cart hash; then process_payment();
 *   a 'success' result with a redirect is followed;
 * - order-received endpoint: empties the cart; an unknown order or a wrong key still shows the plain "Thank you. Your
 *   order has been received." text, with no details and no hooks; an order of a registered customer asks to log in
 *   unless that user is logged in; a guest order older than 10 minutes asks the shopper to verify its email unless the
 *   session's customer email matches (WooCommerce 8.4+); otherwise the thank-you details, then
 *   woocommerce_thankyou_{payment_method} and woocommerce_thankyou;
 * - order-pay endpoint with the key and without pay_for_order is the gateway's receipt page
 *   (woocommerce_receipt_{payment_method}) only while the order needs payment; otherwise "This order's status is
 *   “Processing”—it cannot be paid for."; with pay_for_order it lists the gateways to pay again.
 * - ?add-to-cart=<product id> on any page adds to the session cart.
 *
 * @package WooCommerceStandin
 */

defined( 'ABSPATH' ) || exit;

/**
 * Classic checkout (model).
 */
class WC_Standin_Checkout {

	/**
	 * Hooks.
	 */
	public static function init() {
		add_action( 'init', array( __CLASS__, 'start_front_session' ), 1 );
		add_shortcode( 'woocommerce_checkout', array( __CLASS__, 'shortcode' ) );
		add_action( 'wp_loaded', array( __CLASS__, 'handle_requests' ), 20 );
	}

	/**
	 * Front-end (and wc-ajax, and php-cli) requests get a session from the cookie; REST requests start theirs from Cart-Token.
	 */
	public static function start_front_session() {
		$uri = isset( $_SERVER['REQUEST_URI'] ) ? sanitize_text_field( wp_unslash( $_SERVER['REQUEST_URI'] ) ) : '';
		// WooCommerce's is_request( 'frontend' ): not admin (unless ajax), not cron, not REST; php-cli counts as front-end.
		if ( ( is_admin() && ! wp_doing_ajax() ) || wp_doing_cron() || false !== strpos( $uri, '/wp-json/' ) || isset( $_GET['rest_route'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended
			return;
		}
		if ( defined( 'WC_STANDIN_NO_FRONT_SESSION' ) ) {
			return;
		}
		WC()->initialize_session();
		WC()->session->set_cookie();
	}

	/**
	 * add-to-cart, wc-ajax=checkout and the classic POST.
	 */
	public static function handle_requests() {
		// phpcs:disable WordPress.Security.NonceVerification -- add-to-cart is nonce-less in WooCommerce too; checkout checks its nonce below.
		if ( ! WC()->session ) {
			return;
		}
		if ( isset( $_GET['add-to-cart'] ) ) {
			WC()->cart->add_to_cart( absint( $_GET['add-to-cart'] ), isset( $_GET['quantity'] ) ? max( 1, absint( $_GET['quantity'] ) ) : 1 );
		}
		$ajax = isset( $_GET['wc-ajax'] ) && 'checkout' === $_GET['wc-ajax'];
		if ( $ajax || ( 'POST' === ( isset( $_SERVER['REQUEST_METHOD'] ) ? $_SERVER['REQUEST_METHOD'] : '' ) && isset( $_POST['woocommerce_checkout_place_order'] ) ) ) {
			wc_maybe_define_constant( 'WOOCOMMERCE_CHECKOUT', true );
			$result = self::process_checkout();
			if ( $ajax ) {
				if ( 'success' !== $result['result'] ) {
					$result['messages'] = wc_print_notices( true );
				}
				wp_send_json( $result );
			}
			if ( 'success' === $result['result'] && ! empty( $result['redirect'] ) ) {
				wp_safe_redirect( $result['redirect'], 303, 'WooCommerce' );
				exit;
			}
		}
		// phpcs:enable
	}

	/**
	 * Posted value.
	 *
	 * @param string $key Key.
	 * @return string
	 */
	protected static function posted( $key ) {
		return isset( $_POST[ $key ] ) ? wc_clean( wp_unslash( $_POST[ $key ] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification.Missing, WordPress.Security.ValidatedSanitizedInput.InputNotSanitized
	}

	/**
	 * Billing fields: key => [label, required].
	 *
	 * @return array
	 */
	public static function billing_fields() {
		return apply_filters(
			'woocommerce_billing_fields',
			array(
				'billing_first_name' => array( 'label' => __( 'First name', 'woocommerce' ), 'required' => true ), // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing
				'billing_last_name'  => array( 'label' => __( 'Last name', 'woocommerce' ), 'required' => true ), // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing
				'billing_country'    => array( 'label' => __( 'Country / Region', 'woocommerce' ), 'required' => true ), // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing
				'billing_address_1'  => array( 'label' => __( 'Street address', 'woocommerce' ), 'required' => true ), // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing
				'billing_city'       => array( 'label' => __( 'Town / City', 'woocommerce' ), 'required' => true ), // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing
				'billing_state'      => array( 'label' => __( 'State / County', 'woocommerce' ), 'required' => false ), // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing
				'billing_phone'      => array( 'label' => __( 'Phone', 'woocommerce' ), 'required' => true ), // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing
				'billing_email'      => array( 'label' => __( 'Email address', 'woocommerce' ), 'required' => true ), // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing
			)
		);
	}

	/**
	 * Processes the classic checkout: see the file header.
	 *
	 * @return array result, redirect.
	 */
	public static function process_checkout() {
		$failure = array( 'result' => 'failure' );
		$nonce   = isset( $_POST['woocommerce-process-checkout-nonce'] ) ? sanitize_text_field( wp_unslash( $_POST['woocommerce-process-checkout-nonce'] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification.Missing
		if ( ! wp_verify_nonce( $nonce, 'woocommerce-process_checkout' ) ) {
			WC()->session->set( 'refresh_totals', true );
			wc_add_notice( __( 'We were unable to process your order, please try again.', 'woocommerce' ), 'error' );
			return $failure;
		}
		if ( WC()->cart->is_empty() ) {
			/* translators: %s: shop URL */
			wc_add_notice( sprintf( __( 'Sorry, your session has expired. <a href="%s" class="wc-backward">Return to shop</a>', 'woocommerce' ), esc_url( home_url( '/' ) ) ), 'error' );
			return $failure;
		}
		foreach ( self::billing_fields() as $key => $field ) {
			if ( ! empty( $field['required'] ) && '' === self::posted( $key ) ) {
				/* translators: %s: field name */
				wc_add_notice( sprintf( __( '%s is a required field.', 'woocommerce' ), '<strong>' . esc_html( 'Billing ' . $field['label'] ) . '</strong>' ), 'error', array( 'id' => $key ) );
			}
		}
		if ( in_array( strtoupper( self::posted( 'billing_country' ) ), array( 'PK', 'EG' ), true ) && '' === self::posted( 'billing_state' ) ) {
			// WooCommerce requires a state where it lists states for the country (PK and EG here, not KG).
			/* translators: %s: field name */
			wc_add_notice( sprintf( __( '%s is a required field.', 'woocommerce' ), '<strong>' . esc_html__( 'Billing State / County', 'woocommerce' ) . '</strong>' ), 'error', array( 'id' => 'billing_state' ) );
		}
		if ( '' !== self::posted( 'billing_email' ) && ! is_email( self::posted( 'billing_email' ) ) ) {
			/* translators: %s: field name */
			wc_add_notice( sprintf( __( '%s is not a valid email address.', 'woocommerce' ), '<strong>' . esc_html__( 'Billing Email address', 'woocommerce' ) . '</strong>' ), 'error', array( 'id' => 'billing_email' ) );
		}
		// Like WC_Checkout: the customer takes the posted billing fields before the payment method is checked.
		foreach ( array( 'country', 'email', 'first_name', 'last_name', 'phone' ) as $field ) {
			WC()->customer->{'set_billing_' . $field}( self::posted( 'billing_' . $field ) );
		}
		$available = WC()->payment_gateways()->get_available_payment_gateways();
		$method    = self::posted( 'payment_method' );
		$gateway   = isset( $available[ $method ] ) ? $available[ $method ] : null;
		if ( ! $gateway ) {
			wc_add_notice( __( 'Invalid payment method.', 'woocommerce' ), 'error' );
		} else {
			$gateway->validate_fields();
		}
		if ( wc_notice_count( 'error' ) > 0 ) {
			return $failure;
		}

		$order_id = absint( WC()->session->get( 'order_awaiting_payment' ) );
		$order    = $order_id ? wc_get_order( $order_id ) : false;
		if ( ! ( $order instanceof WC_Order ) || ! $order->has_cart_hash( WC()->cart->get_cart_hash() ) || ! $order->has_status( array( 'pending', 'failed' ) ) ) {
			$order = new WC_Order();
			$order->set_created_via( 'checkout' );
			$order->set_currency( get_woocommerce_currency() );
			$order->set_customer_ip_address( isset( $_SERVER['REMOTE_ADDR'] ) ? sanitize_text_field( wp_unslash( $_SERVER['REMOTE_ADDR'] ) ) : '' );
			$order->set_customer_user_agent( isset( $_SERVER['HTTP_USER_AGENT'] ) ? sanitize_text_field( wp_unslash( $_SERVER['HTTP_USER_AGENT'] ) ) : '' );
		}
		WC()->cart->fill_order( $order );
		foreach ( array_keys( self::billing_fields() ) as $key ) {
			$order->{'set_' . $key}( self::posted( $key ) );
		}
		$order->set_customer_id( get_current_user_id() );
		$order->set_payment_method( $gateway );
		$posted = wc_clean( wp_unslash( $_POST ) ); // phpcs:ignore WordPress.Security.NonceVerification.Missing -- verified above.
		do_action( 'woocommerce_checkout_create_order', $order, $posted );
		$order->save();
		do_action( 'woocommerce_checkout_update_order_meta', $order->get_id(), $posted );
		do_action( 'woocommerce_checkout_order_created', $order );
		do_action( 'woocommerce_checkout_order_processed', $order->get_id(), $posted, $order );

		if ( $order->needs_payment() ) {
			WC()->session->set( 'order_awaiting_payment', $order->get_id() );
			$result = $gateway->process_payment( $order->get_id() );
			if ( isset( $result['result'] ) && 'success' === $result['result'] ) {
				$result['order_id'] = $order->get_id();
				return apply_filters( 'woocommerce_payment_successful_result', $result, $order->get_id() );
			}
			if ( 0 === wc_notice_count( 'error' ) ) {
				wc_add_notice( __( 'There was an error processing your order. Please check for any charges in your payment method and review your order history before placing the order again.', 'woocommerce' ), 'error' );
			}
			return $failure;
		}
		$order->payment_complete();
		return array(
			'result'   => 'success',
			'redirect' => apply_filters( 'woocommerce_checkout_no_payment_needed_redirect', $order->get_checkout_order_received_url(), $order ),
		);
	}

	/**
	 * [woocommerce_checkout].
	 *
	 * @return string
	 */
	public static function shortcode() {
		global $wp;
		if ( isset( $wp->query_vars['order-received'] ) || isset( $wp->query_vars['order-pay'] ) ) {
			return self::render_endpoint();
		}
		ob_start();
		echo '<div class="woocommerce">';
		wc_print_notices();
		if ( ! WC()->cart || WC()->cart->is_empty() ) {
			echo '<p class="cart-empty woocommerce-info">' . esc_html__( 'Your cart is currently empty.', 'woocommerce' ) . '</p></div>';
			return (string) ob_get_clean();
		}
		echo '<form name="checkout" method="post" class="checkout woocommerce-checkout" action="' . esc_url( wc_get_checkout_url() ) . '">';
		echo '<div class="woocommerce-billing-fields"><h3>' . esc_html__( 'Billing details', 'woocommerce' ) . '</h3>';
		foreach ( self::billing_fields() as $key => $field ) {
			$type = 'billing_email' === $key ? 'email' : ( 'billing_phone' === $key ? 'tel' : 'text' );
			echo '<p class="form-row" id="' . esc_attr( $key ) . '_field"><label for="' . esc_attr( $key ) . '">' . esc_html( $field['label'] ) . '</label><input type="' . esc_attr( $type ) . '" class="input-text" name="' . esc_attr( $key ) . '" id="' . esc_attr( $key ) . '" value="' . esc_attr( self::posted( $key ) ) . '" /></p>';
		}
		echo '</div><h3 id="order_review_heading">' . esc_html__( 'Your order', 'woocommerce' ) . '</h3>';
		echo '<div id="order_review"><p class="order-total">' . esc_html__( 'Total', 'woocommerce' ) . ' ' . wp_kses_post( WC()->cart->get_total() ) . '</p>';
		self::payment_methods_html( WC()->payment_gateways()->get_available_payment_gateways() );
		wp_nonce_field( 'woocommerce-process_checkout', 'woocommerce-process-checkout-nonce' );
		echo '<button type="submit" class="button alt" name="woocommerce_checkout_place_order" id="place_order" value="' . esc_attr__( 'Place order', 'woocommerce' ) . '">' . esc_html__( 'Place order', 'woocommerce' ) . '</button>';
		echo '</div></form></div>';
		return (string) ob_get_clean();
	}

	/**
	 * The payment methods list (templates/checkout/payment.php, payment-method.php).
	 *
	 * @param WC_Payment_Gateway[] $gateways Gateways.
	 */
	public static function payment_methods_html( $gateways ) {
		echo '<div id="payment" class="woocommerce-checkout-payment"><ul class="wc_payment_methods payment_methods methods">';
		if ( ! $gateways ) {
			echo '<li class="woocommerce-notice woocommerce-notice--info woocommerce-info">' . esc_html__( 'Sorry, it seems that there are no available payment methods. Please contact us if you require assistance or wish to make alternate arrangements.', 'woocommerce' ) . '</li>';
		}
		$first = true;
		foreach ( $gateways as $gateway ) {
			$id = $gateway->id;
			echo '<li class="wc_payment_method payment_method_' . esc_attr( $id ) . '">';
			echo '<input id="payment_method_' . esc_attr( $id ) . '" type="radio" class="input-radio" name="payment_method" value="' . esc_attr( $id ) . '" ' . checked( $first, true, false ) . ' data-order_button_text="' . esc_attr( (string) $gateway->order_button_text ) . '" />';
			echo '<label for="payment_method_' . esc_attr( $id ) . '">' . wp_kses_post( $gateway->get_title() ) . ' ' . wp_kses_post( $gateway->get_icon() ) . '</label>';
			if ( $gateway->has_fields() || $gateway->get_description() ) {
				echo '<div class="payment_box payment_method_' . esc_attr( $id ) . '">';
				$gateway->payment_fields();
				echo '</div>';
			}
			echo '</li>';
			$first = false;
		}
		echo '</ul></div>';
	}

	/**
	 * Whether a guest must verify the order's email (WooCommerce 8.4+ Users::should_user_verify_order_email): not when
	 * the order has no billing email, within 10 minutes of its creation (filter
	 * woocommerce_order_email_verification_grace_period), when the session's customer email matches, or after a
	 * verified submission of the matching email.
	 *
	 * @param WC_Order $order Order.
	 * @return bool
	 */
	protected static function guest_should_verify_email( $order ) {
		$billing = $order->get_billing_email();
		if ( '' === $billing ) {
			return false;
		}
		if ( $order->get_customer_id() && get_current_user_id() === $order->get_customer_id() ) {
			return false;
		}
		$grace   = (int) apply_filters( 'woocommerce_order_email_verification_grace_period', 10 * MINUTE_IN_SECONDS, $order, 'order-received' );
		$created = $order->get_date_created();
		if ( $created && time() - $created->getTimestamp() <= $grace ) {
			return false;
		}
		$customer = WC()->session ? (array) WC()->session->get( 'customer', array() ) : array();
		if ( isset( $customer['email'] ) && strtolower( (string) $customer['email'] ) === strtolower( $billing ) ) {
			return false;
		}
		$nonce = isset( $_POST['check_submission'] ) ? sanitize_text_field( wp_unslash( $_POST['check_submission'] ) ) : '';
		if ( $nonce && wp_verify_nonce( $nonce, 'wc_verify_email' ) && isset( $_POST['email'] ) && strtolower( sanitize_email( wp_unslash( $_POST['email'] ) ) ) === strtolower( $billing ) ) {
			return false;
		}
		return true;
	}

	/**
	 * order-received and order-pay.
	 *
	 * @return string
	 */
	public static function render_endpoint() {
		global $wp;
		$key = isset( $_GET['key'] ) ? wc_clean( wp_unslash( $_GET['key'] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification.Recommended
		ob_start();
		echo '<div class="woocommerce">';
		if ( isset( $wp->query_vars['order-received'] ) ) {
			$order_id = absint( $wp->query_vars['order-received'] );
			$order    = $order_id ? wc_get_order( $order_id ) : false;
			if ( ! $order instanceof WC_Order || ! hash_equals( $order->get_order_key(), (string) $key ) ) {
				$order = false;
			}
			if ( WC()->session ) {
				WC()->session->set( 'order_awaiting_payment', false );
			}
			if ( WC()->cart ) {
				WC()->cart->empty_cart();
			}
			$received = '<p class="woocommerce-notice woocommerce-notice--success woocommerce-thankyou-order-received">' . esc_html( apply_filters( 'woocommerce_thankyou_order_received_text', __( 'Thank you. Your order has been received.', 'woocommerce' ), $order ) ) . '</p>';
			if ( ! $order ) {
				// Like WooCommerce: an unknown order or a wrong key still gets the plain "received" text, no details.
				echo $received . '</div>'; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped above.
				return (string) ob_get_clean();
			}
			if ( apply_filters( 'woocommerce_order_received_verify_known_shoppers', true ) && $order->get_customer_id() && get_current_user_id() !== $order->get_customer_id() ) {
				echo $received . '<div class="woocommerce-info">' . esc_html__( 'Please log in to your account to view this order.', 'woocommerce' ) . '</div></div>'; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
				return (string) ob_get_clean();
			}
			if ( self::guest_should_verify_email( $order ) ) {
				echo $received; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
				echo '<form method="post" class="woocommerce-form woocommerce-verify-email"><p>' . esc_html__( 'To view this page, you must either login or verify the email address associated with the order.', 'woocommerce' ) . '</p>';
				echo '<p><label for="email">' . esc_html__( 'Email address', 'woocommerce' ) . '</label><input type="email" name="email" id="email" /></p>';
				wp_nonce_field( 'wc_verify_email', 'check_submission' );
				echo '<p><button type="submit" class="button">' . esc_html__( 'Verify', 'woocommerce' ) . '</button></p></form></div>';
				return (string) ob_get_clean();
			}
			echo '<div class="woocommerce-order">';
			if ( $order->has_status( 'failed' ) ) {
				echo '<p class="woocommerce-notice woocommerce-notice--error woocommerce-thankyou-order-failed">' . esc_html__( 'Unfortunately your order cannot be processed as the originating bank/merchant has declined your transaction. Please attempt your purchase again.', 'woocommerce' ) . '</p>';
				echo '<p><a href="' . esc_url( $order->get_checkout_payment_url() ) . '" class="button pay">' . esc_html__( 'Pay', 'woocommerce' ) . '</a></p>';
			} else {
				echo '<p class="woocommerce-notice woocommerce-notice--success woocommerce-thankyou-order-received">' . esc_html( apply_filters( 'woocommerce_thankyou_order_received_text', __( 'Thank you. Your order has been received.', 'woocommerce' ), $order ) ) . '</p>';
				echo '<ul class="woocommerce-order-overview order_details">';
				echo '<li class="woocommerce-order-overview__order order">' . esc_html__( 'Order number:', 'woocommerce' ) . ' <strong>' . esc_html( $order->get_order_number() ) . '</strong></li>';
				echo '<li class="woocommerce-order-overview__total total">' . esc_html__( 'Total:', 'woocommerce' ) . ' <strong>' . wp_kses_post( $order->get_formatted_order_total() ) . '</strong></li>';
				echo '<li class="woocommerce-order-overview__payment-method method">' . esc_html__( 'Payment method:', 'woocommerce' ) . ' <strong>' . wp_kses_post( $order->get_payment_method_title() ) . '</strong></li>';
				echo '</ul>';
			}
			do_action( 'woocommerce_thankyou_' . $order->get_payment_method(), $order->get_id() );
			do_action( 'woocommerce_thankyou', $order->get_id() );
			echo '</div></div>';
			return (string) ob_get_clean();
		}
		$order_id = absint( $wp->query_vars['order-pay'] );
		$order    = $order_id ? wc_get_order( $order_id ) : false;
		if ( ! $order instanceof WC_Order || ! $order->key_is_valid( $key ) ) {
			echo '<ul class="woocommerce-error" role="alert"><li>' . esc_html__( 'Sorry, this order is invalid and cannot be paid for.', 'woocommerce' ) . '</li></ul></div>';
			return (string) ob_get_clean();
		}
		if ( isset( $_GET['pay_for_order'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended
			if ( ! $order->needs_payment() ) {
				/* translators: %s: order status */
				echo '<ul class="woocommerce-error" role="alert"><li>' . wp_kses_post( sprintf( __( 'This order&rsquo;s status is &ldquo;%s&rdquo;&mdash;it cannot be paid for. Please contact us if you need assistance.', 'woocommerce' ), esc_html( wc_get_order_status_name( $order->get_status() ) ) ) ) . '</li></ul></div>';
				return (string) ob_get_clean();
			}
			echo '<p>' . esc_html__( 'Total:', 'woocommerce' ) . ' ' . wp_kses_post( $order->get_formatted_order_total() ) . '</p>';
			self::payment_methods_html( WC()->payment_gateways()->get_available_payment_gateways() );
			echo '</div>';
			return (string) ob_get_clean();
		}
		if ( ! $order->needs_payment() ) {
			/* translators: %s: order status */
			echo '<ul class="woocommerce-error" role="alert"><li>' . wp_kses_post( sprintf( __( 'This order&rsquo;s status is &ldquo;%s&rdquo;&mdash;it cannot be paid for. Please contact us if you need assistance.', 'woocommerce' ), esc_html( wc_get_order_status_name( $order->get_status() ) ) ) ) . '</li></ul></div>';
			return (string) ob_get_clean();
		}
		echo '<ul class="order_details"><li class="order">' . esc_html__( 'Order number:', 'woocommerce' ) . ' <strong>' . esc_html( $order->get_order_number() ) . '</strong></li>';
		echo '<li class="total">' . esc_html__( 'Total:', 'woocommerce' ) . ' <strong>' . wp_kses_post( $order->get_formatted_order_total() ) . '</strong></li></ul>';
		do_action( 'woocommerce_receipt_' . $order->get_payment_method(), $order->get_id() );
		echo '</div>';
		return (string) ob_get_clean();
	}
}

WC_Standin_Checkout::init();
