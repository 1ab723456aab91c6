<?php
/**
 * A shopper's checkout through the Store API over real HTTP (what the Checkout block sends): payment data
 * `xpay_wallet`, a bad wallet number refused before any payment is created, the redirect answered.
 *
 * @package Xpay_Connect
 */

require_once __DIR__ . '/XpayServiceTestCaseTest.php';

final class StoreApiTest extends XpayServiceTestCaseTest {

	/**
	 * A published simple product at a price.
	 *
	 * @param string $price Price.
	 * @return int
	 */
	private static function product( string $price ): int {
		$id = wp_insert_post(
			array(
				'post_type'   => 'product',
				'post_status' => 'publish',
				'post_title'  => 'Kettle ' . $price,
			)
		);
		update_post_meta( $id, '_regular_price', $price );
		update_post_meta( $id, '_price', $price );
		update_post_meta( $id, '_virtual', 'yes' );
		return (int) $id;
	}

	/**
	 * A Store API request with the cart's token and nonce.
	 *
	 * @param string     $method  Method.
	 * @param string     $route   Route under /wc/store/v1.
	 * @param array|null $body    JSON body.
	 * @param array      $session Cart-Token and Nonce.
	 * @return array{status: int, body: mixed, headers: mixed}
	 */
	private static function store( string $method, string $route, ?array $body, array $session ): array {
		$response = wp_remote_request(
			rest_url( 'wc/store/v1' . $route ),
			array(
				'method'  => $method,
				'timeout' => 30,
				'headers' => array_filter(
					array(
						'Content-Type' => 'application/json',
						'Cart-Token'   => $session['token'] ?? null,
						'Nonce'        => $session['nonce'] ?? null,
					)
				),
				'body'    => null === $body ? null : wp_json_encode( $body ),
			)
		);
		if ( is_wp_error( $response ) ) {
			throw new RuntimeException( $response->get_error_message() );
		}
		return array(
			'status'  => (int) wp_remote_retrieve_response_code( $response ),
			'body'    => json_decode( wp_remote_retrieve_body( $response ), true ),
			'headers' => wp_remote_retrieve_headers( $response ),
		);
	}

	/**
	 * Places an order through the Store API.
	 *
	 * @param string $method  Gateway id.
	 * @param string $country Billing country.
	 * @param array  $data    payment_data entries.
	 * @return array{status: int, body: mixed}
	 */
	private function checkout( string $method, string $country, array $data ): array {
		$cart    = self::store( 'GET', '/cart', null, array() );
		$session = array(
			'token' => (string) $cart['headers']['cart-token'],
			'nonce' => (string) $cart['headers']['nonce'],
		);
		$added   = self::store( 'POST', '/cart/add-item', array( 'id' => self::product( '1500.00' ), 'quantity' => 1 ), $session );
		$this->assertSame( 201, $added['status'], wp_json_encode( $added['body'] ) );
		$address = array(
			'first_name' => 'Bilal',
			'last_name'  => 'Ahmed',
			'address_1'  => '1 Mall Road',
			'city'       => 'EG' === $country ? 'Cairo' : 'Lahore',
			'postcode'   => '54000',
			'country'    => $country,
			'state'      => 'EG' === $country ? 'EGC' : 'PB',
			'email'      => 'bilal@example.com',
			'phone'      => 'EG' === $country ? '01012345678' : '03001234567',
		);
		return self::store(
			'POST',
			'/checkout',
			array(
				'billing_address'  => $address,
				'shipping_address' => $address,
				'payment_method'   => $method,
				'payment_data'     => $data,
			),
			$session
		);
	}

	public function test_a_block_checkout_with_a_wallet_number_redirects_to_the_gateway(): void {
		$this->gateway( 'xpay_easypaisa', 'PKR' );
		$result = $this->checkout( 'xpay_easypaisa', 'PK', array( array( 'key' => 'xpay_wallet', 'value' => '0345 1234567' ) ) );
		$this->assertSame( 200, $result['status'], wp_json_encode( $result['body'] ) );
		$this->assertSame( 'success', $result['body']['payment_result']['payment_status'] );
		$order   = $this->fresh( (int) $result['body']['order_id'] );
		$payment = $this->api( 'GET', '/v1/payments/' . $order->get_meta( '_xpay_payment_id' ) );
		$this->assertSame( $payment['next_action']['url'], $result['body']['payment_result']['redirect_url'] );
		$this->assertSame( '1500.00', $payment['amount'] );
	}

	public function test_a_bad_wallet_number_is_refused_with_its_message_and_creates_no_payment(): void {
		$this->gateway( 'xpay_easypaisa', 'PKR' );
		$result = $this->checkout( 'xpay_easypaisa', 'PK', array( array( 'key' => 'xpay_wallet', 'value' => '12345' ) ) );
		$this->assertSame( 400, $result['status'], wp_json_encode( $result['body'] ) );
		$this->assertStringContainsString( '03XXXXXXXXX', (string) $result['body']['message'] );
		$order_id = (int) ( $result['body']['data']['order_id'] ?? 0 );
		if ( $order_id ) {
			$this->assertSame( array(), $this->api( 'GET', '/v1/payments?order_ref=' . $order_id )['data'] );
		}
	}

	public function test_a_method_outside_its_country_is_not_offered(): void {
		$this->gateway( 'xpay_eg_card', 'EGP' );
		$result = $this->checkout( 'xpay_eg_card', 'PK', array() );
		$this->assertSame( 400, $result['status'], wp_json_encode( $result['body'] ) );
		$this->assertStringNotContainsString( 'address', (string) $result['body']['message'], 'refused for the payment method, not the address' );
		$this->assertNotSame( 'success', $result['body']['payment_result']['payment_status'] ?? null );
	}
}
