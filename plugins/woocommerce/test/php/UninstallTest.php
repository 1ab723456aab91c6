<?php
/**
 * Uninstall removes the plugin's options, table and scheduled actions (runs last: it disconnects the store).
 *
 * @package Xpay_Connect
 */

require_once __DIR__ . '/XpayServiceTestCaseTest.php';

final class UninstallTest extends XpayServiceTestCaseTest {

	public function test_uninstall_leaves_nothing_of_the_plugin_but_the_orders(): void {
		global $wpdb;
		$gateway = $this->gateway( 'xpay_eg_card', 'EGP' );
		$order   = $this->order( 'xpay_eg_card', 'EGP', '10.00', 'EG' );
		$this->assertSame( 'success', $gateway->process_payment( $order->get_id() )['result'] );
		$this->assertTrue( as_has_scheduled_action( Xpay_Connect_Orders::CHECK_HOOK, null, Xpay_Connect_Orders::GROUP ) );

		// As WordPress does: only an inactive plugin is uninstalled (requests the web server takes from now on
		// no longer load it); a delivery already under way holds an order lock for a moment.
		$this->api( 'DELETE', '/v1/endpoints/' . rawurlencode( (string) get_option( 'xpay_connect_endpoint_id' ) ) );
		deactivate_plugins( 'xpay-connect-woocommerce/xpay-connect-woocommerce.php' );
		$this->eventually( static fn() => ! $wpdb->get_var( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE 'xpay\\_connect\\_lock\\_%'" ), 'in-flight events done', 10 );
		if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
			define( 'WP_UNINSTALL_PLUGIN', 'xpay-connect-woocommerce/xpay-connect-woocommerce.php' );
		}
		$endpoint = (string) get_option( 'xpay_connect_endpoint_id' );
		include XPAY_CONNECT_DIR . 'uninstall.php';

		$endpoints = $this->api( 'GET', '/v1/endpoints' )['data'];
		$ours      = array_values( array_filter( $endpoints, static fn( $e ) => $e['id'] === $endpoint ) );
		$this->assertFalse( $ours[0]['enabled'], 'the service no longer sends events here' );
		$this->assertSame( array(), $wpdb->get_col( $wpdb->prepare( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( 'xpay_connect_' ) . '%' ) ) );
		$this->assertFalse( get_option( 'woocommerce_xpay_eg_card_settings' ) );
		$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->prefix . 'xpay_connect_events' ) ) );
		$this->assertFalse( as_has_scheduled_action( Xpay_Connect_Orders::CHECK_HOOK, null, Xpay_Connect_Orders::GROUP ) );
		$this->assertSame( 'pending', $this->fresh( $order->get_id() )->get_status(), 'orders stay' );
	}
}
