<?php
/**
 * Settings: connect (real service), endpoint and signing secret, rotation, gateway forms, write-only secrets,
 * capabilities and nonces.
 *
 * @package Xpay_Connect
 */

require_once __DIR__ . '/XpayServiceTestCaseTest.php';

final class SettingsTest extends XpayServiceTestCaseTest {

	protected function tearDown(): void {
		remove_all_filters( 'wp_die_handler' );
		parent::tearDown();
	}

	public function test_connect_registers_the_store_endpoint_and_keeps_its_secret_out_of_autoload(): void {
		global $wpdb;
		$this->assertTrue( Xpay_Connect_Settings::is_connected() );
		$secret = (string) get_option( 'xpay_connect_signing_secret' );
		$this->assertStringStartsWith( 'whsec_', $secret );
		foreach ( array( 'xpay_connect_signing_secret', 'xpay_connect_api_key' ) as $name ) {
			$this->assertSame( 'no', $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM {$wpdb->options} WHERE option_name = %s", $name ) ), $name );
		}
		$endpoints = $this->api( 'GET', '/v1/endpoints' );
		$ours      = array_values( array_filter( $endpoints['data'], static fn( $e ) => $e['id'] === get_option( 'xpay_connect_endpoint_id' ) ) );
		$this->assertCount( 1, $ours );
		$this->assertSame( rest_url( 'xpay-connect/v1/events' ), $ours[0]['url'] );
		$this->assertTrue( $ours[0]['enabled'] );

		// Connecting again with the same service keeps the endpoint and its secret.
		$this->assertTrue( Xpay_Connect_Settings::connect( Xpay_Connect_Test_Env::service_url(), '' ) );
		$this->assertSame( $ours[0]['id'], get_option( 'xpay_connect_endpoint_id' ) );
		$this->assertSame( $secret, get_option( 'xpay_connect_signing_secret' ) );
	}

	public function test_connecting_to_the_service_under_another_url_removes_the_endpoint_registered_before(): void {
		$before = (string) get_option( 'xpay_connect_endpoint_id' );
		$other  = str_replace( '//127.0.0.1:', '//localhost:', Xpay_Connect_Test_Env::service_url() );
		$this->assertNotSame( Xpay_Connect_Test_Env::service_url(), $other );
		$enabled = function (): array {
			$endpoints = $this->api( 'GET', '/v1/endpoints' );
			return array_column( array_filter( $endpoints['data'], static fn( $e ) => $e['enabled'] ), 'id' );
		};
		$this->assertContains( $before, $enabled() );

		$this->assertTrue( Xpay_Connect_Settings::connect( $other, '' ) );
		$after = (string) get_option( 'xpay_connect_endpoint_id' );
		$this->assertNotSame( $before, $after );
		$this->assertContains( $after, $enabled() );
		$this->assertNotContains( $before, $enabled() );

		// Back to the service's usual URL: the endpoint registered under the other one goes in turn.
		$this->assertTrue( Xpay_Connect_Settings::connect( Xpay_Connect_Test_Env::service_url(), '' ) );
		$this->assertNotContains( $after, $enabled() );
		$this->assertContains( (string) get_option( 'xpay_connect_endpoint_id' ), $enabled() );
	}

	public function test_a_wrong_key_or_url_is_refused_with_the_services_message_and_changes_nothing(): void {
		$key   = get_option( 'xpay_connect_api_key' );
		$wrong = Xpay_Connect_Settings::connect( Xpay_Connect_Test_Env::service_url(), 'xc_test_not_a_key' );
		$this->assertInstanceOf( WP_Error::class, $wrong );
		$this->assertSame( 401, $wrong->get_error_data()['status'] );
		$this->assertSame( 'Authorization', $wrong->get_error_data()['field'] );
		$this->assertSame( $key, get_option( 'xpay_connect_api_key' ) );

		$bad = Xpay_Connect_Settings::connect( 'javascript:alert(1)', 'xc_x' );
		$this->assertSame( 'xpay_connect_url', $bad->get_error_code() );
		$down = Xpay_Connect_Settings::connect( 'http://127.0.0.1:1', 'xc_x' );
		$this->assertSame( 'xpay_connect_unreachable', $down->get_error_code() );
		$this->assertSame( $key, get_option( 'xpay_connect_api_key' ) );
		// Put the status back.
		$this->assertTrue( Xpay_Connect_Settings::connect( Xpay_Connect_Test_Env::service_url(), '' ) );
	}

	public function test_rotation_keeps_the_previous_secret_valid_for_the_grace_period(): void {
		$before = (string) get_option( 'xpay_connect_signing_secret' );
		$this->assertTrue( Xpay_Connect_Settings::rotate_secret() );
		$after = (string) get_option( 'xpay_connect_signing_secret' );
		$this->assertNotSame( $before, $after );
		$this->assertSame( array( $after, $before ), Xpay_Connect_Events::secrets() );
		$body = '{"id":"evt_x"}';
		$this->assertTrue( Xpay_Connect_Events::verify( self::sign( $body, array( $before ) ), $body, Xpay_Connect_Events::secrets() ) );
		$this->assertTrue( Xpay_Connect_Events::verify( self::sign( $body, array( $after ) ), $body, Xpay_Connect_Events::secrets() ) );
		update_option( 'xpay_connect_signing_secret_previous_until', time() - 1, false );
		$this->assertSame( array( $after ), Xpay_Connect_Events::secrets() );
		$this->assertFalse( Xpay_Connect_Events::verify( self::sign( $body, array( $before ) ), $body, Xpay_Connect_Events::secrets() ) );
	}

	public function test_the_page_lists_gateways_renders_forms_from_the_schema_and_never_echoes_a_secret(): void {
		global $current_section;
		$admin = self::admin();
		wp_set_current_user( $admin );
		$current_section = Xpay_Connect_Settings::SECTION; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		ob_start();
		Xpay_Connect_Settings::render();
		$html = (string) ob_get_clean();
		$this->assertStringContainsString( 'Connected', $html );
		$this->assertStringContainsString( 'name="xpay_connect_nonce"', $html );
		$this->assertStringContainsString( 'xpay_gw[xpay-eg][apiKey]', $html );
		$this->assertStringContainsString( 'xpay_gw[xpay-eg][baseUrl]', $html );
		$this->assertMatchesRegularExpression( '/<input type="password"[^>]*name="xpay_gw\[xpay-eg\]\[apiKey\]"|<input type="password"[^>]*id="xpay_gw_xpay-eg_apikey" name="xpay_gw\[xpay-eg\]\[apiKey\]" value=""/', $html );
		foreach ( array( Xpay_Connect_Test_Env::api_key(), (string) get_option( 'xpay_connect_signing_secret' ), 'xpay_eg_sandbox_key_7c1e4a9b2d5f8e03' ) as $secret ) {
			$this->assertStringNotContainsString( $secret, $html );
		}
		foreach ( array( 'xpress-pay', 'xpay-pk', 'xpay-eg', 'xpay-kg' ) as $gateway ) {
			$this->assertStringContainsString( '<code>' . $gateway . '</code>', $html );
		}
		wp_set_current_user( 0 );
		ob_start();
		Xpay_Connect_Settings::render();
		$this->assertSame( '', ob_get_clean(), 'nothing for a user who cannot manage WooCommerce' );
	}

	public function test_gateway_credentials_are_saved_through_the_service_and_bad_input_names_the_field(): void {
		$sandbox = Xpay_Connect_Test_Env::sandbox_url();
		$saved   = Xpay_Connect_Settings::save_gateway(
			'xpay-eg',
			array(
				'baseUrl'          => $sandbox . '/xpay-eg',
				'apiKey'           => 'xpay_eg_sandbox_key_7c1e4a9b2d5f8e03',
				'communityId'      => 'zogDmQW',
				'variableAmountId' => '4',
				'notAField'        => 'ignored',
			)
		);
		$this->assertIsArray( $saved, is_wp_error( $saved ) ? $saved->get_error_message() : '' );
		$this->assertSame( 'xpay-eg', $saved['gateway'] );
		$this->assertContains( 'apiKey', $saved['secrets_set'] );
		$this->assertSame( 4, $saved['config']['variableAmountId'] );

		$bad = Xpay_Connect_Settings::save_gateway( 'xpay-eg', array( 'baseUrl' => 'not a url', 'apiKey' => 'x', 'communityId' => 'zogDmQW', 'variableAmountId' => '4' ) );
		$this->assertInstanceOf( WP_Error::class, $bad );
		$this->assertSame( 'baseUrl', $bad->get_error_data()['field'] );
		$this->assertSame( 'xpay_connect_gateway', Xpay_Connect_Settings::save_gateway( 'nope', array() )->get_error_code() );
		$after = $this->api( 'GET', '/v1/gateways' );
		$eg    = array_values( array_filter( $after['data'], static fn( $a ) => 'xpay-eg' === $a['gateway'] ) );
		$this->assertSame( $sandbox . '/xpay-eg', $eg[0]['config']['baseUrl'], 'nothing stored on error' );
	}

	public function test_admin_actions_need_the_capability_and_the_nonce(): void {
		add_filter(
			'wp_die_handler',
			static function () {
				return static function ( $message ) {
					throw new RuntimeException( 'wp_die: ' . ( is_string( $message ) ? $message : 'die' ) );
				};
			}
		);
		$_POST = array( 'xpay_connect_service_url' => 'http://127.0.0.1:1', 'xpay_connect_api_key' => 'x' );
		wp_set_current_user( 0 );
		try {
			Xpay_Connect_Settings::handle_connect();
			$this->fail( 'no capability check' );
		} catch ( RuntimeException $e ) {
			$this->assertStringContainsString( 'not allowed', $e->getMessage() );
		}
		wp_set_current_user( self::admin() );
		$_REQUEST['xpay_connect_nonce'] = 'forged';
		try {
			Xpay_Connect_Settings::handle_rotate();
			$this->fail( 'no nonce check' );
		} catch ( RuntimeException $e ) {
			$this->assertStringContainsString( 'wp_die', $e->getMessage() );
		}
		unset( $_REQUEST['xpay_connect_nonce'] );
		$this->assertSame( Xpay_Connect_Test_Env::service_url(), get_option( 'xpay_connect_service_url' ) );
	}

	/**
	 * A shop manager.
	 *
	 * @return int
	 */
	private static function admin(): int {
		$user = get_user_by( 'login', 'xpay-manager' );
		if ( ! $user ) {
			$id   = wp_insert_user( array( 'user_login' => 'xpay-manager', 'user_pass' => wp_generate_password(), 'role' => 'administrator' ) );
			$user = get_user_by( 'id', $id );
		}
		$user->add_cap( 'manage_woocommerce' );
		return (int) $user->ID;
	}
}
