<?php
/**
 * The settings section as a store owner gets it over HTTP: WooCommerce → Settings → Payments → xpay-connect,
 * its Connect button posting through admin-post.php with the page's nonce, and signature checks at the edges.
 *
 * @package Xpay_Connect
 */

require_once __DIR__ . '/XpayServiceTestCaseTest.php';

final class AdminPageTest extends XpayServiceTestCaseTest {

	/**
	 * Logged-in cookies of a user, as wp-login.php would set them.
	 *
	 * @param int $user_id User.
	 * @return array<string, string>
	 */
	private static function cookies( int $user_id ): array {
		$expiration = time() + HOUR_IN_SECONDS;
		$token      = WP_Session_Tokens::get_instance( $user_id )->create( $expiration );
		return array(
			AUTH_COOKIE      => wp_generate_auth_cookie( $user_id, $expiration, 'auth', $token ),
			LOGGED_IN_COOKIE => wp_generate_auth_cookie( $user_id, $expiration, 'logged_in', $token ),
		);
	}

	/**
	 * A user with a role.
	 *
	 * @param string $role Role.
	 * @return int
	 */
	private static function user( string $role ): int {
		$login = 'xpay-' . $role;
		$user  = get_user_by( 'login', $login );
		if ( $user ) {
			return (int) $user->ID;
		}
		$id = wp_insert_user(
			array(
				'user_login' => $login,
				'user_pass'  => wp_generate_password(),
				'role'       => $role,
				'user_email' => $login . '@example.com',
			)
		);
		if ( 'administrator' === $role ) {
			get_user_by( 'id', $id )->add_cap( 'manage_woocommerce' );
		}
		return (int) $id;
	}

	public function test_the_owner_sees_the_section_and_connects_through_its_button(): void {
		// WooCommerce sends the first admin visit after its activation to its setup wizard.
		delete_transient( '_wc_activation_redirect' );
		$cookies = self::cookies( self::user( 'administrator' ) );
		$page    = self::http( 'GET', Xpay_Connect_Settings::page_url(), $cookies );
		$this->assertSame( 200, $page['status'], $page['location'] );
		$this->assertStringContainsString( 'xpay_connect_service_url', $page['body'] );
		$this->assertStringContainsString( 'Connected', $page['body'] );
		$this->assertStringContainsString( 'action=xpay_connect_connect', html_entity_decode( $page['body'] ) );
		foreach ( array( Xpay_Connect_Test_Env::api_key(), (string) get_option( 'xpay_connect_signing_secret' ) ) as $secret ) {
			$this->assertStringNotContainsString( $secret, $page['body'] );
		}
		$this->assertSame( 1, preg_match( '/name="xpay_connect_nonce" value="([0-9a-f]+)"/', $page['body'], $m ) );

		$endpoint = get_option( 'xpay_connect_endpoint_id' );
		$posted   = self::http(
			'POST',
			admin_url( 'admin-post.php?action=xpay_connect_connect' ),
			$cookies,
			array(
				'xpay_connect_nonce'       => $m[1],
				'_wp_http_referer'         => '/wp-admin/admin.php?page=wc-settings&tab=checkout&section=xpay-connect',
				'xpay_connect_service_url' => Xpay_Connect_Test_Env::service_url(),
				'xpay_connect_api_key'     => '',
			)
		);
		$this->assertSame( 302, $posted['status'], $posted['body'] );
		$this->assertStringContainsString( 'section=xpay-connect', $posted['location'] );
		wp_cache_flush();
		$this->assertSame( $endpoint, get_option( 'xpay_connect_endpoint_id' ), 'reconnecting keeps the endpoint' );
		$after = self::http( 'GET', Xpay_Connect_Settings::page_url(), $cookies );
		$this->assertStringContainsString( 'Connected: events from the service now reach this store.', $after['body'] );

		// Without the nonce nothing happens.
		$secret = (string) get_option( 'xpay_connect_signing_secret' );
		$forged = self::http( 'POST', admin_url( 'admin-post.php?action=xpay_connect_rotate' ), $cookies, array( 'xpay_connect_nonce' => 'abc' ) );
		$this->assertNotSame( 302, $forged['status'] );
		wp_cache_flush();
		$this->assertSame( $secret, (string) get_option( 'xpay_connect_signing_secret' ), 'a forged rotate changed nothing' );
	}

