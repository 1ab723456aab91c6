<?php
/**
 * The WooCommerce stand-in's behaviours that the plugin relies on, each as WooCommerce 9.4.3 behaves.
 *
 * @package WooCommerceStandinTests
 */

use PHPUnit\Framework\TestCase;

/**
 * Stand-in tests.
 */
class StandinTest extends TestCase {

	/**
	 * A saved order of the demo item, pending, paid with the test gateway.
	 *
	 * @return WC_Order
	 */
	private function order() {
		$order = new WC_Order();
		$order->add_product( wc_get_product( get_option( 'woocommerce_standin_product_ids' )[0] ), 1 );
		$order->calculate_totals();
		$order->set_payment_method( 'standin_test' );
		$order->set_billing_email( 'buyer@example.test' );
		$order->set_created_via( 'checkout' );
		$order->save();
		return $order;
	}

	/**
	 * Notes of an order, oldest first.
	 *
	 * @param int $id Order id.
	 * @return string[]
	 */
	private function notes( $id ) {
		return array_reverse( wp_list_pluck( wc_get_order_notes( array( 'order_id' => $id ) ), 'content' ) );
	}

	public function test_totals_are_decimal_strings_and_orders_live_in_hpos_tables() {
		global $wpdb;
		$order = $this->order();
		$this->assertSame( '1500.00', $order->get_total() );
		$this->assertSame( '1500.00', wc_get_order( $order->get_id() )->get_total() );
		$this->assertSame( 'PKR', $order->get_currency() );
		$this->assertMatchesRegularExpression( '/^wc_order_[A-Za-z0-9]{13}$/', $order->get_order_key() );
		$this->assertSame( 'wc-pending', $wpdb->get_var( $wpdb->prepare( "SELECT status FROM {$wpdb->prefix}wc_orders WHERE id = %d", $order->get_id() ) ) );
		$this->assertSame( 'shop_order_placehold', get_post_type( $order->get_id() ) );
		$this->assertTrue( $order->needs_payment() );
		$this->assertFalse( $order->is_paid() );
	}

	public function test_meta_is_saved_row_by_row_and_found_by_meta_query() {
		$order = $this->order();
		$order->update_meta_data( '_xpay_payment_id', 'pay_abc' );
		$order->add_meta_data( '_multi', 'a' );
		$order->add_meta_data( '_multi', 'b' );
		$order->save();
		// Another copy changes a different key: neither write loses the other's.
		$copy = wc_get_order( $order->get_id() );
		$copy->update_meta_data( '_other', 'x' );
		$order->update_meta_data( '_xpay_payment_id', 'pay_def' );
		$order->save();
		$copy->save();
		$fresh = wc_get_order( $order->get_id() );
		$this->assertSame( 'pay_def', $fresh->get_meta( '_xpay_payment_id' ) );
		$this->assertSame( 'x', $fresh->get_meta( '_other' ) );
		$this->assertCount( 2, $fresh->get_meta( '_multi', false ) );
		$this->assertSame( '', $fresh->get_meta( '_missing' ) );
		$this->assertSame( '', get_post_meta( $order->get_id(), '_xpay_payment_id', true ), 'HPOS: order meta is not post meta' );

		$found = wc_get_orders(
			array(
				'limit'          => -1,
				'payment_method' => 'standin_test',
				'status'         => array( 'wc-pending' ),
				'meta_query'     => array( // phpcs:ignore WordPress.DB.SlowDBQuery
					array(
						'key'   => '_xpay_payment_id',
						'value' => 'pay_def',
					),
				),
			)
		);
		$this->assertSame( array( $order->get_id() ), array_map( fn( $o ) => $o->get_id(), $found ) );
		$this->assertSame( array(), wc_get_orders( array( 'meta_key' => '_xpay_payment_id', 'meta_value' => 'pay_abc', 'return' => 'ids' ) ) ); // phpcs:ignore WordPress.DB.SlowDBQuery
		$fresh->delete_meta_data( '_multi' );
		$fresh->save();
		$this->assertSame( array(), wc_get_order( $order->get_id() )->get_meta( '_multi', false ) );

		// A stale copy saving only meta does not put back the status another copy changed (HPOS writes changes only).
		$stale = wc_get_order( $order->get_id() );
		wc_get_order( $order->get_id() )->payment_complete( 'ref-x' );
		$stale->update_meta_data( '_late', '1' );
		$stale->save();
		$fresh = wc_get_order( $order->get_id() );
		$this->assertSame( 'processing', $fresh->get_status() );
		$this->assertSame( 'ref-x', $fresh->get_transaction_id() );
		$this->assertSame( '1', $fresh->get_meta( '_late' ) );
	}

