<?php
/**
 * Model of WooCommerce's core functions (wc-core-functions.php, wc-formatting-functions.php, wc-notice-functions.php,
 * wc-page-functions.php in WooCommerce 9.4.3): currency, prices, notices, page URLs/endpoints, statuses, logger.
 *
 * @package WooCommerceStandin
 */

defined( 'ABSPATH' ) || exit;

/**
 * The store currency (option woocommerce_currency, filter woocommerce_currency), as get_woocommerce_currency().
 *
 * @return string
 */
function get_woocommerce_currency() {
	return apply_filters( 'woocommerce_currency', get_option( 'woocommerce_currency' ) );
}

/**
 * Currency symbols WooCommerce uses for the currencies this project's gateways take.
 *
 * @param string $currency Currency code; empty: the store's.
 * @return string
 */
function get_woocommerce_currency_symbol( $currency = '' ) {
	if ( ! $currency ) {
		$currency = get_woocommerce_currency();
	}
	$symbols = array(
		'AED' => '&#x62f;.&#x625;',
		'EGP' => 'EGP',
		'EUR' => '&euro;',
		'GBP' => '&pound;',
		'KGS' => '&#x441;&#x43e;&#x43c;',
		'PKR' => '&#8360;',
		'SAR' => '&#x631;.&#x633;',
		'USD' => '&#36;',
	);
	$symbol  = isset( $symbols[ $currency ] ) ? $symbols[ $currency ] : '';
	return apply_filters( 'woocommerce_currency_symbol', $symbol, $currency );
}

/**
 * Number of decimals (option woocommerce_price_num_decimals, default 2).
 *
 * @return int
 */
function wc_get_price_decimals() {
	return absint( apply_filters( 'wc_get_price_decimals', get_option( 'woocommerce_price_num_decimals', 2 ) ) );
}

/**
 * Formats a price as wc_price() does (currency symbol left, thousands ',', decimals '.').
 *
 * @param string|float $price Price.
 * @param array        $args  currency, decimals, decimal_separator, thousand_separator, price_format.
 * @return string HTML.
 */
function wc_price( $price, $args = array() ) {
	$args     = apply_filters(
		'wc_price_args',
		wp_parse_args(
			$args,
			array(
				'ex_tax_label'       => false,
				'currency'           => '',
				'decimal_separator'  => stripslashes( (string) get_option( 'woocommerce_price_decimal_sep', '.' ) ),
				'thousand_separator' => stripslashes( (string) get_option( 'woocommerce_price_thousand_sep', ',' ) ),
				'decimals'           => wc_get_price_decimals(),
				'price_format'       => '%1$s%2$s',
			)
		)
	);
	$original = $price;
	$price    = (float) $price;
	$negative = $price < 0;
	$price    = apply_filters( 'raw_woocommerce_price', $negative ? $price * -1 : $price, $original );
	$number   = apply_filters( 'formatted_woocommerce_price', number_format( $price, $args['decimals'], $args['decimal_separator'], $args['thousand_separator'] ), $price, $args['decimals'], $args['decimal_separator'], $args['thousand_separator'], $original );
	$inner    = ( $negative ? '-' : '' ) . sprintf( $args['price_format'], '<span class="woocommerce-Price-currencySymbol">' . get_woocommerce_currency_symbol( $args['currency'] ) . '</span>', $number );
	$html     = '<span class="woocommerce-Price-amount amount"><bdi>' . $inner . '</bdi></span>';
	return apply_filters( 'wc_price', $html, $price, $args, $price, $original );
}

/**
 * Formats a decimal as wc_format_decimal() does: strings keep their digits (no float round trip) unless $dp is given;
 * floats are printed and trimmed.
 *
 * @param mixed    $number Number.
 * @param int|bool $dp     Decimals to round to, or false.
 * @param bool     $trim_zeros Trim trailing zeros.
 * @return string
 */
function wc_format_decimal( $number, $dp = false, $trim_zeros = false ) {
	if ( is_float( $number ) ) {
		$number     = sprintf( '%.12F', $number );
		$trim_zeros = ( false === $dp ) ? true : $trim_zeros;
	} else {
		$number = is_null( $number ) ? '' : (string) $number;
		$number = str_replace( (string) get_option( 'woocommerce_price_decimal_sep', '.' ), '.', $number );
		$number = preg_replace( '/[^0-9\.,\-]/', '', wc_clean( $number ) );
	}
	if ( '' === $number ) {
		return '';
	}
	if ( false !== $dp ) {
		$dp     = intval( '' === $dp ? wc_get_price_decimals() : $dp );
		$number = number_format( (float) $number, $dp, '.', '' );
	}
	if ( $trim_zeros && false !== strpos( $number, '.' ) ) {
		$number = rtrim( rtrim( $number, '0' ), '.' );
	}
	return $number;
}

