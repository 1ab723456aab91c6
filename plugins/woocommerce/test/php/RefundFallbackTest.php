<?php
/**
 * Refunds both ways (no echo duplicates), the Action Scheduler fallback when events are blocked, recalls.
 *
 * @package Xpay_Connect
 */

require_once __DIR__ . '/XpayServiceTestCaseTest.php';

final class RefundFallbackTest extends XpayServiceTestCaseTest {

	/**
	 * An order paid by card at XPay EG (through the events).
	 *
	 * @return WC_Order
	 */
	private function paid_eg_card_order(): WC_Order {
		$gateway = $this->gateway( 'xpay_eg_card', 'EGP' );
		$order   = $this->order( 'xpay_eg_card', 'EGP', '250.00', 'EG' );
		$this->assertSame( 'success', $gateway->process_payment( $order->get_id() )['result'] );
		$this->sandbox( 'xpay-eg', (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_gateway_ref' ), 'approve' );
		return $this->eventually( fn() => $this->is_paid_now( $order->get_id() ) ? $this->fresh( $order->get_id() ) : null, 'order paid' );
	}

	public function test_an_admin_refund_reaches_the_gateway_once_and_a_gateway_refund_is_recorded_once(): void {
		$order  = $this->paid_eg_card_order();
		$refund = wc_create_refund(
			array(
				'order_id'       => $order->get_id(),
				'amount'         => '20.00',
				'reason'         => 'damaged',
				'refund_payment' => true,
			)
		);
		$this->assertInstanceOf( WC_Order_Refund::class, $refund, is_wp_error( $refund ) ? $refund->get_error_message() : '' );
		$payment_id = (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_payment_id' );
		$payment    = $this->api( 'GET', '/v1/payments/' . $payment_id );
		$this->assertSame( '20.00', $payment['refunded_amount'] );
		$this->assertStringStartsWith( 're_', (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_refund_ids' ) );

		// A second refund from the admin gets its own key and reaches the gateway too.
		$second = wc_create_refund( array( 'order_id' => $order->get_id(), 'amount' => '5.00', 'refund_payment' => true ) );
		$this->assertInstanceOf( WC_Order_Refund::class, $second, is_wp_error( $second ) ? $second->get_error_message() : '' );
		$this->assertSame( '25.00', $this->api( 'GET', '/v1/payments/' . $payment_id )['refunded_amount'] );

		// A refund made at the service (not from WooCommerce) becomes a WooCommerce refund; ours is not echoed.
		$this->api( 'POST', '/v1/payments/' . $payment_id . '/refunds', array( 'amount' => '30.00' ) );
		// Wait for the refund's amount, not only its row: WooCommerce saves a new refund before it sets its total
		// (update_taxes() and calculate_totals() save), so for a moment it exists with a zero amount.
		$this->eventually( fn() => '55.00' === Xpay_Connect_Orders::money( wc_format_decimal( $this->fresh( $order->get_id() )->get_total_refunded(), 2 ), 2 ), 'the gateway refund recorded', 30, $order->get_id() );
		$order = $this->fresh( $order->get_id() );
		$this->assertCount( 3, $order->get_refunds() );
		$this->assertSame( '55.00', Xpay_Connect_Orders::money( wc_format_decimal( $order->get_total_refunded(), 2 ), 2 ) );
		$reasons = array_map( static fn( $r ) => $r->get_reason(), $order->get_refunds() );
		$this->assertContains( 'damaged', $reasons );
		$this->assertCount( 1, array_filter( $reasons, static fn( $r ) => str_starts_with( (string) $r, 'Refunded at xpay-eg ' ) ), 'the gateway refund recorded once, ours never echoed' );

		// A refund the service refuses (more than is left) fails with its message; the next one is a new refund.
		$gateway = Xpay_Connect_Plugin::gateways()['xpay_eg_card'];
		$refused = $gateway->process_refund( $order->get_id(), '1000.00', '' );
		$this->assertInstanceOf( WP_Error::class, $refused );
		$this->assertSame( '1', (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_refund_failures' ) );
		$this->assertTrue( $gateway->process_refund( $order->get_id(), '1.00', '' ) );
		$this->assertSame( '56.00', $this->api( 'GET', '/v1/payments/' . $payment_id )['refunded_amount'] );
	}

	public function test_methods_whose_gateway_cannot_refund_say_so(): void {
		$gateway = $this->gateway( 'xpay_easypaisa', 'PKR' );
		$error   = $gateway->process_refund( 1, '10.00', '' );
		$this->assertSame( 'xpay_connect_refund_unsupported', $error->get_error_code() );
		$this->assertFalse( $gateway->can_refund_order( $this->order( 'xpay_easypaisa', 'PKR' ) ) );
	}

	public function test_the_scheduled_check_settles_an_order_whose_events_are_blocked(): void {
		$gateway = $this->gateway( 'xpay_eg_valu', 'EGP' );
		$order   = $this->order( 'xpay_eg_valu', 'EGP', '99.50', 'EG' );
		$this->assertSame( 'success', $gateway->process_payment( $order->get_id() )['result'] );
		$this->assertTrue( as_has_scheduled_action( Xpay_Connect_Orders::CHECK_HOOK, array( 'order_id' => $order->get_id() ), Xpay_Connect_Orders::GROUP ) );
		$payment_id = (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_payment_id' );

		// The store refuses every event (as a firewall would): the order cannot learn from them.
		$secret = (string) get_option( 'xpay_connect_signing_secret' );
		update_option( 'xpay_connect_signing_secret', 'whsec_blocked', false );
		try {
			$this->sandbox( 'xpay-eg', (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_gateway_ref' ), 'approve' );
			$this->eventually( fn() => 'succeeded' === $this->api( 'GET', '/v1/payments/' . $payment_id )['status'], 'the service knows it is paid' );
			$this->assertTrue( $this->fresh( $order->get_id() )->has_status( 'pending' ) );
			do_action( Xpay_Connect_Orders::CHECK_HOOK, $order->get_id() );
		} finally {
			update_option( 'xpay_connect_signing_secret', $secret, false );
		}
		$order = $this->fresh( $order->get_id() );
		$this->assertTrue( $order->has_status( wc_get_is_paid_statuses() ) );
		$this->assertFalse( as_has_scheduled_action( Xpay_Connect_Orders::CHECK_HOOK, array( 'order_id' => $order->get_id() ), Xpay_Connect_Orders::GROUP ), 'no further check once settled' );
	}

	public function test_an_open_payment_is_checked_again_later(): void {
		$gateway = $this->gateway( 'xpay_eg_wallet', 'EGP' );
		$order   = $this->order( 'xpay_eg_wallet', 'EGP', '12.00', 'EG' );
		$gateway->process_payment( $order->get_id() );
		as_unschedule_all_actions( Xpay_Connect_Orders::CHECK_HOOK, array( 'order_id' => $order->get_id() ), Xpay_Connect_Orders::GROUP );
		do_action( Xpay_Connect_Orders::CHECK_HOOK, $order->get_id() );
		$this->assertTrue( $this->fresh( $order->get_id() )->has_status( 'pending' ) );
		$next = as_next_scheduled_action( Xpay_Connect_Orders::CHECK_HOOK, array( 'order_id' => $order->get_id() ), Xpay_Connect_Orders::GROUP );
		$this->assertIsInt( $next );
		$this->assertGreaterThanOrEqual( time() + 2 * Xpay_Connect_Orders::FIRST_CHECK - 5, $next );
	}

	public function test_a_recall_puts_the_order_on_hold_with_a_note_and_an_email_to_the_owner(): void {
		$gateway = $this->gateway( 'xpay_easypaisa', 'PKR' );
		$order   = $this->order( 'xpay_easypaisa', 'PKR', '1500.00' );
		$gateway->process_payment( $order->get_id() );
		$this->sandbox( 'xpress-pay', (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_gateway_ref' ), 'approve' );
		$this->eventually( fn() => $this->is_paid_now( $order->get_id() ), 'order paid' );
		Xpay_Connect_Test_Env::clear_mails();
		$this->sandbox( 'xpress-pay', (string) $this->fresh( $order->get_id() )->get_meta( '_xpay_payment_id' ), 'recall', array( 'amount' => '500.00' ) );
		// The status is saved before its transition note is written (as WooCommerce does): wait for both.
		$notes = fn() => implode( "\n", array_map( static fn( $n ) => $n->content, wc_get_order_notes( array( 'order_id' => $order->get_id() ) ) ) );
		$this->eventually( fn() => $this->fresh( $order->get_id() )->has_status( 'on-hold' ) && str_contains( $notes(), 'recalled' ), 'order on hold with the recall note', 30, $order->get_id() );
		$this->assertStringContainsString( 'recalled', $notes() );
		// The gateway's reason, whichever event (the reversal or the needs-attention one) arrived first.
		$this->assertStringContainsString( 'reason: Customer dispute', $notes() );
		// A later report of the same paid payment (the fallback check, a replayed event) leaves it on hold.
		do_action( Xpay_Connect_Orders::CHECK_HOOK, $order->get_id() );
		$this->assertTrue( $this->fresh( $order->get_id() )->has_status( 'on-hold' ) );
		$mails = $this->eventually( fn() => self::owner_mails(), 'owner email' );
		$this->assertSame( array( get_option( 'admin_email' ) ), (array) $mails[0]['to'] );
		$this->assertSame( array( get_option( 'admin_email' ) ), (array) end( $mails )['to'] );
		$this->assertStringContainsString( 'recalled', wp_json_encode( $mails ) );
		$this->assertStringNotContainsString( 'ayesha', strtolower( wp_json_encode( $mails ) ), 'no customer data in the owner email' );
	}
}
