<?php
/**
 * Model of WooCommerce's mailer (WooCommerce 9.4.3 includes/class-wc-emails.php and the new-order / customer on-hold /
 * customer processing emails): WC()->mailer()->send() goes through wp_mail() (filter woocommerce_mail_content);
 * wrap_message() adds a heading. On status transitions the stand-in sends, like WooCommerce:
 * - "new order" to the admin email on pending|failed|cancelled -> processing|on-hold|completed;
 * - "customer on-hold" on pending|failed|cancelled -> on-hold; "customer processing" on pending|failed|cancelled|on-hold
 *   -> processing; "cancelled order" to the admin on processing|on-hold -> cancelled; "failed order" to the admin on
 *   pending|on-hold -> failed;
 * each body firing woocommerce_email_before_order_table and woocommerce_email_after_order_table
 * ($order, $sent_to_admin, $plain_text, $email) so a gateway can add its instructions. Templates are plain HTML.
 *
 * @package WooCommerceStandin
 */

defined( 'ABSPATH' ) || exit;

/**
 * One email (WC_Email model: id, recipient, object; is_customer_email()).
 */
class WC_Email {
	/**
	 * Email id (new_order, customer_on_hold_order, ...).
	 *
	 * @var string
	 */
	public $id = '';

	/**
	 * Recipient.
	 *
	 * @var string
	 */
	public $recipient = '';

	/**
	 * The order.
	 *
	 * @var WC_Order|null
	 */
	public $object = null;

	/**
	 * Recipient.
	 *
	 * @return string
	 */
	public function get_recipient() {
		return $this->recipient;
	}

	/**
	 * Whether it goes to the customer.
	 *
	 * @return bool
	 */
	public function is_customer_email() {
		return 0 === strpos( $this->id, 'customer_' );
	}
}

/**
 * Mailer (model).
 */
class WC_Emails {

	/**
	 * Instance.
	 *
	 * @var WC_Emails|null
	 */
	protected static $instance = null;

	/**
	 * Instance.
	 *
	 * @return WC_Emails
	 */
	public static function instance() {
		if ( null === self::$instance ) {
			self::$instance = new self();
		}
		return self::$instance;
	}

	/**
	 * Hooks the transactional emails.
	 */
	public static function init_transactional_emails() {
		foreach ( array( 'pending', 'failed', 'cancelled' ) as $from ) {
			foreach ( array( 'processing', 'on-hold', 'completed' ) as $to ) {
				add_action( "woocommerce_order_status_{$from}_to_{$to}", array( __CLASS__, 'send_new_order' ), 10, 2 );
			}
			add_action( "woocommerce_order_status_{$from}_to_on-hold", array( __CLASS__, 'send_customer_on_hold' ), 10, 2 );
		}
		foreach ( array( 'pending', 'failed', 'cancelled', 'on-hold' ) as $from ) {
			add_action( "woocommerce_order_status_{$from}_to_processing", array( __CLASS__, 'send_customer_processing' ), 10, 2 );
		}
		foreach ( array( 'processing', 'on-hold' ) as $from ) {
			add_action( "woocommerce_order_status_{$from}_to_cancelled", array( __CLASS__, 'send_cancelled_order' ), 10, 2 );
		}
		foreach ( array( 'pending', 'on-hold' ) as $from ) {
			add_action( "woocommerce_order_status_{$from}_to_failed", array( __CLASS__, 'send_failed_order' ), 10, 2 );
		}
	}

	/**
	 * Sends an email through wp_mail.
	 *
	 * @param string|array $to          Recipient.
	 * @param string       $subject     Subject.
	 * @param string       $message     HTML body.
	 * @param string|array $headers     Headers.
	 * @param array        $attachments Attachments.
	 * @return bool
	 */
	public function send( $to, $subject, $message, $headers = "Content-Type: text/html\r\n", $attachments = array() ) {
		$message = apply_filters( 'woocommerce_mail_content', $this->style_inline( $message ) );
		return wp_mail( $to, wp_specialchars_decode( $subject, ENT_QUOTES ), $message, $headers, $attachments );
	}

	/**
	 * Heading + message HTML.
	 *
	 * @param string $email_heading Heading.
	 * @param string $message       Message.
	 * @return string
	 */
	public function wrap_message( $email_heading, $message ) {
		return '<!DOCTYPE html><html><body><h1>' . esc_html( $email_heading ) . '</h1>' . wpautop( wptexturize( $message ) ) . '</body></html>';
	}

	/**
	 * No CSS inlining in the stand-in.
	 *
	 * @param string $content Content.
	 * @return string
	 */
	public function style_inline( $content ) {
		return $content;
	}

