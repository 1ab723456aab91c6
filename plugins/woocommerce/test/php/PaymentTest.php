<?php
/**
 * process_payment for every method against the real service and sandbox; orders following the payment
 * through signed events delivered over real HTTP by the service's outbox; the status mapping.
 *
 * @package Xpay_Connect
 */

require_once __DIR__ . '/XpayServiceTestCaseTest.php';

final class PaymentTest extends XpayServiceTestCaseTest {

	/**
	 * Every method: where it sends the shopper.
	 *
	 * @return array<string, array{string, string, string, string}>
	 */
	public function methods(): array {
		return array(
			'EasyPaisa'  => array( 'xpay_easypaisa', 'PKR', 'PK', 'redirect' ),
			'JazzCash'   => array( 'xpay_jazzcash', 'PKR', 'PK', 'redirect' ),
			'XPay PK'    => array( 'xpay_pk_card', 'PKR', 'PK', 'redirect' ),
			'EG card'    => array( 'xpay_eg_card', 'EGP', 'EG', 'redirect' ),
			'Aman kiosk' => array( 'xpay_eg_kiosk', 'EGP', 'EG', 'bill' ),
			'Fawry'      => array( 'xpay_eg_fawry', 'EGP', 'EG', 'any' ),
			'EG wallet'  => array( 'xpay_eg_wallet', 'EGP', 'EG', 'redirect' ),
			'valU'       => array( 'xpay_eg_valu', 'EGP', 'EG', 'redirect' ),
			'xPay QR'    => array( 'xpay_kg_qr', 'KGS', 'KG', 'qr' ),
		);
	}

