<?php
/**
 * One WooCommerce payment gateway per methods.json entry.
 *
 * @package Xpay_Connect
 */

defined( 'ABSPATH' ) || exit;

/**
 * A payment method of the xpay-connect service (EasyPaisa, Fawry, xPay QR, ...).
 */
class Xpay_Connect_Gateway extends WC_Payment_Gateway {

	/**
	 * The methods.json entry.
	 *
	 * @var array<string, mixed>
	 */
	public $xpay_method;

	/**
	 * A gateway for one method.
	 *
	 * @param array<string, mixed> $method The methods.json entry.
	 */
	public function __construct( array $method ) {
		$this->xpay_method        = $method;
		$this->id                 = (string) $method['id'];
		$this->method_title       = sprintf(
			/* translators: %s: payment method name (EasyPaisa). */
			__( '%s (xpay-connect)', 'xpay-connect-woocommerce' ),
			(string) $method['title']
		);
		$this->method_description = __( 'Paid through your xpay-connect service. Connect the service under Payments → xpay-connect.', 'xpay-connect-woocommerce' );
		$this->has_fields         = ! empty( $method['wallet_field'] );
		$this->supports           = ! empty( $method['refunds'] ) ? array( 'products', 'refunds' ) : array( 'products' );
		$this->icon               = self::icon_url( $this->id );

		$this->init_form_fields();
		$this->init_settings();
		$this->title       = (string) $this->get_option( 'title', (string) $method['title'] );
		$this->description = (string) $this->get_option( 'description', (string) $method['description'] );
		$this->enabled     = (string) $this->get_option( 'enabled', 'no' );

		add_action( 'woocommerce_update_options_payment_gateways_' . $this->id, array( $this, 'process_admin_options' ) );
		add_action( 'woocommerce_thankyou_' . $this->id, array( $this, 'thankyou_page' ) );
		add_action( 'woocommerce_receipt_' . $this->id, array( $this, 'receipt_page' ) );
	}

	/**
	 * The method's icon in assets/, or an empty string.
	 *
	 * @param string $id Gateway id.
	 * @return string
	 */
	public static function icon_url( string $id ): string {
		$file = 'assets/' . str_replace( '_', '-', $id ) . '.svg';
		return file_exists( XPAY_CONNECT_DIR . $file ) ? plugins_url( $file, XPAY_CONNECT_FILE ) : '';
	}

	/**
	 * Per-method settings: enabled, title, description.
	 */
	public function init_form_fields() {
		$this->form_fields = array(
			'enabled'     => array(
				'title'   => __( 'Enable/Disable', 'xpay-connect-woocommerce' ),
				'type'    => 'checkbox',
				/* translators: %s: payment method name. */
				'label'   => sprintf( __( 'Offer %s at checkout', 'xpay-connect-woocommerce' ), (string) $this->xpay_method['title'] ),
				'default' => 'no',
			),
			'title'       => array(
				'title'       => __( 'Title', 'xpay-connect-woocommerce' ),
				'type'        => 'safe_text',
				'description' => __( 'What the shopper sees at checkout.', 'xpay-connect-woocommerce' ),
				'default'     => (string) $this->xpay_method['title'],
				'desc_tip'    => true,
			),
			'description' => array(
				'title'       => __( 'Description', 'xpay-connect-woocommerce' ),
				'type'        => 'textarea',
				'description' => __( 'Shown under the title at checkout.', 'xpay-connect-woocommerce' ),
				'default'     => (string) $this->xpay_method['description'],
				'desc_tip'    => true,
			),
		);
	}

	/**
	 * Offered when enabled, connected, in one of the method's currencies and (when known) countries.
	 *
	 * @return bool
	 */
	public function is_available() {
		if ( 'yes' !== $this->enabled || ! Xpay_Connect_Settings::is_connected() ) {
			return false;
		}
		if ( ! in_array( get_woocommerce_currency(), (array) $this->xpay_method['currencies'], true ) ) {
			return false;
		}
		$country = self::billing_country();
		if ( '' !== $country && ! in_array( $country, (array) $this->xpay_method['countries'], true ) ) {
			return false;
		}
		return true;
	}

	/**
	 * The shopper's billing country when WooCommerce knows it, or ''.
	 *
	 * @return string
	 */
	private static function billing_country(): string {
		$order_id = absint( get_query_var( 'order-pay' ) );
		if ( $order_id ) {
			$order = wc_get_order( $order_id );
			return $order ? (string) $order->get_billing_country() : '';
		}
		if ( function_exists( 'WC' ) && WC()->customer ) {
			return (string) WC()->customer->get_billing_country();
		}
		return '';
	}

