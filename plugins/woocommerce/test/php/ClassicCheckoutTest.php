<?php
/**
 * The classic (shortcode) checkout over HTTP as a guest: the wallet field in the form, a bad number refused
 * with its message before any payment, a good one sent on to the gateway's page.
 *
 * @package Xpay_Connect
 */

require_once __DIR__ . '/XpayServiceTestCaseTest.php';

final class ClassicCheckoutTest extends XpayServiceTestCaseTest {

	/**
	 * The guest's cookies.
	 *
	 * @var WP_Http_Cookie[]
	 */
	private $jar = array();

	/**
	 * A request that keeps the guest's cookies.
	 *
	 * @param string     $method Method.
	 * @param string     $url    URL.
	 * @param array|null $body   Form body.
	 * @return array{status: int, body: string}
	 */
	private function browse( string $method, string $url, ?array $body = null ): array {
		$answer = self::http( $method, $url, $this->jar, $body ?? array() );
		foreach ( $answer['cookies'] as $cookie ) {
			$this->jar   = array_values( array_filter( $this->jar, static fn( $c ) => $c->name !== $cookie->name ) );
			$this->jar[] = $cookie;
		}
		return array(
			'status' => $answer['status'],
			'body'   => $answer['body'],
		);
	}

	/**
	 * A cart with one product and the checkout form's nonce.
	 *
	 * @return string The nonce.
	 */
	private function cart_and_nonce(): string {
		$this->jar = array();
		$product   = wp_insert_post( array( 'post_type' => 'product', 'post_status' => 'publish', 'post_title' => 'Scarf' ) );
		update_post_meta( $product, '_regular_price', '1500.00' );
		update_post_meta( $product, '_price', '1500.00' );
		update_post_meta( $product, '_virtual', 'yes' );
		// The classic checkout: the shortcode on the checkout page (WooCommerce 9.4 installs the block there).
		wp_update_post( array( 'ID' => wc_get_page_id( 'checkout' ), 'post_content' => '[woocommerce_checkout]' ) );
		$this->browse( 'GET', add_query_arg( 'add-to-cart', $product, home_url( '/' ) ) );
		$page = $this->browse( 'GET', wc_get_checkout_url() );
		$this->assertSame( 200, $page['status'] );
		$this->assertStringContainsString( 'name="xpay_wallet"', $page['body'], 'the wallet field in the EasyPaisa choice' );
		$this->assertSame( 1, preg_match( '/name="woocommerce-process-checkout-nonce" value="([^"]+)"/', $page['body'], $m ) );
		return $m[1];
	}

	/**
	 * Places the order with wc-ajax=checkout.
	 *
	 * @param string $nonce  Nonce.
	 * @param string $wallet Wallet number.
	 * @return array<string, mixed>
	 */
	private function place( string $nonce, string $wallet ): array {
		$answer = $this->browse(
			'POST',
			add_query_arg( 'wc-ajax', 'checkout', home_url( '/' ) ),
			array(
				'billing_first_name'                 => 'Sana',
				'billing_last_name'                  => 'Iqbal',
				'billing_country'                    => 'PK',
				'billing_address_1'                  => '2 Canal Road',
				'billing_city'                       => 'Lahore',
				'billing_state'                      => 'PB',
				'billing_postcode'                   => '54000',
				'billing_phone'                      => '03001112233',
				'billing_email'                      => 'sana@example.com',
				'payment_method'                     => 'xpay_easypaisa',
				'xpay_wallet'                        => $wallet,
				'terms'                              => '1',
				'woocommerce-process-checkout-nonce' => $nonce,
				'woocommerce_checkout_place_order'   => 'Place order',
			)
		);
		$json = json_decode( $answer['body'], true );
		$this->assertIsArray( $json, substr( $answer['body'], 0, 500 ) );
		return $json;
	}

	public function test_a_bad_wallet_number_is_refused_and_a_good_one_goes_to_the_gateway(): void {
		$this->gateway( 'xpay_easypaisa', 'PKR' );
		update_option( 'woocommerce_default_country', 'PK:PB' );
		$nonce = $this->cart_and_nonce();

		$refused = $this->place( $nonce, '0300' );
		$this->assertSame( 'failure', $refused['result'] );
		$this->assertStringContainsString( '03XXXXXXXXX', (string) $refused['messages'] );

		$placed = $this->place( $nonce, '0300 1112233' );
		$this->assertSame( 'success', $placed['result'], wp_json_encode( $placed ) );
		$this->assertStringContainsString( '/xpress-pay/', (string) $placed['redirect'] );
	}
}
