<?php
/**
 * Orders and their payments at the service: create, follow (events and the fallback job), refund.
 *
 * Order data lives in order meta written through the CRUD API (update_meta_data + save), so it works
 * with HPOS and with posts storage alike.
 *
 * @package Xpay_Connect
 */

defined( 'ABSPATH' ) || exit;

/**
 * What the plugin does to orders.
 */
final class Xpay_Connect_Orders {

	/** Action Scheduler hook of the fallback status check. */
	const CHECK_HOOK = 'xpay_connect_check_payment';

	/** Action Scheduler group. */
	const GROUP = 'xpay-connect';

	/** Payment statuses that are still open at the gateway. */
	const OPEN = array( 'pending', 'requires_action', 'authorized' );

	/** Payment statuses that mean the money was taken. */
	const PAID = array( 'succeeded', 'partially_refunded', 'refunded', 'reversed' );

	/** Unpaid final statuses. */
	const UNPAID_FINAL = array( 'failed', 'canceled', 'expired' );

	/** Seconds before the first fallback check, and the longest wait between two. */
	const FIRST_CHECK = 300;
	const MAX_CHECK   = 21600;

	/**
	 * Whether an order was paid with one of our methods.
	 *
	 * @param WC_Order $order Order.
	 * @return bool
	 */
	public static function is_ours( $order ): bool {
		return $order instanceof WC_Order && null !== Xpay_Connect_Methods::get( (string) $order->get_payment_method() );
	}

	/**
	 * An amount as a decimal string with the store's decimals, from WooCommerce's own string (no float maths).
	 *
	 * @param mixed $value Amount as WooCommerce keeps it ("1500", "1500.5", 1500.5).
	 * @param int   $dp    Decimals.
	 * @return string
	 */
	public static function money( $value, int $dp ): string {
		$text = is_string( $value ) ? trim( $value ) : wc_format_decimal( $value, $dp );
		if ( ! preg_match( '/^(\d*)(?:\.(\d*))?$/', (string) $text, $m ) ) {
			$text = wc_format_decimal( (string) $value, $dp );
			preg_match( '/^(\d*)(?:\.(\d*))?$/', (string) $text, $m );
		}
		$int  = ltrim( $m[1] ?? '', '0' );
		$int  = '' === $int ? '0' : $int;
		$frac = $m[2] ?? '';
		if ( strlen( $frac ) > $dp ) {
			// Round half up on the digits, as WooCommerce's own rounding does for stored totals.
			$scaled = $int . substr( $frac, 0, $dp );
			if ( (int) $frac[ $dp ] >= 5 ) {
				$scaled = self::add_one( $scaled );
			}
			$int  = $dp ? substr( $scaled, 0, -$dp ) : $scaled;
			$int  = '' === $int ? '0' : $int;
			$frac = $dp ? substr( $scaled, -$dp ) : '';
		}
		$frac = str_pad( $frac, $dp, '0' );
		return $dp ? $int . '.' . $frac : $int;
	}

	/**
	 * Adds one to a string of digits.
	 *
	 * @param string $digits Digits.
	 * @return string
	 */
	private static function add_one( string $digits ): string {
		$i = strlen( $digits ) - 1;
		while ( $i >= 0 && '9' === $digits[ $i ] ) {
			$digits[ $i ] = '0';
			--$i;
		}
		return $i < 0 ? '1' . $digits : substr_replace( $digits, (string) ( (int) $digits[ $i ] + 1 ), $i, 1 );
	}

	/**
	 * A decimal string in ten-thousandths (integers compare exactly).
	 *
	 * @param mixed $amount Decimal string.
	 * @return int
	 */
	public static function minor( $amount ): int {
		$text = self::money( is_string( $amount ) ? $amount : (string) wc_format_decimal( $amount, 4 ), 4 );
		return (int) str_replace( '.', '', $text );
	}

	/**
	 * The order total as the decimal string the service takes.
	 *
	 * @param WC_Order $order Order.
	 * @return string
	 */
	public static function order_amount( $order ): string {
		return self::money( $order->get_total( 'edit' ), wc_get_price_decimals() );
	}

