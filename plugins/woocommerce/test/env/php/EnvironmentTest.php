<?php
/**
 * The PHPUnit environment itself: real WordPress 6.5.5 on MariaDB, the WooCommerce stand-in and this
 * plugin active, wp_mail recorded, and the real connector service answering on loopback.
 */
use PHPUnit\Framework\TestCase;

final class EnvironmentTest extends TestCase {

	public function test_wordpress_is_the_real_6_5_5_on_mariadb(): void {
		global $wpdb;
		$this->assertSame( '6.5.5', get_bloginfo( 'version' ) );
		$this->assertStringContainsStringIgnoringCase( 'mariadb', $wpdb->db_server_info() );
		$this->assertSame( Xpay_Connect_Test_Env::wp_url(), home_url() );
		$this->assertTrue( (bool) did_action( 'wp_loaded' ) );
	}

	public function test_active_plugins_are_loaded(): void {
		$this->assertSame( json_decode( (string) getenv( 'XPAY_TEST_ACTIVE_PLUGINS' ), true ), get_option( 'active_plugins' ), 'the plugins the Node side activated' );
		foreach ( (array) get_option( 'active_plugins' ) as $plugin ) {
			$this->assertTrue( is_plugin_active( $plugin ), $plugin );
		}
		if ( in_array( 'woocommerce/woocommerce.php', (array) get_option( 'active_plugins' ), true ) ) {
			$this->assertTrue( function_exists( 'WC' ), 'the WooCommerce stand-in defines WC()' );
		}
	}

	public function test_mail_is_recorded_not_sent(): void {
		Xpay_Connect_Test_Env::clear_mails();
		$this->assertTrue( wp_mail( 'owner@store.test', 'Env subject', 'Env body' ) );
		$mails = Xpay_Connect_Test_Env::mails();
		$this->assertCount( 1, $mails );
		$this->assertSame( array( 'owner@store.test' ), $mails[0]['to'] );
		$this->assertSame( 'Env subject', $mails[0]['subject'] );
	}

	public function test_the_connector_service_answers_on_loopback_through_the_wordpress_http_api(): void {
		$response = wp_remote_get(
			Xpay_Connect_Test_Env::service_url() . '/v1/gateways',
			array( 'headers' => array( 'Authorization' => 'Bearer ' . Xpay_Connect_Test_Env::api_key() ) )
		);
		$this->assertNotWPError( $response );
		$this->assertSame( 200, wp_remote_retrieve_response_code( $response ), wp_remote_retrieve_body( $response ) );
	}

	private function assertNotWPError( $value ): void {
		$this->assertFalse( is_wp_error( $value ), is_wp_error( $value ) ? $value->get_error_message() : '' );
	}
}