	/**
	 * The wallet number field in the classic checkout.
	 */
	public function payment_fields() {
		$description = $this->get_description();
		if ( $description ) {
			echo wpautop( wptexturize( wp_kses_post( $description ) ) ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- kses'd.
		}
		if ( ! $this->has_fields ) {
			return;
		}
		$field = $this->id . '_xpay_wallet';
		printf(
			'<p class="form-row form-row-wide"><label for="%1$s">%2$s</label><input id="%1$s" name="xpay_wallet" type="tel" inputmode="numeric" autocomplete="tel" class="input-text" placeholder="%3$s" /></p>',
			esc_attr( $field ),
			esc_html__( 'Wallet number (optional)', 'xpay-connect-woocommerce' ),
			esc_attr( self::wallet_placeholder( $this->xpay_method ) )
		);
	}

	/**
	 * The wallet number format of a method.
	 *
	 * @param array<string, mixed> $method Method.
	 * @return string
	 */
	public static function wallet_placeholder( array $method ): string {
		return in_array( 'EG', (array) $method['countries'], true ) ? '01XXXXXXXXX' : '03XXXXXXXXX';
	}

	/**
	 * The wallet number posted with the order (classic field or block payment data `xpay_wallet`), normalised;
	 * '' when none was given; a WP_Error when it is not a wallet number.
	 *
	 * @return string|WP_Error
	 */
	public function posted_wallet() {
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- WooCommerce verified the checkout nonce.
		$raw = isset( $_POST['xpay_wallet'] ) ? sanitize_text_field( wp_unslash( (string) $_POST['xpay_wallet'] ) ) : '';
		return self::normalise_wallet( $raw, $this->xpay_method );
	}

	/**
	 * A wallet number as the gateway takes it (03XXXXXXXXX in Pakistan, 01XXXXXXXXX in Egypt).
	 *
	 * @param string               $raw    What the shopper typed.
	 * @param array<string, mixed> $method Method.
	 * @return string|WP_Error
	 */
	public static function normalise_wallet( string $raw, array $method ) {
		$digits = preg_replace( '/[\s\-().]/', '', $raw );
		if ( '' === $digits ) {
			return '';
		}
		// The same rules as the checkout block (src/wallet.ts): Pakistan 03XXXXXXXXX or (+|00)92 3XXXXXXXXX;
		// Egypt 010/011/012/015 and 8 digits, or (+|00)20 1XXXXXXXXX.
		$egypt = in_array( 'EG', (array) $method['countries'], true );
		$local = $egypt ? '/^01[0125]\d{8}$/' : '/^03\d{9}$/';
		$intl  = $egypt ? '/^(?:\+|00)?20(1[0125]\d{8})$/' : '/^(?:\+|00)?92(3\d{9})$/';
		$ok    = (bool) preg_match( $local, $digits );
		if ( ! $ok && preg_match( $intl, $digits, $m ) ) {
			$digits = '0' . $m[1];
			$ok     = true;
		}
		if ( ! $ok ) {
			return new WP_Error(
				'xpay_wallet_invalid',
				sprintf(
					/* translators: 1: payment method name, 2: number format (03XXXXXXXXX). */
					__( 'Enter your %1$s number as %2$s (11 digits), or leave it empty to enter it on the next page.', 'xpay-connect-woocommerce' ),
					(string) $method['title'],
					self::wallet_placeholder( $method )
				)
			);
		}
		return $digits;
	}

	/**
	 * Classic checkout: refuse a bad wallet number before the order is placed.
	 *
	 * @return bool
	 */
	public function validate_fields() {
		if ( ! $this->has_fields ) {
			return true;
		}
		$wallet = $this->posted_wallet();
		if ( is_wp_error( $wallet ) ) {
			wc_add_notice( esc_html( $wallet->get_error_message() ), 'error' );
			return false;
		}
		return true;
	}

	/**
	 * Creates the payment at the service and sends the shopper on.
	 *
	 * @param int $order_id Order id.
	 * @return array<string, string>
	 */
	public function process_payment( $order_id ) {
		$order = wc_get_order( $order_id );
		if ( ! $order ) {
			wc_add_notice( esc_html__( 'That order does not exist.', 'xpay-connect-woocommerce' ), 'error' );
			return array( 'result' => 'failure' );
		}
		$wallet = '';
		if ( $this->has_fields ) {
			$wallet = $this->posted_wallet();
			if ( is_wp_error( $wallet ) ) {
				wc_add_notice( esc_html( $wallet->get_error_message() ), 'error' );
				return array( 'result' => 'failure' );
			}
		}
		$result = Xpay_Connect_Orders::create_payment( $order, $this->xpay_method, $wallet );
		if ( is_wp_error( $result ) ) {
			wc_add_notice( esc_html( Xpay_Connect_Orders::shopper_message( $result ) ), 'error' );
			return array( 'result' => 'failure' );
		}
		return array(
			'result'   => 'success',
			'redirect' => Xpay_Connect_Orders::next_url( $order, $result ),
		);
	}

	/**
	 * Refunds through the service, where the gateway can refund.
	 *
	 * @param int        $order_id Order id.
	 * @param float|null $amount   Amount (WooCommerce passes the refund's amount).
	 * @param string     $reason   Reason.
	 * @return bool|WP_Error
	 */
	public function process_refund( $order_id, $amount = null, $reason = '' ) {
		if ( empty( $this->xpay_method['refunds'] ) ) {
			return new WP_Error(
				'xpay_connect_refund_unsupported',
				sprintf(
					/* translators: %s: payment method name. */
					__( '%s cannot refund through xpay-connect: refund the shopper from the gateway\'s dashboard, then record the refund manually.', 'xpay-connect-woocommerce' ),
					(string) $this->xpay_method['title']
				)
			);
		}
		$order = wc_get_order( $order_id );
		if ( ! $order ) {
			return new WP_Error( 'xpay_connect_no_order', __( 'That order does not exist.', 'xpay-connect-woocommerce' ) );
		}
		return Xpay_Connect_Orders::refund( $order, $amount, (string) $reason );
	}

	/**
	 * Thank-you page: bill instructions, or "waiting for the payment to be confirmed".
	 *
	 * @param int $order_id Order id.
	 */
	public function thankyou_page( $order_id ) {
		$order = wc_get_order( $order_id );
		if ( $order ) {
			Xpay_Connect_Orders::render_status_box( $order, false );
		}
	}

	/**
	 * Order-pay page (QR methods): the QR, the pay link, and the status followed without reloading.
	 *
	 * @param int $order_id Order id.
	 */
	public function receipt_page( $order_id ) {
		$order = wc_get_order( $order_id );
		if ( $order ) {
			Xpay_Connect_Orders::render_status_box( $order, true );
		}
	}
}