	/**
	 * Creates (or continues) the order's payment. Answers the payment, or a WP_Error.
	 *
	 * @param WC_Order             $order  Order.
	 * @param array<string, mixed> $method methods.json entry.
	 * @param string               $wallet Normalised wallet number, or ''.
	 * @return array<string, mixed>|WP_Error
	 */
	public static function create_payment( $order, array $method, string $wallet = '' ) {
		$client = Xpay_Connect_Client::from_settings();
		if ( ! $client->is_configured() ) {
			return new WP_Error( 'xpay_connect_not_configured', __( 'This payment method is not available right now.', 'xpay-connect-woocommerce' ) );
		}
		$attempt  = max( 1, (int) $order->get_meta( '_xpay_attempt' ) );
		$previous = (string) $order->get_meta( '_xpay_payment_id' );
		$known    = (string) $order->get_meta( '_xpay_payment_status' );
		if ( '' !== $previous && in_array( $known, self::OPEN, true ) ) {
			// The shopper is back: the earlier payment may have failed without our hearing of it yet.
			$current = $client->get( '/v1/payments/' . rawurlencode( $previous ) );
			if ( ! is_wp_error( $current ) && isset( $current['status'] ) ) {
				$known = (string) $current['status'];
				$order->update_meta_data( '_xpay_payment_status', $known );
			}
		}
		if ( '' !== $previous && in_array( $known, self::OPEN, true ) && (string) $order->get_meta( '_xpay_method' ) !== (string) $method['id'] ) {
			// The shopper came back and chose another method: the earlier payment is cancelled at the service first.
			$switched = self::cancel_for_switch( $order, $client, $previous, $method );
			if ( is_wp_error( $switched ) || in_array( (string) ( $switched['status'] ?? '' ), self::PAID, true ) ) {
				return $switched;
			}
			$known = (string) ( $switched['status'] ?? 'canceled' );
		}
		if ( in_array( $known, array_merge( self::UNPAID_FINAL, array( 'declined' ) ), true ) ) {
			++$attempt;
		}
		$name     = trim( $order->get_billing_first_name() . ' ' . $order->get_billing_last_name() );
		$customer = array( 'name' => '' !== $name ? $name : __( 'Customer', 'xpay-connect-woocommerce' ) );
		if ( '' !== (string) $order->get_billing_email() ) {
			$customer['email'] = (string) $order->get_billing_email();
		}
		$phone = '' !== $wallet ? $wallet : (string) $order->get_billing_phone();
		if ( '' !== $phone ) {
			$customer['phone'] = $phone;
		}
		$body = array(
			'gateway'    => (string) $method['gateway'],
			'method'     => (string) $method['method'],
			'order_ref'  => (string) $order->get_id(),
			'amount'     => self::order_amount( $order ),
			'currency'   => (string) $order->get_currency(),
			'customer'   => $customer,
			'return_url' => $order->get_checkout_order_received_url(),
			'metadata'   => array(
				'wc_order_id'  => (string) $order->get_id(),
				'wc_order_key' => (string) $order->get_order_key(),
			),
		);

		$answer = $client->post( '/v1/payments', $body, self::idempotency_key( $order, $attempt ) );
		if ( is_wp_error( $answer ) && 'idempotency_key_reused' === $answer->get_error_code() ) {
			// The order changed since that attempt (another method or total): a new attempt.
			++$attempt;
			$answer = $client->post( '/v1/payments', $body, self::idempotency_key( $order, $attempt ) );
		}
		$order->update_meta_data( '_xpay_attempt', (string) $attempt );
		if ( is_wp_error( $answer ) ) {
			$code    = $answer->get_error_code();
			$data    = (array) $answer->get_error_data();
			$error   = isset( $data['error'] ) && is_array( $data['error'] ) ? $data['error'] : array();
			$payment = isset( $error['payment'] ) && is_array( $error['payment'] ) ? $error['payment'] : null;
			if ( null !== $payment && in_array( $code, array( 'order_has_open_payment', 'order_already_paid' ), true ) ) {
				// Continue with the payment the service already has for this order.
				$answer = $payment;
			} else {
				if ( 402 === (int) ( $data['status'] ?? 0 ) ) {
					$order->update_meta_data( '_xpay_payment_status', 'declined' );
					if ( null !== $payment && isset( $payment['id'] ) ) {
						$order->update_meta_data( '_xpay_payment_id', (string) $payment['id'] );
					}
					$order->add_order_note(
						sprintf(
							/* translators: 1: gateway, 2: the service's message. */
							__( 'xpay-connect: %1$s declined the payment: %2$s', 'xpay-connect-woocommerce' ),
							(string) $method['gateway'],
							$answer->get_error_message()
						)
					);
				}
				$order->save();
				return $answer;
			}
		}
		self::remember_payment( $order, $answer, (string) $method['id'] );
		$order->save();

		$action = isset( $answer['next_action'] ) && is_array( $answer['next_action'] ) ? $answer['next_action'] : array();
		if ( in_array( (string) ( $answer['status'] ?? '' ), self::PAID, true ) ) {
			self::apply_payment( $order, $answer );
		} elseif ( 'kiosk' === ( $action['type'] ?? '' ) && $order->has_status( array( 'pending', 'failed' ) ) ) {
			$order->update_status(
				'on-hold',
				sprintf(
					/* translators: 1: gateway, 2: bill reference. */
					__( 'xpay-connect: waiting for the shopper to pay bill %2$s at %1$s.', 'xpay-connect-woocommerce' ),
					(string) $method['gateway'],
					(string) ( $action['billReference'] ?? '' )
				)
			);
		}
		self::schedule_check( $order, self::FIRST_CHECK );
		return $answer;
	}

	/**
	 * Cancels the order's open payment at the service because the shopper chose another method. The
	 * payment is marked replaced first, so its `payment.canceled` event never cancels the order. When the
	 * service answers that it was paid meanwhile, that payment is applied (the order is paid) and returned.
	 *
	 * @param WC_Order             $order    Order.
	 * @param Xpay_Connect_Client  $client   Service client.
	 * @param string               $previous The open payment's id.
	 * @param array<string, mixed> $method   The newly chosen methods.json entry.
	 * @return array<string, mixed>|WP_Error The earlier payment as it is now, or why it could not be cancelled.
	 */
	private static function cancel_for_switch( $order, $client, string $previous, array $method ) {
		$order->update_meta_data( '_xpay_replaced_payment', $previous );
		$order->save();
		$answer = $client->post( '/v1/payments/' . rawurlencode( $previous ) . '/cancel', array( 'reason' => 'the shopper chose ' . (string) $method['id'] ) );
		if ( is_wp_error( $answer ) ) {
			$data    = (array) $answer->get_error_data();
			$error   = isset( $data['error'] ) && is_array( $data['error'] ) ? $data['error'] : array();
			$payment = isset( $error['payment'] ) && is_array( $error['payment'] ) ? $error['payment'] : null;
			$order->delete_meta_data( '_xpay_replaced_payment' );
			$order->save();
			if ( null !== $payment && 'payment_already_paid' === $answer->get_error_code() ) {
				// Paid with the method chosen first: the order says so again.
				$paid_with = Xpay_Connect_Plugin::gateways()[ (string) $order->get_meta( '_xpay_method' ) ] ?? null;
				if ( null !== $paid_with ) {
					$order->set_payment_method( $paid_with );
					$order->save();
				}
				self::apply_payment( $order, $payment );
				return $payment;
			}
			return new WP_Error( 'xpay_connect_switch_failed', __( 'Your earlier payment for this order could not be stopped. Try again in a moment, or complete it with the method you chose first.', 'xpay-connect-woocommerce' ), $data );
		}
		$order->add_order_note(
			sprintf(
				/* translators: 1: payment id, 2: payment method name. */
				__( 'xpay-connect: the shopper chose %2$s instead; payment %1$s was cancelled at the service. If it is paid anyway, the order is put on hold with a note.', 'xpay-connect-woocommerce' ),
				$previous,
				(string) $method['title']
			)
		);
		$order->update_meta_data( '_xpay_payment_status', (string) ( $answer['status'] ?? 'canceled' ) );
		return $answer;
	}