/**
 * Cleans a value like wc_clean(): sanitize_text_field on scalars, recursively on arrays.
 *
 * @param mixed $value Value.
 * @return mixed
 */
function wc_clean( $value ) {
	if ( is_array( $value ) ) {
		return array_map( 'wc_clean', $value );
	}
	return is_scalar( $value ) ? sanitize_text_field( (string) $value ) : $value;
}

/**
 * 'yes'/'no' and friends to bool, as wc_string_to_bool().
 *
 * @param mixed $value Value.
 * @return bool
 */
function wc_string_to_bool( $value ) {
	$value = is_string( $value ) ? strtolower( $value ) : $value;
	return is_bool( $value ) ? $value : ( 'yes' === $value || 1 === $value || 'true' === $value || '1' === $value );
}

/**
 * Bool to 'yes'/'no'.
 *
 * @param bool|string $value Value.
 * @return string
 */
function wc_bool_to_string( $value ) {
	return true === $value || 'yes' === $value ? 'yes' : 'no';
}

/**
 * Defines a constant if it is not defined yet.
 *
 * @param string $name  Name.
 * @param mixed  $value Value.
 */
function wc_maybe_define_constant( $name, $value ) {
	if ( ! defined( $name ) ) {
		define( $name, $value );
	}
}

/**
 * Site timezone offset in seconds.
 *
 * @return int
 */
function wc_timezone_offset() {
	return (int) ( (float) get_option( 'gmt_offset', 0 ) * HOUR_IN_SECONDS );
}

/**
 * Doing it wrong, WooCommerce flavour.
 *
 * @param string $function Function.
 * @param string $message  Message.
 * @param string $version  Version.
 */
function wc_doing_it_wrong( $function, $message, $version ) {
	_doing_it_wrong( esc_html( $function ), esc_html( $message ), esc_html( $version ) );
}

/*
 * Notices (wc-notice-functions.php). WooCommerce keeps them in the session ('wc_notices'); the stand-in does the same
 * when a session exists and keeps them for the request otherwise.
 */

/**
 * Notices of the current request when there is no session.
 *
 * @var array
 */
$GLOBALS['wc_standin_notices'] = array();

/**
 * Reads all notices.
 *
 * @return array
 */
function wc_standin_all_notices() {
	if ( WC()->session ) {
		return (array) WC()->session->get( 'wc_notices', array() );
	}
	return $GLOBALS['wc_standin_notices'];
}

/**
 * Writes all notices.
 *
 * @param array $notices Notices by type.
 */
function wc_standin_set_notices( $notices ) {
	if ( WC()->session ) {
		WC()->session->set( 'wc_notices', $notices );
	} else {
		$GLOBALS['wc_standin_notices'] = $notices;
	}
}

/**
 * Adds a notice, as wc_add_notice() (filter woocommerce_add_{type}; only after woocommerce_init).
 *
 * @param string $message     Message (HTML allowed, like WooCommerce).
 * @param string $notice_type error|success|notice.
 * @param array  $data        Extra data.
 */
function wc_add_notice( $message, $notice_type = 'success', $data = array() ) {
	if ( ! did_action( 'woocommerce_init' ) ) {
		wc_doing_it_wrong( __FUNCTION__, 'This function should not be called before woocommerce_init.', '2.3' );
		return;
	}
	$notices = wc_standin_all_notices();
	$message = apply_filters( 'woocommerce_add_' . $notice_type, $message );
	if ( '' !== (string) $message ) {
		$notices[ $notice_type ][] = array(
			'notice' => $message,
			'data'   => $data,
		);
	}
	wc_standin_set_notices( $notices );
}

/**
 * Notices of a type (or all, by type), as wc_get_notices().
 *
 * @param string $notice_type Type or ''.
 * @return array
 */
function wc_get_notices( $notice_type = '' ) {
	$all = wc_standin_all_notices();
	if ( '' === $notice_type ) {
		return $all;
	}
	return isset( $all[ $notice_type ] ) ? $all[ $notice_type ] : array();
}

/**
 * Count of notices of a type (or all).
 *
 * @param string $notice_type Type or ''.
 * @return int
 */