	/**
	 * Order email body with the order-table hooks.
	 *
	 * @param WC_Order $order         Order.
	 * @param string   $heading       Heading.
	 * @param bool     $sent_to_admin To admin.
	 * @param string   $email_id      Email id.
	 * @return string
	 */
	protected static function order_body( $order, $heading, $sent_to_admin, $email_id ) {
		$email            = new WC_Email();
		$email->id        = $email_id;
		$email->recipient = $sent_to_admin ? (string) get_option( 'admin_email' ) : $order->get_billing_email();
		$email->object    = $order;
		ob_start();
		do_action( 'woocommerce_email_before_order_table', $order, $sent_to_admin, false, $email );
		echo '<h2>' . esc_html( sprintf( /* translators: %s: order number */ __( 'Order #%s', 'woocommerce' ), $order->get_order_number() ) ) . '</h2>';
		echo '<table class="order-table">';
		foreach ( $order->get_items() as $item ) {
			echo '<tr><td>' . esc_html( $item->get_name() ) . ' &times; ' . esc_html( (string) $item->get_quantity() ) . '</td><td>' . wp_kses_post( wc_price( $item->get_total(), array( 'currency' => $order->get_currency() ) ) ) . '</td></tr>';
		}
		echo '<tr><th>' . esc_html__( 'Total:', 'woocommerce' ) . '</th><td>' . wp_kses_post( $order->get_formatted_order_total() ) . '</td></tr>';
		echo '<tr><th>' . esc_html__( 'Payment method:', 'woocommerce' ) . '</th><td>' . esc_html( $order->get_payment_method_title() ) . '</td></tr>';
		echo '</table>';
		do_action( 'woocommerce_email_after_order_table', $order, $sent_to_admin, false, $email );
		// WooCommerce's emails end with the customer's billing address (email-addresses.php).
		echo '<address>' . esc_html( $order->get_formatted_billing_full_name() ) . '<br/>' . esc_html( $order->get_billing_phone() ) . '<br/>' . esc_html( $order->get_billing_email() ) . '</address>';
		$body = (string) ob_get_clean();
		return '<!DOCTYPE html><html><body><h1>' . esc_html( $heading ) . '</h1>' . $body . '</body></html>';
	}

	/**
	 * New order email to the admin.
	 *
	 * @param int      $order_id Order id.
	 * @param WC_Order $order    Order.
	 */
	public static function send_new_order( $order_id, $order = null ) {
		$order = $order ? $order : wc_get_order( $order_id );
		if ( ! $order ) {
			return;
		}
		/* translators: 1: site title 2: order number */
		$subject = sprintf( __( '[%1$s]: New order #%2$s', 'woocommerce' ), wp_specialchars_decode( get_option( 'blogname' ), ENT_QUOTES ), $order->get_order_number() );
		self::instance()->send( get_option( 'admin_email' ), $subject, self::order_body( $order, __( 'New Order', 'woocommerce' ), true, 'new_order' ) );
	}

	/**
	 * Cancelled order email to the admin (processing|on-hold -> cancelled).
	 *
	 * @param int      $order_id Order id.
	 * @param WC_Order $order    Order.
	 */
	public static function send_cancelled_order( $order_id, $order = null ) {
		$order = $order ? $order : wc_get_order( $order_id );
		if ( ! $order ) {
			return;
		}
		/* translators: 1: site title 2: order number */
		$subject = sprintf( __( '[%1$s]: Order #%2$s has been cancelled', 'woocommerce' ), wp_specialchars_decode( get_option( 'blogname' ), ENT_QUOTES ), $order->get_order_number() );
		self::instance()->send( get_option( 'admin_email' ), $subject, self::order_body( $order, __( 'Order Cancelled', 'woocommerce' ), true, 'cancelled_order' ) );
	}

	/**
	 * Failed order email to the admin (pending|on-hold -> failed).
	 *
	 * @param int      $order_id Order id.
	 * @param WC_Order $order    Order.
	 */
	public static function send_failed_order( $order_id, $order = null ) {
		$order = $order ? $order : wc_get_order( $order_id );
		if ( ! $order ) {
			return;
		}
		/* translators: 1: site title 2: order number */
		$subject = sprintf( __( '[%1$s]: Order #%2$s has failed', 'woocommerce' ), wp_specialchars_decode( get_option( 'blogname' ), ENT_QUOTES ), $order->get_order_number() );
		self::instance()->send( get_option( 'admin_email' ), $subject, self::order_body( $order, __( 'Order Failed', 'woocommerce' ), true, 'failed_order' ) );
	}

	/**
	 * Customer on-hold email.
	 *
	 * @param int      $order_id Order id.
	 * @param WC_Order $order    Order.
	 */
	public static function send_customer_on_hold( $order_id, $order = null ) {
		$order = $order ? $order : wc_get_order( $order_id );
		if ( ! $order || ! $order->get_billing_email() ) {
			return;
		}
		/* translators: %s: site title */
		$subject = sprintf( __( 'Your %s order has been received!', 'woocommerce' ), wp_specialchars_decode( get_option( 'blogname' ), ENT_QUOTES ) );
		self::instance()->send( $order->get_billing_email(), $subject, self::order_body( $order, __( 'Thank you for your order', 'woocommerce' ), false, 'customer_on_hold_order' ) );
	}

	/**
	 * Customer processing email.
	 *
	 * @param int      $order_id Order id.
	 * @param WC_Order $order    Order.
	 */
	public static function send_customer_processing( $order_id, $order = null ) {
		$order = $order ? $order : wc_get_order( $order_id );
		if ( ! $order || ! $order->get_billing_email() ) {
			return;
		}
		/* translators: %s: site title */
		$subject = sprintf( __( 'Your %s order has been received!', 'woocommerce' ), wp_specialchars_decode( get_option( 'blogname' ), ENT_QUOTES ) );
		self::instance()->send( $order->get_billing_email(), $subject, self::order_body( $order, __( 'Thank you for your order', 'woocommerce' ), false, 'customer_processing_order' ) );
	}
}
add_action( 'init', array( 'WC_Emails', 'init_transactional_emails' ) );

/**
 * Sends mail through the WooCommerce mailer, as wc_mail().
 *
 * @param string|array $to          Recipient.
 * @param string       $subject     Subject.
 * @param string       $message     Message.
 * @param string       $headers     Headers.
 * @param array        $attachments Attachments.
 * @return bool
 */
function wc_mail( $to, $subject, $message, $headers = "Content-Type: text/html\r\n", $attachments = array() ) {
	return WC()->mailer()->send( $to, $subject, $message, $headers, $attachments );
}