	/**
	 * The Idempotency-Key of an order attempt.
	 *
	 * @param WC_Order $order   Order.
	 * @param int      $attempt Attempt number.
	 * @return string
	 */
	public static function idempotency_key( $order, int $attempt ): string {
		return 'wc-' . $order->get_id() . '-' . $attempt;
	}

	/**
	 * Keeps what the service said about the order's payment in its meta (the caller saves).
	 *
	 * @param WC_Order             $order     Order.
	 * @param array<string, mixed> $payment   The payment.
	 * @param string               $method_id Gateway id.
	 */
	private static function remember_payment( $order, array $payment, string $method_id ): void {
		$order->update_meta_data( '_xpay_payment_id', (string) ( $payment['id'] ?? '' ) );
		$order->update_meta_data( '_xpay_payment_status', (string) ( $payment['status'] ?? '' ) );
		$order->update_meta_data( '_xpay_method', $method_id );
		if ( ! empty( $payment['gateway_ref'] ) ) {
			$order->update_meta_data( '_xpay_gateway_ref', (string) $payment['gateway_ref'] );
		}
		$action = isset( $payment['next_action'] ) && is_array( $payment['next_action'] ) ? $payment['next_action'] : null;
		if ( null !== $action ) {
			$order->update_meta_data( '_xpay_next_action', wp_json_encode( $action ) );
			if ( 'kiosk' === ( $action['type'] ?? '' ) && isset( $action['billReference'] ) ) {
				$order->update_meta_data( '_xpay_bill_reference', (string) $action['billReference'] );
			}
		}
	}

	/**
	 * Where process_payment sends the shopper for a payment.
	 *
	 * @param WC_Order             $order   Order.
	 * @param array<string, mixed> $payment Payment.
	 * @return string
	 */
	public static function next_url( $order, array $payment ): string {
		$action = isset( $payment['next_action'] ) && is_array( $payment['next_action'] ) ? $payment['next_action'] : array();
		$type   = (string) ( $action['type'] ?? '' );
		if ( in_array( (string) ( $payment['status'] ?? '' ), self::OPEN, true ) ) {
			if ( in_array( $type, array( 'redirect', 'iframe' ), true ) && ! empty( $action['url'] ) && Xpay_Connect_Client::is_http_url( (string) $action['url'] ) ) {
				return (string) $action['url'];
			}
			if ( 'qr' === $type ) {
				return $order->get_checkout_payment_url( true );
			}
		}
		return $order->get_checkout_order_received_url();
	}

	/**
	 * A message for the shopper from a failed create (never the raw field path for a bad request).
	 *
	 * @param WP_Error $error Error.
	 * @return string
	 */
	public static function shopper_message( WP_Error $error ): string {
		$data  = (array) $error->get_error_data();
		$field = (string) ( $data['field'] ?? '' );
		switch ( $error->get_error_code() ) {
			case 'idempotency_in_progress':
				return __( 'Your payment is still being set up. Please wait a moment and try again.', 'xpay-connect-woocommerce' );
			case 'xpay_connect_unreachable':
			case 'xpay_connect_not_configured':
				return __( 'This payment method is not available right now. Please try again or choose another one.', 'xpay-connect-woocommerce' );
		}
		if ( 'customer.phone' === $field ) {
			return __( 'Please enter a valid mobile number in your billing details: this payment method needs it.', 'xpay-connect-woocommerce' );
		}
		if ( 'customer.name' === $field ) {
			return __( 'Please enter your first and last name in English letters in your billing details: this payment method needs them.', 'xpay-connect-woocommerce' );
		}
		if ( 'customer.email' === $field ) {
			return __( 'Please check your email address.', 'xpay-connect-woocommerce' );
		}
		if ( 402 === (int) ( $data['status'] ?? 0 ) ) {
			return __( 'The payment was declined. Please try again or choose another payment method.', 'xpay-connect-woocommerce' );
		}
		return __( 'The payment could not be started. Please try again or choose another payment method.', 'xpay-connect-woocommerce' );
	}