	/**
	 * @dataProvider methods
	 */
	public function test_process_payment_creates_one_payment_per_attempt_and_sends_the_shopper_on( string $id, string $currency, string $country, string $kind ): void {
		$gateway = $this->gateway( $id, $currency );
		$order   = $this->order( $id, $currency, '1500.00', $country );
		$result  = $gateway->process_payment( $order->get_id() );
		$this->assertSame( 'success', $result['result'], wp_json_encode( wc_get_notices() ) );

		$order      = $this->fresh( $order->get_id() );
		$payment_id = (string) $order->get_meta( '_xpay_payment_id' );
		$this->assertStringStartsWith( 'pay_', $payment_id );
		$payment = $this->api( 'GET', '/v1/payments/' . $payment_id );
		$method  = Xpay_Connect_Methods::get( $id );
		$this->assertSame( $method['gateway'], $payment['gateway'] );
		$this->assertSame( $method['method'], $payment['method'] );
		$this->assertSame( '1500.00', $payment['amount'] );
		$this->assertSame( $currency, $payment['currency'] );
		$this->assertSame( (string) $order->get_id(), $payment['order_ref'] );
		$this->assertSame( $order->get_checkout_order_received_url(), $payment['return_url'] );
		$this->assertSame( array( 'wc_order_id' => (string) $order->get_id(), 'wc_order_key' => $order->get_order_key() ), $payment['metadata'] );

		if ( 'redirect' === $kind ) {
			$this->assertSame( $payment['next_action']['url'], $result['redirect'] );
			$this->assertTrue( $order->has_status( 'pending' ) );
		} elseif ( 'bill' === $kind ) {
			$this->assertSame( 'kiosk', $payment['next_action']['type'] );
			$this->assertTrue( $order->has_status( 'on-hold' ) );
			$this->assertSame( $order->get_checkout_order_received_url(), $result['redirect'] );
			ob_start();
			$gateway->thankyou_page( $order->get_id() );
			$html = (string) ob_get_clean();
			$this->assertStringContainsString( esc_html( $payment['next_action']['billReference'] ), $html );
			$this->assertStringContainsString( 'Aman kiosk', $html );
			$this->assertStringContainsString( 'Waiting for the payment to be confirmed', $html );
		} elseif ( 'qr' === $kind ) {
			$this->assertSame( $order->get_checkout_payment_url( true ), $result['redirect'] );
			ob_start();
			$gateway->receipt_page( $order->get_id() );
			$html = (string) ob_get_clean();
			$this->assertStringContainsString( esc_url( $payment['next_action']['url'] ), $html );
			$this->assertStringContainsString( 'data-status-url', $html );
			$this->assertStringContainsString( 'data-qr="' . esc_attr( $payment['next_action']['qrData'] ) . '"', $html );
			$this->assertTrue( wp_script_is( 'xpay-connect-qrcode', 'enqueued' ) );
		}

		// A double click answers the same payment (same Idempotency-Key), never a second one.
		$again = $gateway->process_payment( $order->get_id() );
		$this->assertSame( 'success', $again['result'] );
		$this->assertSame( $payment_id, (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_payment_id' ) );
		$list = $this->api( 'GET', '/v1/payments?order_ref=' . $order->get_id() );
		$this->assertCount( 1, $list['data'] );
		$this->assertSame( '1', (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_attempt' ) );
	}

	public function test_a_bad_wallet_number_is_refused_before_anything_is_created(): void {
		$gateway              = $this->gateway( 'xpay_easypaisa', 'PKR' );
		$order                = $this->order( 'xpay_easypaisa', 'PKR' );
		$_POST['xpay_wallet'] = '0300-12';
		$this->assertFalse( $gateway->validate_fields() );
		wc_clear_notices();
		$this->assertSame( array( 'result' => 'failure' ), $gateway->process_payment( $order->get_id() ) );
		$this->assertStringContainsString( '03XXXXXXXXX', wp_json_encode( wc_get_notices( 'error' ) ) );
		$this->assertSame( '', (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_payment_id' ) );
		$this->assertSame( array(), $this->api( 'GET', '/v1/payments?order_ref=' . $order->get_id() )['data'] );

		$_POST['xpay_wallet'] = '0311 222 3344';
		$this->assertSame( 'success', $gateway->process_payment( $order->get_id() )['result'] );
		$payment = $this->api( 'GET', '/v1/payments/' . $this->fresh( $order->get_id() )->get_meta( '_xpay_payment_id' ) );
		$this->assertSame( 'success', $gateway->process_payment( $order->get_id() )['result'] );
		$this->assertSame( '1500.00', $payment['amount'] );
	}

	/**
	 * The shopper, back at checkout, picks JazzCash for the order and places it again.
	 *
	 * @param int $order_id Order id.
	 * @return array<string, string> What process_payment answered (asserted successful).
	 */
	private function switch_to_jazzcash( int $order_id ): array {
		$jazzcash = $this->gateway( 'xpay_jazzcash', 'PKR' );
		$order    = $this->fresh( $order_id );
		$order->set_payment_method( 'xpay_jazzcash' );
		$order->save();
		$result = $jazzcash->process_payment( $order_id );
		$this->assertSame( 'success', $result['result'], wp_json_encode( wc_get_notices() ) );
		return $result;
	}

	public function test_a_shopper_who_switches_method_cancels_the_earlier_payment_and_pays_with_the_new_one(): void {
		$easypaisa = $this->gateway( 'xpay_easypaisa', 'PKR' );
		$order     = $this->order( 'xpay_easypaisa', 'PKR' );
		$this->assertSame( 'success', $easypaisa->process_payment( $order->get_id() )['result'] );
		$first = (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_payment_id' );

		$result = $this->switch_to_jazzcash( $order->get_id() );
		$order  = $this->fresh( $order->get_id() );
		$second = (string) $order->get_meta( '_xpay_payment_id' );
		$this->assertNotSame( $first, $second );
		$this->assertSame( 'canceled', $this->api( 'GET', '/v1/payments/' . $first )['status'] );
		$payment = $this->api( 'GET', '/v1/payments/' . $second );
		$this->assertSame( array( 'xpress-pay', 'jazzcash' ), array( $payment['gateway'], $payment['method'] ) );
		$this->assertSame( $payment['next_action']['url'], $result['redirect'] );
		$this->assertSame( 'xpay_jazzcash', (string) $order->get_meta( '_xpay_method' ) );
		$this->assertSame( '2', (string) $order->get_meta( '_xpay_attempt' ) );
		$this->assertStringContainsString( 'chose JazzCash instead; payment ' . $first . ' was cancelled', self::notes( $order ) );

		// The earlier payment's cancel event, signed and delivered, leaves the order waiting for the new one.
		$canceled = $this->api( 'GET', '/v1/payments/' . $first );
		$body     = wp_json_encode( array( 'id' => 'evt_switch_' . $order->get_id(), 'type' => 'payment.canceled', 'created_at' => gmdate( 'c' ), 'data' => $canceled ) );
		// 503 busy while the service's own deliveries hold the order's lock: the service retries such an answer, so does this.
		$secret = (string) get_option( 'xpay_connect_signing_secret' );
		$this->eventually( fn() => 200 === $this->deliver( $body, self::sign( $body, array( $secret ) ) ), 'the event accepted', 30, $order->get_id() );
		$order = $this->fresh( $order->get_id() );
		$this->assertTrue( $order->has_status( 'pending' ), $order->get_status() );
		$this->assertSame( $second, (string) $order->get_meta( '_xpay_payment_id' ) );

		// Paying with JazzCash completes the order.
		$this->sandbox( 'xpress-pay', (string) $payment['gateway_ref'], 'approve' );
		$paid = $this->eventually( fn() => $this->is_paid_now( $order->get_id() ) ? $this->fresh( $order->get_id() ) : null, 'order paid', 30, $order->get_id() );
		$this->assertSame( (string) $payment['gateway_ref'], $paid->get_transaction_id() );
		$this->assertCount( 2, $this->api( 'GET', '/v1/payments?order_ref=' . $order->get_id() )['data'] );
	}

	public function test_switching_method_after_the_earlier_payment_was_paid_unheard_completes_the_order_without_a_second_payment(): void {
		$easypaisa = $this->gateway( 'xpay_easypaisa', 'PKR' );
		$order     = $this->order( 'xpay_easypaisa', 'PKR' );
		$this->assertSame( 'success', $easypaisa->process_payment( $order->get_id() )['result'] );
		$first = $this->api( 'GET', '/v1/payments/' . $this->fresh( $order->get_id() )->get_meta( '_xpay_payment_id' ) );

		// The shopper paid on EasyPaisa's page, but neither the callback nor the service's event has reached anyone.
		$mode = wp_remote_post( Xpay_Connect_Test_Env::sandbox_url() . '/_sandbox/callbacks/mode', array( 'headers' => array( 'Content-Type' => 'application/json' ), 'body' => wp_json_encode( array( 'gateway' => 'xpress-pay', 'mode' => 'drop', 'count' => 1 ) ) ) );
		$this->assertSame( 200, wp_remote_retrieve_response_code( $mode ) );
		$this->sandbox( 'xpress-pay', (string) $first['gateway_ref'], 'approve' );

		$result = $this->switch_to_jazzcash( $order->get_id() );
		$this->assertSame( $order->get_checkout_order_received_url(), $result['redirect'] );
		$this->assertTrue( $this->is_paid_now( $order->get_id() ) );
		$this->assertSame( (string) $first['gateway_ref'], $this->fresh( $order->get_id() )->get_transaction_id() );
		$this->assertSame( 'xpay_easypaisa', $this->fresh( $order->get_id() )->get_payment_method(), 'paid with the method chosen first' );
		$list = $this->api( 'GET', '/v1/payments?order_ref=' . $order->get_id() )['data'];
		$this->assertCount( 1, $list, 'no JazzCash payment' );
		$this->assertSame( 'succeeded', $list[0]['status'] );
	}

	public function test_a_paid_order_turns_paid_from_the_services_signed_event(): void {
		$gateway = $this->gateway( 'xpay_easypaisa', 'PKR' );
		$order   = $this->order( 'xpay_easypaisa', 'PKR', '1500.00' );
		$this->assertSame( 'success', $gateway->process_payment( $order->get_id() )['result'] );
		$ref = (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_gateway_ref' );
		$this->sandbox( 'xpress-pay', $ref, 'approve' );
		$paid = $this->eventually( fn() => $this->is_paid_now( $order->get_id() ) && str_contains( self::notes( $this->fresh( $order->get_id() ) ), 'paid at' ) ? $this->fresh( $order->get_id() ) : null, 'order paid', 30, $order->get_id() );
		$this->assertSame( $ref, $paid->get_transaction_id() );
		$this->assertStringContainsString( 'xpress-pay ' . $ref, self::notes( $paid ) );
	}

	public function test_forged_stale_and_replayed_events_change_nothing(): void {
		$gateway = $this->gateway( 'xpay_pk_card', 'PKR' );
		$order   = $this->order( 'xpay_pk_card', 'PKR' );
		$gateway->process_payment( $order->get_id() );
		$payment           = $this->api( 'GET', '/v1/payments/' . $this->fresh( $order->get_id() )->get_meta( '_xpay_payment_id' ) );
		$payment['status'] = 'succeeded';
		unset( $payment['_status'] );
		$body   = wp_json_encode( array( 'id' => 'evt_forged_' . $order->get_id(), 'type' => 'payment.succeeded', 'created_at' => gmdate( 'c' ), 'data' => $payment ) );
		$secret = (string) get_option( 'xpay_connect_signing_secret' );

		$this->assertSame( 401, $this->deliver( $body, null ) );
		$this->assertSame( 401, $this->deliver( $body, self::sign( $body, array( 'whsec_not_ours' ) ) ) );
		$this->assertSame( 401, $this->deliver( $body, self::sign( $body, array( $secret ), time() - 310 ) ) );
		$this->assertSame( 401, $this->deliver( $body, self::sign( $body, array( $secret ), time() + 310 ) ) );
		$this->assertSame( 401, $this->deliver( $body . ' ', self::sign( $body, array( $secret ) ) ) );
		$this->assertTrue( $this->fresh( $order->get_id() )->has_status( 'pending' ) );

		// A correctly signed event applies once; its replay is acknowledged and changes nothing.
		$this->assertSame( 200, $this->deliver( $body, self::sign( $body, array( $secret ), time() - 290 ) ) );
		$this->assertTrue( $this->is_paid_now( $order->get_id() ) );
		$this->fresh( $order->get_id() )->update_status( 'completed' );
		$this->assertSame( 200, $this->deliver( $body, self::sign( $body, array( $secret ) ) ) );
		$this->assertTrue( $this->fresh( $order->get_id() )->has_status( 'completed' ) );
		$this->assertSame( 1, substr_count( self::notes( $this->fresh( $order->get_id() ) ), 'paid at' ) );
	}

	public function test_declined_and_expired_payments_fail_or_cancel_only_unpaid_orders(): void {
		$gateway = $this->gateway( 'xpay_jazzcash', 'PKR' );
		$order   = $this->order( 'xpay_jazzcash', 'PKR' );
		$gateway->process_payment( $order->get_id() );
		$this->sandbox( 'xpress-pay', (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_gateway_ref' ), 'decline' );
		$failed = $this->eventually( fn() => $this->fresh( $order->get_id() )->has_status( 'failed' ), 'order failed' );
		$this->assertTrue( $failed );

		// A new attempt after the failure gets a new Idempotency-Key and a new payment.
		$first = (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_payment_id' );
		$this->assertSame( 'success', $gateway->process_payment( $order->get_id() )['result'] );
		$second = $this->fresh( $order->get_id() );
		$this->assertNotSame( $first, (string) $second->get_meta( '_xpay_payment_id' ) );
		$this->assertSame( '2', (string) $second->get_meta( '_xpay_attempt' ) );

		// An expired payment never cancels a paid order.
		$paid = $this->order( 'xpay_jazzcash', 'PKR' );
		$paid->payment_complete( 'manual' );
		$payment = array( 'id' => 'pay_unknown', 'object' => 'payment', 'status' => 'expired', 'gateway' => 'xpress-pay', 'gateway_ref' => 'X1', 'metadata' => array( 'wc_order_id' => (string) $paid->get_id(), 'wc_order_key' => $paid->get_order_key() ) );
		$this->assertTrue( Xpay_Connect_Orders::apply_payment( $this->fresh( $paid->get_id() ), $payment ) );
		$this->assertTrue( $this->is_paid_now( $paid->get_id() ) );
	}

	public function test_a_name_the_gateway_refuses_gets_a_message_the_shopper_can_act_on(): void {
		$gateway = $this->gateway( 'xpay_eg_card', 'EGP' );
		$order   = $this->order( 'xpay_eg_card', 'EGP', '90.00', 'EG' );
		$order->set_billing_last_name( '' );
		$order->save();
		$this->assertSame( array( 'result' => 'failure' ), $gateway->process_payment( $order->get_id() ) );
		$this->assertStringContainsString( 'first and last name in English letters', wp_json_encode( wc_get_notices( 'error' ) ) );
		$this->assertSame( '', (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_payment_id' ) );
	}

	public function test_a_retry_after_a_failure_the_store_has_not_heard_of_yet_is_a_new_attempt(): void {
		$gateway = $this->gateway( 'xpay_pk_card', 'PKR' );
		$order   = $this->order( 'xpay_pk_card', 'PKR', '700.00' );
		$secret  = (string) get_option( 'xpay_connect_signing_secret' );
		update_option( 'xpay_connect_signing_secret', 'whsec_blocked', false );
		try {
			$gateway->process_payment( $order->get_id() );
			$first = (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_payment_id' );
			$this->sandbox( 'xpay-pk', (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_gateway_ref' ), 'decline' );
			$this->eventually( fn() => 'failed' === $this->api( 'GET', '/v1/payments/' . $first )['status'], 'the service knows it failed' );
			$this->assertContains( (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_payment_status' ), Xpay_Connect_Orders::OPEN, 'the store has not heard' );
			$this->assertSame( 'success', $gateway->process_payment( $order->get_id() )['result'] );
		} finally {
			update_option( 'xpay_connect_signing_secret', $secret, false );
		}
		$order = $this->fresh( $order->get_id() );
		$this->assertNotSame( $first, (string) $order->get_meta( '_xpay_payment_id' ) );
		$this->assertSame( '2', (string) $order->get_meta( '_xpay_attempt' ) );
	}

	public function test_a_kiosk_bill_paid_at_the_kiosk_settles_and_an_open_one_is_never_auto_cancelled(): void {
		$gateway = $this->gateway( 'xpay_eg_kiosk', 'EGP' );
		$order   = $this->order( 'xpay_eg_kiosk', 'EGP', '250.00', 'EG' );
		$gateway->process_payment( $order->get_id() );
		$order = $this->fresh( $order->get_id() );
		$this->assertTrue( $order->has_status( 'on-hold' ) );
		$this->assertFalse( apply_filters( 'woocommerce_cancel_unpaid_order', true, $order ), 'an open bill is not auto-cancelled' );

		$other = $this->order( 'bacs', 'EGP', '10.00', 'EG' );
		$this->assertTrue( apply_filters( 'woocommerce_cancel_unpaid_order', true, $other ), 'other gateways are left alone' );

		$this->sandbox( 'xpay-eg', (string) $order->get_meta( '_xpay_gateway_ref' ), 'approve' );
		$this->eventually( fn() => $this->is_paid_now( $order->get_id() ), 'kiosk order paid' );
	}

	public function test_a_payment_that_arrived_after_the_order_was_cancelled_is_never_left_silently_cancelled(): void {
		$order = $this->order( 'xpay_eg_kiosk', 'EGP', '250.00', 'EG' );
		$order->update_meta_data( '_xpay_payment_id', 'pay_late_' . $order->get_id() );
		$order->save();
		$order->update_status( 'cancelled' );
		Xpay_Connect_Test_Env::clear_mails();
		$payment = array(
			'id'          => 'pay_late_' . $order->get_id(),
			'object'      => 'payment',
			'status'      => 'expired',
			'gateway'     => 'xpay-eg',
			'gateway_ref' => 'BILL-9',
			'attention'   => array( 'reason' => 'paid_after_expired', 'amount' => '250.00', 'currency' => 'EGP' ),
		);
		$this->assertSame( $order->get_id(), Xpay_Connect_Orders::find_order( $payment )->get_id() );
		$this->assertTrue( Xpay_Connect_Orders::apply_payment( $this->fresh( $order->get_id() ), $payment, array( 'type' => 'payment.needs_attention', 'attention' => $payment['attention'] ) ) );
		$after = $this->fresh( $order->get_id() );
		$this->assertTrue( $after->has_status( 'on-hold' ) );
		$this->assertStringContainsString( 'paid_after_expired', self::notes( $after ) );
		$this->assertStringContainsString( 'xpay-eg BILL-9', self::notes( $after ) );
		$this->assertCount( 1, self::owner_mails() );
		// Raised once per reason.
		Xpay_Connect_Orders::apply_payment( $after, $payment );
		$this->assertCount( 1, self::owner_mails() );
	}

	public function test_an_event_for_an_order_of_another_store_or_a_wrong_key_finds_nothing(): void {
		$order = $this->order( 'xpay_pk_card', 'PKR' );
		$this->assertNull( Xpay_Connect_Orders::find_order( array( 'id' => 'pay_nobody', 'metadata' => array( 'wc_order_id' => (string) $order->get_id(), 'wc_order_key' => 'wc_order_wrong' ) ) ) );
		$this->assertNull( Xpay_Connect_Orders::find_order( array( 'id' => 'pay_nobody' ) ) );
	}

	/**
	 * The order's notes, joined.
	 *
	 * @param WC_Order $order Order.
	 * @return string
	 */
	protected static function notes( WC_Order $order ): string {
		$notes = wc_get_order_notes( array( 'order_id' => $order->get_id() ) );
		return implode( "\n", array_map( static fn( $n ) => $n->content, $notes ) );
	}
}
