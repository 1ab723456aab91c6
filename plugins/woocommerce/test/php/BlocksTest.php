<?php
/**
 * The checkout-block integration: nine payment method types in WooCommerce's registry, their script
 * handle and the data the block reads with getSetting('<id>_data').
 *
 * @package Xpay_Connect
 */

use Automattic\WooCommerce\Blocks\Payments\PaymentMethodRegistry;

require_once __DIR__ . '/XpayServiceTestCaseTest.php';

final class BlocksTest extends XpayServiceTestCaseTest {

	/**
	 * A registry initialised as WooCommerce Blocks does it (firing the registration action).
	 *
	 * @return PaymentMethodRegistry
	 */
	private static function registry(): PaymentMethodRegistry {
		$registry = new PaymentMethodRegistry();
		$registry->initialize();
		return $registry;
	}

	public function test_every_method_is_registered_with_its_gateway_id_and_block_data(): void {
		$this->gateway( 'xpay_easypaisa', 'PKR' );
		if ( function_exists( 'WC' ) && WC()->customer ) {
			WC()->customer->set_billing_country( 'PK' );
		}
		$registry   = self::registry();
		$registered = array_keys( $registry->get_all_registered() );
		foreach ( array_keys( Xpay_Connect_Methods::all() ) as $id ) {
			$this->assertContains( $id, $registered );
		}
		$data = $registry->get_all_registered_script_data();
		$this->assertSame(
			array(
				'title'        => 'EasyPaisa',
				'description'  => 'Pay from your EasyPaisa wallet. You approve the payment on the EasyPaisa page.',
				'icon'         => plugins_url( 'assets/xpay-easypaisa.svg', XPAY_CONNECT_FILE ),
				'supports'     => array( 'products' ),
				'wallet_field' => true,
				'currencies'   => array( 'PKR' ),
			),
			$data['paymentMethodData']['xpay_easypaisa']
		);
		$this->assertSame( array( 'products', 'refunds' ), $registry->get_registered( 'xpay_eg_card' )->get_payment_method_data()['supports'] );
		$this->assertFalse( $registry->get_registered( 'xpay_jazzcash' )->get_payment_method_data()['wallet_field'] );
		$this->assertSame( array( 'EGP' ), $registry->get_registered( 'xpay_eg_kiosk' )->get_payment_method_data()['currencies'] );
	}

	public function test_only_available_methods_are_active_and_they_load_the_shared_script(): void {
		$this->gateway( 'xpay_easypaisa', 'PKR' );
		if ( function_exists( 'WC' ) && WC()->customer ) {
			WC()->customer->set_billing_country( 'PK' );
		}
		$registry = self::registry();
		$active   = array_keys( $registry->get_all_active_registered() );
		$this->assertContains( 'xpay_easypaisa', $active );
		$this->assertNotContains( 'xpay_eg_card', $active, 'not enabled, and EGP only' );
		$method = $registry->get_registered( 'xpay_easypaisa' );
		if ( file_exists( XPAY_CONNECT_DIR . 'build/index.asset.php' ) ) {
			$this->assertSame( array( 'xpay-connect-blocks' ), $method->get_payment_method_script_handles() );
			$this->assertTrue( wp_script_is( 'xpay-connect-blocks', 'registered' ) );
			$this->assertStringEndsWith( '/build/index.js', wp_scripts()->registered['xpay-connect-blocks']->src );
		} else {
			$this->assertSame( array(), $method->get_payment_method_script_handles() );
		}
	}
}