	/**
	 * Refunds through the service (called from the gateway's process_refund).
	 *
	 * @param WC_Order $order  Order.
	 * @param mixed    $amount Amount WooCommerce refunds.
	 * @param string   $reason Reason.
	 * @return bool|WP_Error
	 */
	public static function refund( $order, $amount, string $reason ) {
		$payment_id = (string) $order->get_meta( '_xpay_payment_id' );
		if ( '' === $payment_id ) {
			return new WP_Error( 'xpay_connect_no_payment', __( 'This order has no xpay-connect payment to refund.', 'xpay-connect-woocommerce' ) );
		}
		if ( null === $amount || '' === $amount ) {
			return new WP_Error( 'xpay_connect_refund_amount', __( 'Enter the amount to refund.', 'xpay-connect-woocommerce' ) );
		}
		$text = self::money( is_string( $amount ) ? $amount : wc_format_decimal( $amount, wc_get_price_decimals() ), wc_get_price_decimals() );
		if ( self::minor( $text ) <= 0 ) {
			return new WP_Error( 'xpay_connect_refund_amount', __( 'Enter the amount to refund.', 'xpay-connect-woocommerce' ) );
		}
		// One key per refund: what the service had refunded before it, and its amount. A retry of a refund whose
		// answer was lost (WooCommerce deletes its record and the owner tries again) replays it instead of
		// refunding twice; the next refund starts from the new total, so it gets a key of its own.
		$before = (string) $order->get_meta( '_xpay_refunded_amount' );
		$failed = (int) $order->get_meta( '_xpay_refund_failures' );
		$key    = 'wc-refund-' . $order->get_id() . '-' . self::minor( '' !== $before ? $before : '0' ) . '-' . self::minor( $text ) . ( $failed ? '-' . $failed : '' );
		$body   = array( 'amount' => $text );
		if ( '' !== $reason ) {
			$body['reason'] = mb_substr( $reason, 0, 255 );
		}
		$answer = Xpay_Connect_Client::from_settings()->post( '/v1/payments/' . rawurlencode( $payment_id ) . '/refunds', $body, $key );
		$refund = ! is_wp_error( $answer ) && isset( $answer['refund'] ) && is_array( $answer['refund'] ) ? $answer['refund'] : array();
		$status = is_wp_error( $answer ) ? (int) ( ( (array) $answer->get_error_data() )['status'] ?? 0 ) : 0;
		if ( 'failed' === ( $refund['status'] ?? '' ) || ( $status >= 400 && 409 !== $status ) ) {
			// A definite refusal: the owner's next try is a new refund (a lost answer, status 0, keeps its key).
			$order->update_meta_data( '_xpay_refund_failures', (string) ( $failed + 1 ) );
			$order->save();
		}
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		if ( 'failed' === ( $refund['status'] ?? '' ) ) {
			return new WP_Error( 'xpay_connect_refund_failed', (string) ( $refund['error'] ?? __( 'The gateway refused the refund.', 'xpay-connect-woocommerce' ) ) );
		}
		$ids   = array_filter( explode( ',', (string) $order->get_meta( '_xpay_refund_ids' ) ) );
		$ids[] = (string) ( $refund['id'] ?? '' );
		$order->update_meta_data( '_xpay_refund_ids', implode( ',', array_filter( $ids ) ) );
		if ( isset( $answer['status'] ) ) {
			$order->update_meta_data( '_xpay_payment_status', (string) $answer['status'] );
		}
		if ( isset( $answer['refunded_amount'] ) ) {
			$order->update_meta_data( '_xpay_refunded_amount', (string) $answer['refunded_amount'] );
		}
		$order->add_order_note(
			sprintf(
				/* translators: 1: amount, 2: gateway, 3: refund id, 4: refund status. */
				__( 'xpay-connect: refund of %1$s sent to %2$s (%3$s, %4$s).', 'xpay-connect-woocommerce' ),
				$text,
				(string) ( $answer['gateway'] ?? '' ),
				(string) ( $refund['id'] ?? '' ),
				(string) ( $refund['status'] ?? '' )
			)
		);
		$order->save();
		return true;
	}

	/**
	 * Finds the order of a payment: by the stored payment id (HPOS-safe), else by the metadata's order id
	 * when that order carries the same order key.
	 *
	 * @param array<string, mixed> $payment Payment.
	 * @return WC_Order|null
	 */
	public static function find_order( array $payment ) {
		$id = (string) ( $payment['id'] ?? '' );
		if ( '' !== $id ) {
			// meta_key/meta_value work on both order stores (HPOS maps them to its meta query; the posts store
			// passes them to WP_Query, and refuses meta_query since WooCommerce 9.2).
			$orders = wc_get_orders(
				array(
					'limit'      => 1,
					'type'       => 'shop_order',
					'meta_key'   => '_xpay_payment_id', // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_key -- the HPOS-safe lookup.
					'meta_value' => $id, // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_value
				)
			);
			// Never trust a store that ignored the filter: the order must carry this payment.
			if ( $orders && $orders[0] instanceof WC_Order && (string) $orders[0]->get_meta( '_xpay_payment_id' ) === $id ) {
				return $orders[0];
			}
		}
		$meta = isset( $payment['metadata'] ) && is_array( $payment['metadata'] ) ? $payment['metadata'] : array();
		if ( isset( $meta['wc_order_id'], $meta['wc_order_key'] ) ) {
			$order = wc_get_order( absint( $meta['wc_order_id'] ) );
			if ( $order instanceof WC_Order && hash_equals( (string) $order->get_order_key(), (string) $meta['wc_order_key'] ) ) {
				return $order;
			}
		}
		return null;
	}

	/**
	 * Takes a short lock on an order (events and the fallback job may arrive together).
	 *
	 * @param int $order_id Order id.
	 * @return bool
	 */
	private static function lock( int $order_id ): bool {
		global $wpdb;
		$name = 'xpay_connect_lock_' . $order_id;
		// INSERT IGNORE is atomic across requests (add_option is not: it upserts).
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name = %s AND option_value < %d", $name, time() - 60 ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		return 1 === (int) $wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, 'no')", $name, (string) time() ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	}

