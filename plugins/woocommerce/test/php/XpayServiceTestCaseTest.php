<?php
/**
 * Base of the tests that talk to the real connector service and sandbox (started by test/phpunit.test.ts).
 * Abstract: PHPUnit runs no test of its own.
 *
 * @package Xpay_Connect
 */

use PHPUnit\Framework\TestCase;

abstract class XpayServiceTestCaseTest extends TestCase {

	/**
	 * Connects the store to the test service once (its endpoint and signing secret are kept).
	 */
	public static function setUpBeforeClass(): void {
		$result = Xpay_Connect_Settings::connect( Xpay_Connect_Test_Env::service_url(), Xpay_Connect_Test_Env::api_key() );
		if ( is_wp_error( $result ) ) {
			throw new RuntimeException( 'connect: ' . $result->get_error_message() );
		}
		Xpay_Connect_Plugin::reset_gateways();
	}

	protected function setUp(): void {
		wp_set_current_user( 0 );
		if ( function_exists( 'wc_clear_notices' ) ) {
			wc_clear_notices();
		}
		$_POST = array();
	}

	protected function tearDown(): void {
		$_POST = array();
	}

	/**
	 * Enables a method and sets the store currency.
	 *
	 * @param string $id       Gateway id.
	 * @param string $currency Currency.
	 * @return Xpay_Connect_Gateway
	 */
	protected function gateway( string $id, string $currency ): Xpay_Connect_Gateway {
		update_option( 'woocommerce_currency', $currency );
		update_option( 'woocommerce_' . $id . '_settings', array( 'enabled' => 'yes' ) );
		Xpay_Connect_Plugin::reset_gateways();
		return Xpay_Connect_Plugin::gateways()[ $id ];
	}

	/**
	 * A pending order for a method, as checkout leaves it before process_payment.
	 *
	 * @param string $id       Gateway id.
	 * @param string $currency Currency.
	 * @param string $total    Total.
	 * @param string $country  Billing country.
	 * @return WC_Order
	 */
	protected function order( string $id, string $currency, string $total = '1500.00', string $country = 'PK' ): WC_Order {
		$order = new WC_Order();
		$order->set_currency( $currency );
		$order->set_billing_first_name( 'Ayesha' );
		$order->set_billing_last_name( 'Khan' );
		$order->set_billing_email( 'ayesha@example.com' );
		$order->set_billing_phone( 'EG' === $country ? '01012345678' : '03001234567' );
		$order->set_billing_country( $country );
		$order->set_payment_method( $id );
		$order->set_total( $total );
		$order->set_status( 'pending' );
		$order->save();
		return $order;
	}

	/**
	 * The order as stored now (caches dropped: another process may have changed it).
	 *
	 * @param int $id Order id.
	 * @return WC_Order
	 */
	protected function fresh( int $id ): WC_Order {
		wp_cache_flush();
		$order = wc_get_order( $id );
		$this->assertInstanceOf( WC_Order::class, $order );
		return $order;
	}

	/**
	 * Whether the order is paid (processing, or completed when nothing needs shipping), as stored now.
	 *
	 * @param int $id Order id.
	 * @return bool
	 */
	protected function is_paid_now( int $id ): bool {
		return $this->fresh( $id )->has_status( wc_get_is_paid_statuses() );
	}

	/**
	 * Waits until $done answers true (it is asked again as soon as it answers false), at most $seconds.
	 *
	 * @param callable $done    Condition.
	 * @param string   $what    What is waited for.
	 * @param int      $seconds Limit.
	 * @param int|null $order   An order whose status and notes explain a timeout.
	 * @return mixed What $done answered.
	 */
	protected function eventually( callable $done, string $what, int $seconds = 30, ?int $order = null ) {
		$until = microtime( true ) + $seconds;
		do {
			$answer = $done();
			if ( $answer ) {
				return $answer;
			}
			usleep( 100000 ); // Polling interval of a condition, not a synchronisation sleep.
		} while ( microtime( true ) < $until );
		$explain = '';
		if ( null !== $order ) {
			$o       = $this->fresh( $order );
			$notes   = wc_get_order_notes( array( 'order_id' => $order ) );
			$explain = "\norder status: " . $o->get_status() . "\nnotes:\n" . implode( "\n", array_map( static fn( $n ) => $n->content, $notes ) );
		}
		$this->fail( "timed out waiting for: $what$explain" );
	}

