<?php
/**
 * The nine gateways: registration, settings, availability, wallet numbers, amounts as decimal strings.
 *
 * @package Xpay_Connect
 */

use PHPUnit\Framework\TestCase;

final class GatewayTest extends TestCase {

	protected function setUp(): void {
		update_option( 'xpay_connect_service_url', 'http://127.0.0.1:1' );
		update_option( 'xpay_connect_api_key', 'xc_test_x', false );
		update_option( 'xpay_connect_signing_secret', 'whsec_test', false );
		update_option( 'woocommerce_currency', 'PKR' );
		foreach ( Xpay_Connect_Methods::all() as $id => $method ) {
			update_option( 'woocommerce_' . $id . '_settings', array( 'enabled' => 'yes' ) );
		}
		Xpay_Connect_Plugin::reset_gateways();
	}

	protected function tearDown(): void {
		foreach ( array( 'xpay_connect_service_url', 'xpay_connect_api_key', 'xpay_connect_signing_secret' ) as $option ) {
			delete_option( $option );
		}
		foreach ( Xpay_Connect_Methods::all() as $id => $method ) {
			delete_option( 'woocommerce_' . $id . '_settings' );
		}
		Xpay_Connect_Plugin::reset_gateways();
	}

	public function test_registers_one_gateway_per_method_with_the_methods_json_id(): void {
		$gateways = apply_filters( 'woocommerce_payment_gateways', array() );
		$ids      = array();
		foreach ( $gateways as $gateway ) {
			if ( $gateway instanceof Xpay_Connect_Gateway ) {
				$ids[] = $gateway->id;
			}
		}
		$this->assertSame( array( 'xpay_easypaisa', 'xpay_jazzcash', 'xpay_pk_card', 'xpay_eg_card', 'xpay_eg_kiosk', 'xpay_eg_fawry', 'xpay_eg_wallet', 'xpay_eg_valu', 'xpay_kg_qr' ), $ids );
		$this->assertCount( 9, Xpay_Connect_Methods::all() );
	}

	public function test_refund_support_follows_methods_json(): void {
		$gateways = Xpay_Connect_Plugin::gateways();
		$this->assertTrue( $gateways['xpay_eg_card']->supports( 'refunds' ) );
		$this->assertFalse( $gateways['xpay_easypaisa']->supports( 'refunds' ) );
		$this->assertFalse( $gateways['xpay_kg_qr']->supports( 'refunds' ) );
		$refused = $gateways['xpay_easypaisa']->process_refund( 1, '10.00', '' );
		$this->assertInstanceOf( WP_Error::class, $refused );
		$this->assertStringContainsString( 'manually', $refused->get_error_message() );
	}

	public function test_per_method_title_description_and_enable_come_from_its_own_settings(): void {
		update_option(
			'woocommerce_xpay_jazzcash_settings',
			array(
				'enabled'     => 'no',
				'title'       => 'JazzCash wallet',
				'description' => 'Pay <b>now</b>',
			)
		);
		Xpay_Connect_Plugin::reset_gateways();
		$gateway = Xpay_Connect_Plugin::gateways()['xpay_jazzcash'];
		$this->assertSame( 'JazzCash wallet', $gateway->get_title() );
		$this->assertSame( 'no', $gateway->enabled );
		$this->assertFalse( $gateway->is_available() );
		$this->assertSame( array( 'enabled', 'title', 'description' ), array_keys( $gateway->get_form_fields() ) );
	}

	public function test_titles_and_descriptions_of_methods_json_are_translated_in_the_sites_language(): void {
		$urdu   = array(
			'EasyPaisa' => 'ایزی پیسہ',
			'Pay from your EasyPaisa wallet. You approve the payment on the EasyPaisa page.' => 'اپنے ایزی پیسہ والیٹ سے ادائیگی کریں۔',
		);
		$filter = static function ( $translation, $text, $domain ) use ( $urdu ) {
			return 'xpay-connect-woocommerce' === $domain && isset( $urdu[ $text ] ) ? $urdu[ $text ] : $translation;
		};
		add_filter( 'gettext', $filter, 10, 3 );
		try {
			Xpay_Connect_Plugin::reset_gateways();
			$gateway = Xpay_Connect_Plugin::gateways()['xpay_easypaisa'];
			$this->assertSame( 'ایزی پیسہ', $gateway->get_title() );
			$this->assertSame( 'اپنے ایزی پیسہ والیٹ سے ادائیگی کریں۔', $gateway->get_description() );
			$this->assertSame( 'ایزی پیسہ (xpay-connect)', $gateway->method_title );
			$this->assertSame( 'ایزی پیسہ', Xpay_Connect_Methods::get( 'xpay_easypaisa' )['title'] );
			$this->assertSame( 'JazzCash', Xpay_Connect_Methods::get( 'xpay_jazzcash' )['title'], 'untranslated strings stay as they are' );
		} finally {
			remove_filter( 'gettext', $filter, 10 );
		}
		Xpay_Connect_Plugin::reset_gateways();
		$this->assertSame( 'EasyPaisa', Xpay_Connect_Plugin::gateways()['xpay_easypaisa']->get_title(), 'nothing translated is cached' );
	}