function wc_notice_count( $notice_type = '' ) {
	$count = 0;
	foreach ( wc_standin_all_notices() as $type => $notices ) {
		if ( '' === $notice_type || $type === $notice_type ) {
			$count += count( (array) $notices );
		}
	}
	return $count;
}

/**
 * Whether a notice is queued.
 *
 * @param string $message     Message.
 * @param string $notice_type Type.
 * @return bool
 */
function wc_has_notice( $message, $notice_type = 'success' ) {
	foreach ( wc_get_notices( $notice_type ) as $notice ) {
		if ( $notice['notice'] === $message ) {
			return true;
		}
	}
	return false;
}

/**
 * Clears all notices.
 */
function wc_clear_notices() {
	wc_standin_set_notices( array() );
}

/**
 * Prints and clears notices (wc_print_notices), markup like WooCommerce's notice templates.
 *
 * @param bool $return Return instead of echo.
 * @return string|void
 */
function wc_print_notices( $return = false ) {
	$html = '';
	foreach ( array( 'error', 'success', 'notice' ) as $type ) {
		$notices = wc_get_notices( $type );
		if ( ! $notices ) {
			continue;
		}
		$class = 'error' === $type ? 'woocommerce-error' : ( 'success' === $type ? 'woocommerce-message' : 'woocommerce-info' );
		$html .= '<ul class="' . esc_attr( $class ) . '" role="alert">';
		foreach ( $notices as $notice ) {
			$html .= '<li>' . wp_kses_post( $notice['notice'] ) . '</li>';
		}
		$html .= '</ul>';
	}
	wc_clear_notices();
	if ( $return ) {
		return $html;
	}
	echo $html; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped above.
}

/*
 * Pages and endpoints (wc-page-functions.php).
 */

/**
 * Page id of a WooCommerce page (option woocommerce_{page}_page_id), -1 if unset.
 *
 * @param string $page checkout|cart|shop|myaccount.
 * @return int
 */
function wc_get_page_id( $page ) {
	$page = apply_filters( 'woocommerce_get_' . $page . '_page_id', get_option( 'woocommerce_' . $page . '_page_id' ) );
	return $page ? absint( $page ) : -1;
}

/**
 * Permalink of a WooCommerce page.
 *
 * @param string $page Page.
 * @return string
 */
function wc_get_page_permalink( $page ) {
	$page_id   = wc_get_page_id( $page );
	$permalink = 0 < $page_id ? get_permalink( $page_id ) : get_home_url();
	return apply_filters( 'woocommerce_get_' . $page . '_page_permalink', $permalink );
}

/**
 * Checkout URL.
 *
 * @return string
 */
function wc_get_checkout_url() {
	return apply_filters( 'woocommerce_get_checkout_url', wc_get_page_permalink( 'checkout' ) );
}

/**
 * Cart URL.
 *
 * @return string
 */
function wc_get_cart_url() {
	return apply_filters( 'woocommerce_get_cart_url', wc_get_page_permalink( 'cart' ) );
}

/**
 * Endpoint URL as wc_get_endpoint_url(): /endpoint/value/ with pretty permalinks, ?endpoint=value without.
 *
 * @param string $endpoint  Endpoint (order-received, order-pay).
 * @param string $value     Value.
 * @param string $permalink Base URL.
 * @return string
 */
function wc_get_endpoint_url( $endpoint, $value = '', $permalink = '' ) {
	if ( ! $permalink ) {
		$permalink = get_permalink();
	}
	if ( get_option( 'permalink_structure' ) ) {
		if ( strstr( $permalink, '?' ) ) {
			$query     = '?' . wp_parse_url( $permalink, PHP_URL_QUERY );
			$permalink = current( explode( '?', $permalink ) );
		} else {
			$query = '';
		}
		$url = trailingslashit( $permalink );
		$url .= $value ? trailingslashit( $endpoint ) . user_trailingslashit( (string) $value ) : user_trailingslashit( $endpoint );
		$url .= $query;
	} else {
		$url = add_query_arg( $endpoint, $value, $permalink );
	}
	return apply_filters( 'woocommerce_get_endpoint_url', $url, $endpoint, $value, $permalink );
}

/**
 * Whether the current request is the order-received endpoint.
 *
 * @return bool
 */
function is_order_received_page() {
	global $wp;
	return isset( $wp->query_vars['order-received'] );
}

/**
 * Whether the current page is the checkout page.
 *
 * @return bool
 */
function is_checkout() {
	$page_id = wc_get_page_id( 'checkout' );
	return ( $page_id > 0 && is_page( $page_id ) ) || apply_filters( 'woocommerce_is_checkout', false );
}