	/**
	 * The mails the plugin sent the owner (WooCommerce's own order emails left out).
	 *
	 * @return array<int, array<string, mixed>>
	 */
	protected static function owner_mails(): array {
		return array_values( array_filter( Xpay_Connect_Test_Env::mails(), static fn( $m ) => (bool) preg_match( '/needs your attention|was recalled/', (string) $m['subject'] ) ) );
	}

	/**
	 * A /v1 request to the service as the test merchant.
	 *
	 * @param string     $method HTTP method.
	 * @param string     $path   Path.
	 * @param array|null $body   Body.
	 * @return array<string, mixed>
	 */
	protected function api( string $method, string $path, ?array $body = null ): array {
		$answer = ( new Xpay_Connect_Client( Xpay_Connect_Test_Env::service_url(), Xpay_Connect_Test_Env::api_key() ) )->request( $method, $path, $body );
		$this->assertIsArray( $answer, is_wp_error( $answer ) ? $answer->get_error_message() : '' );
		return $answer;
	}

	/**
	 * Acts on the sandbox as the shopper would (approve, decline, cancel, expire, recall).
	 *
	 * @param string $gateway Gateway.
	 * @param string $ref     Gateway reference (payment id for recall).
	 * @param string $action  Action.
	 * @param array  $body    Body.
	 */
	protected function sandbox( string $gateway, string $ref, string $action, array $body = array() ): void {
		$response = wp_remote_post(
			Xpay_Connect_Test_Env::sandbox_url() . '/_sandbox/' . $gateway . '/orders/' . rawurlencode( $ref ) . '/' . $action,
			array(
				'headers' => array( 'Content-Type' => 'application/json' ),
				'body'    => wp_json_encode( (object) $body ),
				'timeout' => 20,
			)
		);
		$this->assertFalse( is_wp_error( $response ) );
		$this->assertSame( 200, wp_remote_retrieve_response_code( $response ), wp_remote_retrieve_body( $response ) );
	}

	/**
	 * POSTs a body to the store's event route over real HTTP with a signature header.
	 *
	 * @param string      $body   Raw body.
	 * @param string|null $header Signature header (null: none).
	 * @return int HTTP status.
	 */
	protected function deliver( string $body, ?string $header ): int {
		$headers = array( 'Content-Type' => 'application/json' );
		if ( null !== $header ) {
			$headers['X-Xpay-Connect-Signature'] = $header;
		}
		$response = wp_remote_post(
			Xpay_Connect_Events::endpoint_url(),
			array(
				'headers' => $headers,
				'body'    => $body,
				'timeout' => 20,
			)
		);
		$this->assertFalse( is_wp_error( $response ), is_wp_error( $response ) ? $response->get_error_message() : '' );
		return (int) wp_remote_retrieve_response_code( $response );
	}

	/**
	 * A signature header as the service makes it.
	 *
	 * @param string   $body    Raw body.
	 * @param string[] $secrets Secrets.
	 * @param int|null $t       Timestamp.
	 * @return string
	 */
	protected static function sign( string $body, array $secrets, ?int $t = null ): string {
		$t     = $t ?? time();
		$parts = array( 't=' . $t );
		foreach ( $secrets as $secret ) {
			$parts[] = 'v1=' . hash_hmac( 'sha256', $t . '.' . $body, $secret );
		}
		return implode( ',', $parts );
	}

	/**
	 * A page request to the WordPress under test, with cookies and no redirects followed.
	 *
	 * @param string                $method  Method.
	 * @param string                $url     URL.
	 * @param WP_Http_Cookie[]      $cookies Cookies to send.
	 * @param array<string, mixed>  $body    Form body.
	 * @return array{status: int, body: string, location: string, cookies: WP_Http_Cookie[]}
	 */
	protected static function http( string $method, string $url, array $cookies, array $body = array() ): array {
		$response = wp_remote_request(
			$url,
			array(
				'method'      => $method,
				'timeout'     => 30,
				'redirection' => 0,
				'cookies'     => $cookies,
				'body'        => $body ? $body : null,
			)
		);
		if ( is_wp_error( $response ) ) {
			throw new RuntimeException( $response->get_error_message() );
		}
		return array(
			'status'   => (int) wp_remote_retrieve_response_code( $response ),
			'body'     => (string) wp_remote_retrieve_body( $response ),
			'location' => (string) wp_remote_retrieve_header( $response, 'location' ),
			'cookies'  => wp_remote_retrieve_cookies( $response ),
		);
	}
}