	public function test_every_methods_json_title_and_description_is_in_the_pot(): void {
		$pot = (string) file_get_contents( XPAY_CONNECT_DIR . 'languages/xpay-connect-woocommerce.pot' );
		foreach ( Xpay_Connect_Methods::all() as $method ) {
			$this->assertStringContainsString( 'msgid ' . wp_json_encode( $method['title'], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES ), $pot );
			$this->assertStringContainsString( 'msgid ' . wp_json_encode( $method['description'], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES ), $pot );
		}
	}

	/**
	 * The shopper's billing country, as WooCommerce's session customer has it.
	 *
	 * @param string $country Country.
	 */
	private static function shopper_in( string $country ): void {
		if ( function_exists( 'WC' ) && WC()->customer ) {
			WC()->customer->set_billing_country( $country );
		}
	}

	public function test_is_available_needs_a_connection_and_the_methods_currency_and_country(): void {
		$gateways = Xpay_Connect_Plugin::gateways();
		self::shopper_in( 'PK' );
		$this->assertTrue( $gateways['xpay_easypaisa']->is_available() );
		$this->assertFalse( $gateways['xpay_eg_card']->is_available(), 'EGP/USD/... only' );
		$this->assertFalse( $gateways['xpay_kg_qr']->is_available(), 'KGS only' );

		update_option( 'woocommerce_currency', 'EGP' );
		self::shopper_in( 'EG' );
		$this->assertFalse( $gateways['xpay_easypaisa']->is_available() );
		$this->assertTrue( $gateways['xpay_eg_kiosk']->is_available() );
		update_option( 'woocommerce_currency', 'USD' );
		$this->assertTrue( $gateways['xpay_eg_card']->is_available() );
		$this->assertFalse( $gateways['xpay_eg_kiosk']->is_available(), 'Aman kiosks take EGP only' );

		if ( function_exists( 'WC' ) && WC()->customer ) {
			self::shopper_in( 'PK' );
			$this->assertFalse( $gateways['xpay_eg_card']->is_available(), 'an Egyptian method for a shopper in Pakistan' );
			self::shopper_in( 'EG' );
		}
		delete_option( 'xpay_connect_signing_secret' );
		$this->assertFalse( $gateways['xpay_eg_card']->is_available(), 'not connected' );
	}

	public function test_wallet_numbers_are_normalised_or_refused_with_a_clear_message(): void {
		$pk = Xpay_Connect_Methods::get( 'xpay_easypaisa' );
		$eg = Xpay_Connect_Methods::get( 'xpay_eg_wallet' );
		$this->assertSame( '03001234567', Xpay_Connect_Gateway::normalise_wallet( '0300 123-4567', $pk ) );
		$this->assertSame( '03001234567', Xpay_Connect_Gateway::normalise_wallet( '+923001234567', $pk ) );
		$this->assertSame( '', Xpay_Connect_Gateway::normalise_wallet( '  ', $pk ) );
		$this->assertSame( '03001234567', Xpay_Connect_Gateway::normalise_wallet( '923001234567', $pk ), 'as the block takes it' );
		$this->assertSame( '01012345678', Xpay_Connect_Gateway::normalise_wallet( '+201012345678', $eg ) );
		$this->assertSame( '01512345678', Xpay_Connect_Gateway::normalise_wallet( '00201512345678', $eg ) );
		$this->assertInstanceOf( WP_Error::class, Xpay_Connect_Gateway::normalise_wallet( '01312345678', $eg ), '013 is no Egyptian network' );
		foreach ( array( '0300123456', '04001234567', 'abc', '030012345678', '<script>' ) as $bad ) {
			$error = Xpay_Connect_Gateway::normalise_wallet( $bad, $pk );
			$this->assertInstanceOf( WP_Error::class, $error, $bad );
			$this->assertStringContainsString( '03XXXXXXXXX', $error->get_error_message() );
		}
		$this->assertInstanceOf( WP_Error::class, Xpay_Connect_Gateway::normalise_wallet( '03001234567', $eg ) );
	}

	public function test_amounts_are_decimal_strings_without_float_maths(): void {
		$this->assertSame( '1500.00', Xpay_Connect_Orders::money( '1500', 2 ) );
		$this->assertSame( '0.30', Xpay_Connect_Orders::money( '0.3', 2 ) );
		$this->assertSame( '10.01', Xpay_Connect_Orders::money( '10.005', 2 ) );
		$this->assertSame( '100.00', Xpay_Connect_Orders::money( '99.999', 2 ) );
		$this->assertSame( '1500', Xpay_Connect_Orders::money( '1500.4', 0 ) );
		$this->assertSame( '12345678901234.56', Xpay_Connect_Orders::money( '12345678901234.56', 2 ) );
		$this->assertSame( Xpay_Connect_Orders::minor( '20.00' ), Xpay_Connect_Orders::minor( '20' ) );
	}

	public function test_classic_checkout_field_is_escaped_and_named_xpay_wallet(): void {
		$gateway = Xpay_Connect_Plugin::gateways()['xpay_easypaisa'];
		ob_start();
		$gateway->payment_fields();
		$html = (string) ob_get_clean();
		$this->assertStringContainsString( 'name="xpay_wallet"', $html );
		$this->assertStringContainsString( '03XXXXXXXXX', $html );
		ob_start();
		Xpay_Connect_Plugin::gateways()['xpay_jazzcash']->payment_fields();
		$this->assertStringNotContainsString( 'xpay_wallet', (string) ob_get_clean() );
	}
}