/**
 * Add-payment-method page (never in the stand-in).
 *
 * @return bool
 */
function is_add_payment_method_page() {
	return false;
}

/**
 * Back link (admin), as wc_back_link().
 *
 * @param string $label Label.
 * @param string $url   URL.
 */
function wc_back_link( $label, $url ) {
	echo '<small class="wc-admin-breadcrumb"><a href="' . esc_url( $url ) . '" aria-label="' . esc_attr( $label ) . '">&#x2934;</a></small>';
}

/*
 * Statuses (wc-order-functions.php).
 */

/**
 * Order statuses with the wc- prefix and their labels.
 *
 * @return array
 */
function wc_get_order_statuses() {
	return apply_filters(
		'wc_order_statuses',
		array(
			'wc-pending'    => _x( 'Pending payment', 'Order status', 'woocommerce' ),
			'wc-processing' => _x( 'Processing', 'Order status', 'woocommerce' ),
			'wc-on-hold'    => _x( 'On hold', 'Order status', 'woocommerce' ),
			'wc-completed'  => _x( 'Completed', 'Order status', 'woocommerce' ),
			'wc-cancelled'  => _x( 'Cancelled', 'Order status', 'woocommerce' ),
			'wc-refunded'   => _x( 'Refunded', 'Order status', 'woocommerce' ),
			'wc-failed'     => _x( 'Failed', 'Order status', 'woocommerce' ),
			'wc-checkout-draft' => _x( 'Draft', 'Order status', 'woocommerce' ),
		)
	);
}

/**
 * Label of a status (with or without wc-).
 *
 * @param string $status Status.
 * @return string
 */
function wc_get_order_status_name( $status ) {
	$statuses = wc_get_order_statuses();
	$status   = 'wc-' === substr( $status, 0, 3 ) ? substr( $status, 3 ) : $status;
	return isset( $statuses[ 'wc-' . $status ] ) ? $statuses[ 'wc-' . $status ] : $status;
}

/**
 * Statuses that count as paid.
 *
 * @return array
 */
function wc_get_is_paid_statuses() {
	return apply_filters( 'woocommerce_order_is_paid_statuses', array( 'processing', 'completed' ) );
}

/**
 * Statuses that count as pending payment.
 *
 * @return array
 */
function wc_get_is_pending_statuses() {
	return apply_filters( 'woocommerce_order_is_pending_statuses', array( 'pending' ) );
}

/*
 * Logger (WC_Logger with the file handler): lines go to wp-content/uploads/wc-logs/{source}-{date}.log.
 */

/**
 * Minimal WC_Logger: log(), and the PSR-3 level methods.
 */
class WC_Logger {

	/**
	 * Writes a line.
	 *
	 * @param string $level   Level.
	 * @param string $message Message.
	 * @param array  $context Context (source).
	 */
	public function log( $level, $message, $context = array() ) {
		$source = isset( $context['source'] ) ? sanitize_file_name( (string) $context['source'] ) : 'log';
		$dir    = wc_standin_log_dir();
		if ( ! is_dir( $dir ) ) {
			wp_mkdir_p( $dir );
		}
		$line = gmdate( 'c' ) . ' ' . strtoupper( $level ) . ' ' . $message . "\n";
		file_put_contents( $dir . $source . '-' . gmdate( 'Y-m-d' ) . '.log', $line, FILE_APPEND ); // phpcs:ignore WordPress.WP.AlternativeFunctions
	}

	/**
	 * Level helpers.
	 *
	 * @param string $name Level.
	 * @param array  $args Message, context.
	 */
	public function __call( $name, $args ) {
		if ( in_array( $name, array( 'emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug' ), true ) ) {
			$this->log( $name, isset( $args[0] ) ? (string) $args[0] : '', isset( $args[1] ) ? (array) $args[1] : array() );
		}
	}
}

/**
 * The log directory (WC_LOG_DIR), trailing slash.
 *
 * @return string
 */
function wc_standin_log_dir() {
	if ( defined( 'WC_LOG_DIR' ) ) {
		return trailingslashit( WC_LOG_DIR );
	}
	$upload = wp_upload_dir( null, false );
	return trailingslashit( $upload['basedir'] ) . 'wc-logs/';
}

/**
 * The shared logger.
 *
 * @return WC_Logger
 */
function wc_get_logger() {
	static $logger = null;
	if ( null === $logger ) {
		$logger = new WC_Logger();
	}
	return $logger;
}