	public function test_status_changes_fire_actions_and_leave_notes() {
		$order = $this->order();
		$seen  = array();
		$log   = function () use ( &$seen ) {
			$seen[] = current_filter();
		};
		add_action( 'woocommerce_order_status_on-hold', $log );
		add_action( 'woocommerce_order_status_pending_to_on-hold', $log );
		add_action( 'woocommerce_order_status_changed', $log );
		$order->update_status( 'on-hold', 'Waiting for the kiosk.' );
		remove_action( 'woocommerce_order_status_on-hold', $log );
		remove_action( 'woocommerce_order_status_pending_to_on-hold', $log );
		remove_action( 'woocommerce_order_status_changed', $log );
		$this->assertSame( array( 'woocommerce_order_status_on-hold', 'woocommerce_order_status_pending_to_on-hold', 'woocommerce_order_status_changed' ), $seen );
		$this->assertSame( array( 'Waiting for the kiosk. Order status changed from Pending payment to On hold.' ), $this->notes( $order->get_id() ) );
		$order->update_status( 'no-such-status' );
		$this->assertSame( 'pending', wc_get_order( $order->get_id() )->get_status(), 'an unknown status becomes pending' );
		$note = $order->add_order_note( 'Gateway xpay-eg reference R1.' );
		$this->assertSame( 'order_note', get_comment( $note )->comment_type );
		$this->assertSame( 'WooCommerce', get_comment( $note )->comment_author );
	}

	public function test_payment_complete_acts_only_from_unpaid_statuses_and_revives_cancelled() {
		$order = $this->order();
		$order->update_status( 'cancelled' );
		$this->assertTrue( $order->payment_complete( 'gw-ref-1' ) );
		$order = wc_get_order( $order->get_id() );
		$this->assertSame( 'processing', $order->get_status(), 'a late payment revives a cancelled order' );
		$this->assertSame( 'gw-ref-1', $order->get_transaction_id() );
		$this->assertNotNull( $order->get_date_paid() );
		$this->assertTrue( $order->is_paid() );

		$fired = 0;
		$hook  = function () use ( &$fired ) {
			++$fired;
		};
		add_action( 'woocommerce_payment_complete_order_status_processing', $hook );
		$order->payment_complete( 'gw-ref-2' );
		remove_action( 'woocommerce_payment_complete_order_status_processing', $hook );
		$this->assertSame( 1, $fired );
		$this->assertSame( 'gw-ref-1', wc_get_order( $order->get_id() )->get_transaction_id(), 'a second payment_complete changes nothing' );

		$virtual = new WC_Order();
		$virtual->add_product( wc_get_product( get_option( 'woocommerce_standin_product_ids' )[1] ), 1 );
		$virtual->calculate_totals();
		$virtual->save();
		$virtual->payment_complete();
		$this->assertSame( 'completed', wc_get_order( $virtual->get_id() )->get_status(), 'virtual downloadable orders need no processing' );
	}

	public function test_refunds_call_the_gateway_and_errors_abort() {
		$order = $this->order();
		$order->payment_complete( 'ref' );
		$error = wc_create_refund( array( 'order_id' => $order->get_id(), 'amount' => '150', 'reason' => 'x', 'refund_payment' => true ) );
		$this->assertWPError( $error );
		$this->assertSame( 'The gateway refused.', $error->get_error_message() );
		$this->assertSame( array(), wc_get_order( $order->get_id() )->get_refunds() );

		$refund = wc_create_refund( array( 'order_id' => $order->get_id(), 'amount' => '40.50', 'reason' => 'part', 'refund_payment' => true ) );
		$this->assertInstanceOf( WC_Order_Refund::class, $refund );
		$this->assertSame( array( $order->get_id(), '40.50', 'part' ), get_option( 'standin_test_refund_seen' ) );
		$this->assertSame( '1459.50', wc_get_order( $order->get_id() )->get_remaining_refund_amount() );
		$this->assertSame( 'processing', wc_get_order( $order->get_id() )->get_status() );

		$manual = wc_create_refund( array( 'order_id' => $order->get_id(), 'amount' => '1459.50', 'refund_payment' => false ) );
		$this->assertFalse( $manual->get_refunded_payment() );
		$order = wc_get_order( $order->get_id() );
		$this->assertSame( 'refunded', $order->get_status() );
		$this->assertEqualsWithDelta( 1500.0, $order->get_total_refunded(), 0.001 );
		$this->assertWPError( wc_create_refund( array( 'order_id' => $order->get_id(), 'amount' => '1' ) ), 'Invalid refund amount.' );
	}