	/**
	 * Releases an order lock.
	 *
	 * @param int $order_id Order id.
	 */
	private static function unlock( int $order_id ): void {
		global $wpdb;
		$wpdb->delete( $wpdb->options, array( 'option_name' => 'xpay_connect_lock_' . $order_id ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	}

	/**
	 * Applies what the service says about a payment to its order. `$event` is the storefront event
	 * (type, recall, attention) when one brought it. Answers false when the order was busy (try again).
	 *
	 * @param WC_Order             $order   Order.
	 * @param array<string, mixed> $payment Payment.
	 * @param array<string, mixed> $event   Event envelope, or empty.
	 * @return bool
	 */
	public static function apply_payment( $order, array $payment, array $event = array() ): bool {
		$order_id = (int) $order->get_id();
		if ( ! self::lock( $order_id ) ) {
			return false;
		}
		try {
			$order = wc_get_order( $order_id ); // Fresh, inside the lock.
			if ( ! $order ) {
				return true;
			}
			self::apply_locked( $order, $payment, $event );
		} finally {
			self::unlock( $order_id );
		}
		return true;
	}

	/**
	 * The mapping, under the order's lock.
	 *
	 * @param WC_Order             $order   Order.
	 * @param array<string, mixed> $payment Payment.
	 * @param array<string, mixed> $event   Event.
	 */
	private static function apply_locked( $order, array $payment, array $event ): void {
		$status  = (string) ( $payment['status'] ?? '' );
		$gateway = (string) ( $payment['gateway'] ?? '' );
		$ref     = (string) ( $payment['gateway_ref'] ?? '' );
		$pid     = (string) ( $payment['id'] ?? '' );
		$current = (string) $order->get_meta( '_xpay_payment_id' );
		// A payment cancelled because the shopper chose another method is not the order's current payment, even before the next one is stored.
		$is_cur  = ( '' === $current || $current === $pid ) && (string) $order->get_meta( '_xpay_replaced_payment' ) !== $pid;
		$name    = sprintf( '%s %s', $gateway, '' !== $ref ? $ref : $pid );

		if ( $is_cur ) {
			$order->update_meta_data( '_xpay_payment_status', $status );
			if ( '' !== $ref ) {
				$order->update_meta_data( '_xpay_gateway_ref', $ref );
			}
			if ( isset( $payment['refunded_amount'] ) && self::minor( (string) $payment['refunded_amount'] ) > self::minor( (string) ( $order->get_meta( '_xpay_refunded_amount' ) ? $order->get_meta( '_xpay_refunded_amount' ) : '0' ) ) ) {
				$order->update_meta_data( '_xpay_refunded_amount', (string) $payment['refunded_amount'] );
			}
			if ( '' === $current && '' !== $pid ) {
				$order->update_meta_data( '_xpay_payment_id', $pid );
			}
			$order->save();
		}

		// Paid once only: an order a recall put on hold (it has a paid date) is not completed again by a later report.
		if ( in_array( $status, self::PAID, true ) && ! $order->is_paid() && ! $order->get_date_paid( 'edit' ) && ! $order->has_status( 'refunded' ) ) {
			$was = $order->get_status();
			if ( $order->has_status( array( 'cancelled', 'failed' ) ) ) {
				/* translators: 1: previous order status, 2: gateway and reference. */
				$order->add_order_note( sprintf( __( 'xpay-connect: the payment arrived after the order was %1$s (%2$s); the order is paid again.', 'xpay-connect-woocommerce' ), $was, $name ) );
			}
			$order->payment_complete( $ref );
			/* translators: %s: gateway and reference. */
			$order->add_order_note( sprintf( __( 'xpay-connect: paid at %s.', 'xpay-connect-woocommerce' ), $name ) );
		} elseif ( $is_cur && in_array( $status, self::UNPAID_FINAL, true ) && $order->has_status( array( 'pending', 'on-hold' ) ) && ! $order->is_paid() ) {
			$to = 'failed' === $status ? 'failed' : 'cancelled';
			/* translators: 1: payment status (expired), 2: gateway and reference. */
			$order->update_status( $to, sprintf( __( 'xpay-connect: the payment %1$s at %2$s.', 'xpay-connect-woocommerce' ), $status, $name ) );
		}

		if ( in_array( $status, array( 'refunded', 'partially_refunded' ), true ) ) {
			self::sync_refunds( $order, $payment, $name );
		}
		self::apply_recall( $order, $payment, $event, $name );
		self::apply_attention( $order, $payment, $event, $name );
	}

	/**
	 * A refund made at the gateway (or from the service) becomes a WooCommerce refund record, for the part
	 * WooCommerce does not already have (refunds WooCommerce started are recorded before they are sent, so
	 * their events add nothing).
	 *
	 * @param WC_Order             $order   Order.
	 * @param array<string, mixed> $payment Payment.
	 * @param string               $name    Gateway and reference.
	 */
	private static function sync_refunds( $order, array $payment, string $name ): void {
		$dp      = wc_get_price_decimals();
		$service = self::minor( (string) ( $payment['refunded_amount'] ?? '0' ) );
		$store   = self::minor( self::money( wc_format_decimal( $order->get_total_refunded(), $dp ), $dp ) );
		$missing = $service - $store;
		if ( $missing <= 0 ) {
			return;
		}
		$amount = self::money( sprintf( '%d.%04d', intdiv( $missing, 10000 ), $missing % 10000 ), $dp );
		$refund = wc_create_refund(
			array(
				'order_id'       => $order->get_id(),
				'amount'         => $amount,
				/* translators: %s: gateway and reference. */
				'reason'         => sprintf( __( 'Refunded at %s', 'xpay-connect-woocommerce' ), $name ),
				'refund_payment' => false,
				'restock_items'  => false,
			)
		);
		if ( is_wp_error( $refund ) ) {
			/* translators: 1: amount, 2: gateway and reference, 3: error. */
			$order->add_order_note( sprintf( __( 'xpay-connect: %2$s refunded %1$s, which could not be recorded: %3$s', 'xpay-connect-woocommerce' ), $amount, $name, $refund->get_error_message() ) );
			return;
		}
		/* translators: 1: amount, 2: gateway and reference. */
		$order->add_order_note( sprintf( __( 'xpay-connect: %2$s refunded %1$s; recorded as a refund.', 'xpay-connect-woocommerce' ), $amount, $name ) );
	}

	/**
	 * A recall (dispute) puts the order on hold, with a note and an email to the owner.
	 *
	 * @param WC_Order             $order   Order.
	 * @param array<string, mixed> $payment Payment.
	 * @param array<string, mixed> $event   Event.
	 * @param string               $name    Gateway and reference.
	 */
	private static function apply_recall( $order, array $payment, array $event, string $name ): void {
		$reversed = self::minor( (string) ( $payment['reversed_amount'] ?? '0' ) );
		$known    = self::minor( (string) ( $order->get_meta( '_xpay_reversed_amount' ) ? $order->get_meta( '_xpay_reversed_amount' ) : '0' ) );
		if ( $reversed <= $known ) {
			return;
		}
		$order->update_meta_data( '_xpay_reversed_amount', (string) $payment['reversed_amount'] );
		$order->save();
		// The recall's details: on payment.(partially_)reversed, or on the needs_attention event (or the payment's
		// attention) of an unconfirmed recall, whichever reaches the store first.
		$recall = array();
		foreach ( array( $event['recall'] ?? null, $event['attention']['recall'] ?? null, $payment['attention']['recall'] ?? null ) as $candidate ) {
			if ( is_array( $candidate ) ) {
				$recall = $candidate;
				break;
			}
		}
		$note   = sprintf(
			/* translators: 1: gateway and reference, 2: total recalled, 3: currency, 4: the gateway's reason. */
			__( 'xpay-connect: %1$s recalled the payment (%2$s %3$s recalled in all; reason: %4$s). Check it with the gateway before shipping.', 'xpay-connect-woocommerce' ),
			$name,
			(string) $payment['reversed_amount'],
			(string) ( $payment['currency'] ?? '' ),
			isset( $recall['reason'] ) ? sanitize_text_field( (string) $recall['reason'] ) : __( 'not given', 'xpay-connect-woocommerce' )
		);
		if ( ! $order->has_status( array( 'on-hold', 'refunded' ) ) ) {
			$order->update_status( 'on-hold', $note );
		} else {
			$order->add_order_note( $note );
		}
		self::email_owner( $order, __( 'A payment was recalled', 'xpay-connect-woocommerce' ), $note );
	}

	/**
	 * A payment that needs attention (paid after it expired, failed or was canceled; an unconfirmed recall)
	 * leaves a note and an email; an order it left cancelled or failed waits on hold instead.
	 *
	 * @param WC_Order             $order   Order.
	 * @param array<string, mixed> $payment Payment.
	 * @param array<string, mixed> $event   Event.
	 * @param string               $name    Gateway and reference.
	 */
	private static function apply_attention( $order, array $payment, array $event, string $name ): void {
		$attention = isset( $event['attention'] ) && is_array( $event['attention'] ) ? $event['attention'] : ( isset( $payment['attention'] ) && is_array( $payment['attention'] ) ? $payment['attention'] : null );
		if ( null === $attention || empty( $attention['reason'] ) ) {
			return;
		}
		$reason = sanitize_key( (string) $attention['reason'] );
		$seen   = array_filter( explode( ',', (string) $order->get_meta( '_xpay_attention' ) ) );
		if ( in_array( $reason, $seen, true ) ) {
			return;
		}
		$seen[] = $reason;
		$order->update_meta_data( '_xpay_attention', implode( ',', $seen ) );
		$order->save();
		$note = sprintf(
			/* translators: 1: gateway and reference, 2: reason code, 3: amount, 4: currency. */
			__( 'xpay-connect: %1$s needs attention (%2$s, %3$s %4$s). Ship the order if you still can, or refund the shopper; do not take a new payment for it.', 'xpay-connect-woocommerce' ),
			$name,
			$reason,
			sanitize_text_field( (string) ( $attention['amount'] ?? '' ) ),
			sanitize_text_field( (string) ( $attention['currency'] ?? '' ) )
		);
		if ( str_starts_with( $reason, 'paid_after_' ) && ! $order->is_paid() && ! $order->has_status( 'on-hold' ) ) {
			$order->update_status( 'on-hold', $note );
		} else {
			$order->add_order_note( $note );
		}
		self::email_owner( $order, __( 'A payment needs your attention', 'xpay-connect-woocommerce' ), $note );
	}

	/**
	 * Emails the store owner about an order (no customer data: the order number and the note).
	 *
	 * @param WC_Order $order   Order.
	 * @param string   $subject Subject.
	 * @param string   $note    What happened.
	 */
	private static function email_owner( $order, string $subject, string $note ): void {
		$to = (string) get_option( 'admin_email' );
		if ( ! is_email( $to ) ) {
			return;
		}
		wp_mail(
			$to,
			/* translators: 1: subject, 2: order number. */
			sprintf( __( '%1$s: order #%2$s', 'xpay-connect-woocommerce' ), $subject, $order->get_order_number() ),
			$note . "\n\n" . $order->get_edit_order_url()
		);
	}

	/**
	 * Schedules the fallback status check of an order (one at a time).
	 *
	 * @param WC_Order $order Order.
	 * @param int      $delay Seconds.
	 */
	public static function schedule_check( $order, int $delay ): void {
		if ( ! function_exists( 'as_schedule_single_action' ) ) {
			return;
		}
		$args = array( 'order_id' => (int) $order->get_id() );
		if ( function_exists( 'as_has_scheduled_action' ) && as_has_scheduled_action( self::CHECK_HOOK, $args, self::GROUP ) ) {
			return;
		}
		as_schedule_single_action( time() + $delay, self::CHECK_HOOK, $args, self::GROUP );
	}

	/**
	 * The fallback job: asks the service about the order's payment and applies the answer; while the
	 * payment is open, asks again later (doubling, at most every MAX_CHECK seconds).
	 *
	 * @param int $order_id Order id.
	 */
	public static function check( $order_id ): void {
		$order = wc_get_order( absint( $order_id ) );
		if ( ! $order || ! self::is_ours( $order ) ) {
			return;
		}
		$payment_id = (string) $order->get_meta( '_xpay_payment_id' );
		if ( '' === $payment_id ) {
			return;
		}
		$payment = Xpay_Connect_Client::from_settings()->get( '/v1/payments/' . rawurlencode( $payment_id ) );
		$checks  = (int) $order->get_meta( '_xpay_checks' ) + 1;
		$order->update_meta_data( '_xpay_checks', (string) $checks );
		$order->save();
		$open = true;
		if ( ! is_wp_error( $payment ) ) {
			$applied = self::apply_payment( $order, $payment );
			$open    = ! $applied || in_array( (string) ( $payment['status'] ?? '' ), self::OPEN, true );
		}
		if ( $open ) {
			$delay = (int) min( self::MAX_CHECK, self::FIRST_CHECK * ( 2 ** min( $checks, 10 ) ) );
			self::schedule_check( $order, $delay );
		} elseif ( function_exists( 'as_unschedule_all_actions' ) ) {
			// Settled: no further checks (one may still be queued when this ran early).
			as_unschedule_all_actions( self::CHECK_HOOK, array( 'order_id' => (int) $order->get_id() ), self::GROUP );
		}
	}

	/**
	 * WooCommerce's unpaid-order auto-cancel leaves alone orders whose payment is still open at the
	 * gateway (a kiosk bill, a QR). Hooked on woocommerce_cancel_unpaid_order.
	 *
	 * @param bool     $cancel Whether WooCommerce would cancel.
	 * @param WC_Order $order  Order.
	 * @return bool
	 */
	public static function cancel_unpaid_order( $cancel, $order ) {
		if ( ! $cancel || ! self::is_ours( $order ) ) {
			return $cancel;
		}
		$payment_id = (string) $order->get_meta( '_xpay_payment_id' );
		if ( '' === $payment_id ) {
			return $cancel;
		}
		$payment = Xpay_Connect_Client::from_settings()->get( '/v1/payments/' . rawurlencode( $payment_id ) );
		if ( is_wp_error( $payment ) ) {
			// Unknown: keep the order rather than cancel one the shopper may be paying.
			return in_array( (string) $order->get_meta( '_xpay_payment_status' ), self::OPEN, true ) ? false : $cancel;
		}
		if ( in_array( (string) ( $payment['status'] ?? '' ), self::OPEN, true ) ) {
			return false;
		}
		if ( ! in_array( (string) ( $payment['status'] ?? '' ), self::UNPAID_FINAL, true ) || ! empty( $payment['attention'] ) ) {
			// Paid, or paid late: apply that instead of cancelling.
			self::apply_payment( $order, $payment );
			return false;
		}
		return $cancel;
	}

	/**
	 * The next action stored for an order.
	 *
	 * @param WC_Order $order Order.
	 * @return array<string, mixed>
	 */
	public static function next_action( $order ): array {
		$action = json_decode( (string) $order->get_meta( '_xpay_next_action' ), true );
		return is_array( $action ) ? $action : array();
	}

	/**
	 * Thank-you and order-pay box: bill instructions, the QR and link, and the status followed live.
	 *
	 * @param WC_Order $order    Order.
	 * @param bool     $pay_page Whether this is the order-pay page.
	 */
	public static function render_status_box( $order, bool $pay_page ): void {
		$action = self::next_action( $order );
		$type   = (string) ( $action['type'] ?? '' );
		echo '<section class="xpay-connect-status">';
		if ( 'kiosk' === $type && ! empty( $action['billReference'] ) ) {
			self::render_bill( $order, false );
		}
		if ( 'qr' === $type && $pay_page && ! $order->is_paid() ) {
			echo '<p>' . esc_html__( 'Scan this code with your banking app, or open the payment link on your phone.', 'xpay-connect-woocommerce' ) . '</p>';
			if ( ! empty( $action['qrData'] ) ) {
				// The QR is drawn in the browser by qrcode-generator (assets/vendor, MIT); the text stays for screen readers and copying.
				printf(
					'<div class="xpay-connect-qr" role="img" aria-label="%1$s" data-qr="%2$s"></div><p><code class="xpay-connect-qr-text" style="word-break:break-all">%3$s</code></p>',
					esc_attr__( 'Payment QR code', 'xpay-connect-woocommerce' ),
					esc_attr( (string) $action['qrData'] ),
					esc_html( (string) $action['qrData'] )
				);
				wp_enqueue_script( 'xpay-connect-qrcode', plugins_url( 'assets/vendor/qrcode-generator/qrcode.js', XPAY_CONNECT_FILE ), array(), '2.0.4', true );
				wp_add_inline_script( 'xpay-connect-qrcode', 'document.querySelectorAll(".xpay-connect-qr[data-qr]").forEach(function(el){var q=qrcode(0,"M");q.addData(el.getAttribute("data-qr"));q.make();el.innerHTML=q.createSvgTag({cellSize:5,margin:2,scalable:false});});' );
			}
			if ( ! empty( $action['url'] ) && Xpay_Connect_Client::is_http_url( (string) $action['url'] ) ) {
				printf( '<p><a class="button" href="%s" rel="noopener">%s</a></p>', esc_url( (string) $action['url'] ), esc_html__( 'Open the payment link', 'xpay-connect-woocommerce' ) );
			}
		}
		if ( ! $order->is_paid() && ! $order->has_status( array( 'cancelled', 'failed', 'refunded' ) ) ) {
			$url = add_query_arg( 'key', $order->get_order_key(), rest_url( 'xpay-connect/v1/orders/' . $order->get_id() . '/status' ) );
			printf(
				'<p class="xpay-connect-waiting" role="status" aria-live="polite" data-status-url="%1$s" data-done-url="%2$s">%3$s</p>',
				esc_url( $url ),
				esc_url( $pay_page ? $order->get_checkout_order_received_url() : '' ),
				esc_html__( 'Waiting for the payment to be confirmed…', 'xpay-connect-woocommerce' )
			);
			wp_print_inline_script_tag( self::poll_script() );
		}
		echo '</section>';
	}

	/**
	 * Bill reference and how to pay it (thank-you page and emails).
	 *
	 * @param WC_Order $order Order.
	 * @param bool     $plain Plain-text email.
	 */
	public static function render_bill( $order, bool $plain ): void {
		$action = self::next_action( $order );
		if ( 'kiosk' !== ( $action['type'] ?? '' ) || empty( $action['billReference'] ) || $order->is_paid() ) {
			return;
		}
		$method = Xpay_Connect_Methods::get( (string) $order->get_payment_method() );
		$where  = $method && 'xpay_eg_fawry' === $method['id'] ? __( 'any Fawry outlet or the Fawry app', 'xpay-connect-woocommerce' ) : __( 'any Aman kiosk', 'xpay-connect-woocommerce' );
		/* translators: 1: amount with currency, 2: where to pay. */
		$how = sprintf( __( 'Pay %1$s in cash at %2$s with this reference. Your order ships once the payment is confirmed.', 'xpay-connect-woocommerce' ), self::order_amount( $order ) . ' ' . $order->get_currency(), $where );
		$ref = (string) $action['billReference'];
		if ( $plain ) {
			echo esc_html( __( 'Bill reference:', 'xpay-connect-woocommerce' ) . ' ' . $ref ) . "\n" . esc_html( $how ) . "\n\n";
			return;
		}
		printf(
			'<h2>%1$s</h2><p class="xpay-connect-bill"><strong>%2$s</strong> <code>%3$s</code></p><p>%4$s</p>',
			esc_html__( 'How to pay', 'xpay-connect-woocommerce' ),
			esc_html__( 'Bill reference:', 'xpay-connect-woocommerce' ),
			esc_html( $ref ),
			esc_html( $how )
		);
	}

	/**
	 * Email instructions (woocommerce_email_before_order_table).
	 *
	 * @param WC_Order $order         Order.
	 * @param bool     $sent_to_admin To the admin.
	 * @param bool     $plain_text    Plain text.
	 */
	public static function email_instructions( $order, $sent_to_admin = false, $plain_text = false ): void {
		if ( ! $sent_to_admin && self::is_ours( $order ) ) {
			self::render_bill( $order, (bool) $plain_text );
		}
	}

	/**
	 * The shopper's view of the order's status: GET xpay-connect/v1/orders/<id>/status?key=<order key>.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public static function rest_status( WP_REST_Request $request ) {
		$order = wc_get_order( absint( $request['id'] ) );
		$key   = (string) $request->get_param( 'key' );
		if ( ! $order || ! self::is_ours( $order ) || '' === $key || ! hash_equals( (string) $order->get_order_key(), $key ) ) {
			return new WP_REST_Response( array( 'code' => 'not_found' ), 404 );
		}
		if ( $order->is_paid() ) {
			$state   = 'paid';
			$message = __( 'Payment confirmed. Thank you!', 'xpay-connect-woocommerce' );
		} elseif ( $order->has_status( array( 'cancelled', 'failed' ) ) ) {
			$state   = 'failed';
			$message = __( 'The payment did not go through. You can try again from your account.', 'xpay-connect-woocommerce' );
		} else {
			$state   = 'waiting';
			$message = __( 'Waiting for the payment to be confirmed…', 'xpay-connect-woocommerce' );
		}
		$response = new WP_REST_Response(
			array(
				'state'   => $state,
				'message' => $message,
			)
		);
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * A few lines that poll the status route and update the box without reloading.
	 *
	 * @return string
	 */
	private static function poll_script(): string {
		return '(function(){var el=document.querySelector(".xpay-connect-waiting");if(!el||el.dataset.polling)return;el.dataset.polling="1";var d=3000;function tick(){fetch(el.dataset.statusUrl,{credentials:"same-origin",cache:"no-store"}).then(function(r){return r.ok?r.json():null}).then(function(s){if(s&&s.message){el.textContent=s.message;el.dataset.state=s.state;}if(s&&s.state==="paid"&&el.dataset.doneUrl){window.location.assign(el.dataset.doneUrl);return;}if(!s||s.state==="waiting"){d=Math.min(d*1.2,15000);setTimeout(tick,d);}}).catch(function(){setTimeout(tick,d);});}setTimeout(tick,d);})();';
	}
}