	public function test_a_customer_cannot_use_the_actions(): void {
		$cookies = self::cookies( self::user( 'subscriber' ) );
		$posted  = self::http( 'POST', admin_url( 'admin-post.php?action=xpay_connect_connect' ), $cookies, array( 'xpay_connect_service_url' => 'http://127.0.0.1:1' ) );
		$this->assertSame( 403, $posted['status'] );
		wp_cache_flush();
		$this->assertSame( Xpay_Connect_Test_Env::service_url(), get_option( 'xpay_connect_service_url' ) );
	}

	public function test_an_event_that_cannot_be_recorded_is_retried_not_dropped(): void {
		global $wpdb;
		$body    = wp_json_encode( array( 'id' => 'evt_not_ready_' . wp_generate_password( 8, false ), 'type' => 'payment.succeeded', 'data' => array( 'object' => 'payment', 'id' => 'pay_x' ) ) );
		$request = new WP_REST_Request( 'POST', '/xpay-connect/v1/events' );
		$request->set_body( $body );
		$request->set_header( 'X-Xpay-Connect-Signature', self::sign( $body, Xpay_Connect_Events::secrets() ) );
		$table = Xpay_Connect_Events::table();
		$wpdb->query( "RENAME TABLE {$table} TO {$table}_away" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		try {
			$this->assertSame( 503, rest_do_request( $request )->get_status() );
		} finally {
			$wpdb->query( "RENAME TABLE {$table}_away TO {$table}" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		}
		$this->assertSame( 200, rest_do_request( $request )->get_status() );
		$this->assertSame( array( 'received' => true, 'duplicate' => true ), rest_do_request( $request )->get_data() );
	}

	public function test_signature_tolerance_is_five_minutes_either_way_and_compares_every_v1(): void {
		$body = '{"id":"evt_1"}';
		$now  = 1764400000;
		$sig  = static fn( int $t, string $secret ) => 'v1=' . hash_hmac( 'sha256', $t . '.' . $body, $secret );
		$this->assertTrue( Xpay_Connect_Events::verify( 't=' . ( $now - 300 ) . ',' . $sig( $now - 300, 's1' ), $body, array( 's1' ), $now ) );
		$this->assertTrue( Xpay_Connect_Events::verify( 't=' . ( $now + 300 ) . ',' . $sig( $now + 300, 's1' ), $body, array( 's1' ), $now ) );
		$this->assertFalse( Xpay_Connect_Events::verify( 't=' . ( $now - 301 ) . ',' . $sig( $now - 301, 's1' ), $body, array( 's1' ), $now ) );
		$this->assertFalse( Xpay_Connect_Events::verify( 't=' . ( $now + 301 ) . ',' . $sig( $now + 301, 's1' ), $body, array( 's1' ), $now ) );
		// During a rotation the header carries one v1 per secret: either may be ours.
		$this->assertTrue( Xpay_Connect_Events::verify( "t=$now," . $sig( $now, 'new' ) . ',' . $sig( $now, 'old' ), $body, array( 'old' ), $now ) );
		$this->assertFalse( Xpay_Connect_Events::verify( "t=$now,t=$now," . $sig( $now, 's1' ), $body, array( 's1' ), $now ), 'two timestamps' );
		$this->assertFalse( Xpay_Connect_Events::verify( "t=$now,v1=zz", $body, array( 's1' ), $now ) );
		$this->assertFalse( Xpay_Connect_Events::verify( "t=$now," . $sig( $now, 's1' ), $body, array(), $now ), 'no secret, no event' );
	}
}