	public function test_a_new_refund_is_stored_with_a_zero_total_before_its_amount_is_set() {
		global $wpdb;
		$order = $this->order();
		$seen  = array();
		// WooCommerce 9.4.3's wc_create_refund(): update_taxes() and calculate_totals() save the refund before
		// set_total(), so by woocommerce_create_refund it has a row whose total is still zero.
		$hook = function ( $refund ) use ( &$seen, $wpdb ) {
			$seen[] = $refund->get_id() ? $wpdb->get_var( $wpdb->prepare( "SELECT total_amount FROM {$wpdb->prefix}wc_orders WHERE id = %d", $refund->get_id() ) ) : null; // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		};
		add_action( 'woocommerce_create_refund', $hook );
		try {
			$refund = wc_create_refund( array( 'order_id' => $order->get_id(), 'amount' => '30.00', 'reason' => 'part' ) );
		} finally {
			remove_action( 'woocommerce_create_refund', $hook );
		}
		$this->assertCount( 1, $seen );
		$this->assertNotNull( $seen[0], 'the refund has a row before woocommerce_create_refund' );
		$this->assertEqualsWithDelta( 0.0, (float) $seen[0], 0.001 );
		$this->assertEqualsWithDelta( -30.0, (float) $wpdb->get_var( $wpdb->prepare( "SELECT total_amount FROM {$wpdb->prefix}wc_orders WHERE id = %d", $refund->get_id() ) ), 0.001 ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	}

	public function test_setting_refunded_records_a_manual_refund_of_the_rest() {
		$order = $this->order();
		$order->payment_complete( 'ref' );
		wc_create_refund( array( 'order_id' => $order->get_id(), 'amount' => '100', 'reason' => 'part' ) );
		wc_get_order( $order->get_id() )->update_status( 'refunded' );
		$order   = wc_get_order( $order->get_id() );
		$refunds = $order->get_refunds();
		$this->assertCount( 2, $refunds );
		$rest = array_values( array_filter( $refunds, fn( $r ) => 'Order fully refunded.' === $r->get_reason() ) );
		$this->assertCount( 1, $rest );
		$this->assertSame( '1400.00', $rest[0]->get_amount() );
		$this->assertFalse( $rest[0]->get_refunded_payment() );
		$this->assertContains( 'Order status set to refunded. To return funds to the customer you will need to issue a refund through your payment gateway.', $this->notes( $order->get_id() ) );
	}

	public function test_cancel_unpaid_orders_honours_the_filter_hold_minutes_and_created_via() {
		global $wpdb;
		$checkout = $this->order();
		$store    = $this->order();
		$store->set_created_via( 'store-api' );
		$store->save();
		$guarded = $this->order();
		$guarded->update_meta_data( '_guard', 'yes' );
		$guarded->save();
		$fresh = $this->order();
		$old   = gmdate( 'Y-m-d H:i:s', time() - 61 * MINUTE_IN_SECONDS );
		foreach ( array( $checkout, $store, $guarded ) as $o ) {
			$wpdb->update( $wpdb->prefix . 'wc_orders', array( 'date_updated_gmt' => $old ), array( 'id' => $o->get_id() ) );
		}
		$guard = function ( $cancel, $order ) {
			return 'yes' === $order->get_meta( '_guard' ) ? false : $cancel;
		};
		add_filter( 'woocommerce_cancel_unpaid_order', $guard, 10, 2 );
		wc_cancel_unpaid_orders();
		remove_filter( 'woocommerce_cancel_unpaid_order', $guard, 10 );
		$this->assertSame( 'cancelled', wc_get_order( $checkout->get_id() )->get_status() );
		$this->assertContains( 'Unpaid order cancelled - time limit reached. Order status changed from Pending payment to Cancelled.', $this->notes( $checkout->get_id() ) );
		$this->assertSame( 'pending', wc_get_order( $store->get_id() )->get_status(), 'store-api orders are left alone by default' );
		$this->assertSame( 'pending', wc_get_order( $guarded->get_id() )->get_status(), 'the filter keeps an order' );
		$this->assertSame( 'pending', wc_get_order( $fresh->get_id() )->get_status(), 'younger than the hold time' );

		update_option( 'woocommerce_manage_stock', 'no' );
		$wpdb->update( $wpdb->prefix . 'wc_orders', array( 'date_updated_gmt' => $old ), array( 'id' => $fresh->get_id() ) );
		wc_cancel_unpaid_orders();
		update_option( 'woocommerce_manage_stock', 'yes' );
		$this->assertSame( 'pending', wc_get_order( $fresh->get_id() )->get_status(), 'no stock management: nothing is cancelled' );
	}

	public function test_gateways_settings_api_and_availability() {
		$gateways = WC()->payment_gateways()->payment_gateways();
		$this->assertArrayHasKey( 'standin_test', $gateways );
		$gateway = $gateways['standin_test'];
		$this->assertSame( 'woocommerce_standin_test_settings', $gateway->get_option_key() );
		$this->assertSame( 'Test pay', $gateway->get_title() );
		$this->assertTrue( $gateway->supports( 'refunds' ) );
		$this->assertSame( 'yes', $gateway->enabled );
		$this->assertTrue( $gateway->is_available() );

		$gateway->set_post_data(
			array(
				'woocommerce_standin_test_title'  => 'New <script>x</script>title',
				'woocommerce_standin_test_secret' => ' s3cr3t ',
			)
		);
		$gateway->process_admin_options();
		$saved = get_option( 'woocommerce_standin_test_settings' );
		$this->assertSame( 'no', $saved['enabled'], 'an unposted checkbox saves no' );
		$this->assertSame( 'New xtitle', $saved['title'] );
		$this->assertSame( 's3cr3t', $saved['secret'] );
		$html = $gateway->generate_settings_html( array(), false );
		$this->assertStringContainsString( 'value="s3cr3t"', $html, 'WooCommerce echoes stored password values' );
		update_option( 'woocommerce_standin_test_settings', array( 'enabled' => 'yes', 'title' => 'Test pay', 'secret' => '' ) );
		WC()->payment_gateways()->init();
		$this->assertTrue( WC()->payment_gateways()->payment_gateways()['standin_test']->is_available() );
		update_option( 'woocommerce_currency', 'EGP' );
		WC()->payment_gateways()->init();
		$this->assertTrue( WC()->payment_gateways()->payment_gateways()['standin_test']->is_available(), 'the base class does not check currencies' );
		update_option( 'woocommerce_currency', 'PKR' );
	}

	public function test_action_scheduler_unique_is_per_hook_and_group_not_args() {
		$first  = as_schedule_single_action( time() + 60, 'standin_unique_hook', array( 1 ), 'g', true );
		$second = as_schedule_single_action( time() + 60, 'standin_unique_hook', array( 2 ), 'g', true );
		$other  = as_schedule_single_action( time() + 60, 'standin_unique_hook', array( 2 ), 'h', true );
		$this->assertGreaterThan( 0, $first );
		$this->assertSame( 0, $second );
		$this->assertGreaterThan( 0, $other );
		$this->assertIsInt( as_next_scheduled_action( 'standin_unique_hook', array( 1 ) ) );
		$this->assertFalse( as_next_scheduled_action( 'standin_unique_hook', array( 3 ) ) );
		$ran = array();
		add_action(
			'standin_unique_hook',
			function ( $n ) use ( &$ran ) {
				$ran[] = $n;
			}
		);
		WC_Standin_Action_Scheduler::run_due_actions( time() + 61 );
		$this->assertSame( array( 1, 2 ), $ran );
		$this->assertFalse( as_next_scheduled_action( 'standin_unique_hook' ) );
		as_enqueue_async_action( 'standin_unique_hook', array( 3 ) );
		as_unschedule_all_actions( 'standin_unique_hook' );
		$this->assertFalse( as_has_scheduled_action( 'standin_unique_hook' ) );

		// Per-order jobs with named args, as a payment plugin schedules them.
		as_schedule_single_action( time() + 300, 'standin_check', array( 'order_id' => 5 ), 'xpay' );
		as_schedule_single_action( time() + 300, 'standin_check', array( 'order_id' => 6 ), 'xpay' );
		$this->assertTrue( as_has_scheduled_action( 'standin_check', array( 'order_id' => 5 ), 'xpay' ) );
		as_unschedule_all_actions( 'standin_check', array( 'order_id' => 5 ), 'xpay' );
		$this->assertFalse( as_has_scheduled_action( 'standin_check', array( 'order_id' => 5 ), 'xpay' ) );
		$this->assertTrue( as_has_scheduled_action( 'standin_check', array( 'order_id' => 6 ), 'xpay' ) );
		as_unschedule_all_actions( 'standin_check' );

		$this->assertSame( 1, did_action( 'action_scheduler_init' ) );
		$start = time() + 10;
		as_schedule_recurring_action( $start, 100, 'standin_recurring_hook', array(), 'g' );
		WC_Standin_Action_Scheduler::run_due_actions( $start );
		$this->assertSame( $start + 100, as_next_scheduled_action( 'standin_recurring_hook' ), 'a recurring action schedules its next run' );
		as_unschedule_all_actions( 'standin_recurring_hook', array(), 'g' );
		$this->assertFalse( as_next_scheduled_action( 'standin_recurring_hook' ) );
	}

	public function test_blocks_registry_and_payment_method_data() {
		$registry = \Automattic\WooCommerce\Blocks\Payments\PaymentMethodRegistry::standin_instance();
		$this->assertTrue( $registry->is_registered( 'standin_test' ) );
		$data = $registry->get_all_registered_script_data();
		$this->assertSame( array( 'title' => 'Test pay', 'description' => 'Pay in the test.' ), $data['paymentMethodData']['standin_test'] );
		$this->assertSame( array( 'standin-test-block' ), $registry->get_all_active_payment_method_script_dependencies() );
		$this->assertTrue( wp_script_is( 'wc-blocks-registry', 'registered' ) );
		$this->assertTrue( wp_script_is( 'react-jsx-runtime', 'registered' ) );
	}

	public function test_declare_compatibility_only_inside_before_woocommerce_init() {
		$declared = \Automattic\WooCommerce\Utilities\FeaturesUtil::get_compatible_plugins_for_feature( 'custom_order_tables' );
		$this->assertContains( 'standin-test-gateway/standin-test-gateway.php', $declared['compatible'] );
		$wrong = array();
		$catch = function ( $function ) use ( &$wrong ) {
			$wrong[] = $function;
		};
		add_action( 'doing_it_wrong_run', $catch );
		add_filter( 'doing_it_wrong_trigger_error', '__return_false' );
		$this->assertFalse( \Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', __FILE__, true ) );
		remove_filter( 'doing_it_wrong_trigger_error', '__return_false' );
		remove_action( 'doing_it_wrong_run', $catch );
		$this->assertCount( 1, $wrong );
	}

	public function test_notices_price_and_mail() {
		wc_clear_notices();
		wc_add_notice( 'Bad <b>input</b>', 'error' );
		$this->assertSame( 1, wc_notice_count( 'error' ) );
		$this->assertSame( 'Bad <b>input</b>', wc_get_notices( 'error' )[0]['notice'] );
		wc_clear_notices();
		$this->assertSame( 0, wc_notice_count() );
		$this->assertSame( '<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">&#8360;</span>1,500.00</bdi></span>', wc_price( '1500' ) );
		$this->assertSame( '1500.10', wc_format_decimal( '1500.10' ), 'strings keep their digits' );

		$order = $this->order();
		add_action(
			'woocommerce_email_before_order_table',
			$show = function ( $o, $sent_to_admin ) {
				if ( ! $sent_to_admin ) {
					echo 'Bill reference 12345';
				}
			},
			10,
			2
		);
		$sent = array();
		add_filter(
			'pre_wp_mail',
			$catch = function ( $short, $atts ) use ( &$sent ) {
				$sent[] = $atts;
				return true;
			},
			5,
			2
		);
		$order->update_status( 'on-hold' );
		remove_filter( 'pre_wp_mail', $catch, 5 );
		remove_action( 'woocommerce_email_before_order_table', $show, 10 );
		$to = wp_list_pluck( $sent, 'to' );
		$this->assertContains( 'buyer@example.test', $to );
		$this->assertContains( get_option( 'admin_email' ), $to );
		$customer = $sent[ array_search( 'buyer@example.test', $to, true ) ];
		$this->assertStringContainsString( 'Bill reference 12345', $customer['message'] );
	}

	/**
	 * WP_Error assertion.
	 *
	 * @param mixed  $value   Value.
	 * @param string $message Expected message or ''.
	 */
	private function assertWPError( $value, $message = '' ) {
		$this->assertInstanceOf( WP_Error::class, $value );
		if ( '' !== $message ) {
			$this->assertSame( $message, $value->get_error_message() );
		}
	}
}
