<?php
/**
 * The service's signed storefront events: POST /wp-json/xpay-connect/v1/events.
 *
 * @package Xpay_Connect
 */

defined( 'ABSPATH' ) || exit;

/**
 * Verifies, deduplicates and applies events.
 */
final class Xpay_Connect_Events {

	/** Seconds a signature's timestamp may be away from our clock. */
	const TOLERANCE = 300;

	/** REST namespace. */
	const REST_NAMESPACE = 'xpay-connect/v1';

	/**
	 * The processed-events table.
	 *
	 * @return string
	 */
	public static function table(): string {
		global $wpdb;
		return $wpdb->prefix . 'xpay_connect_events';
	}

	/**
	 * Creates the processed-events table (activation, and on upgrade).
	 */
	public static function install(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$charset = $wpdb->get_charset_collate();
		dbDelta(
			'CREATE TABLE ' . self::table() . " (
  event_id varchar(100) NOT NULL,
  received_at datetime NOT NULL,
  PRIMARY KEY  (event_id),
  KEY received_at (received_at)
) $charset;"
		);
		update_option( 'xpay_connect_db_version', XPAY_CONNECT_VERSION, false );
	}

	/**
	 * The URL the service delivers events to.
	 *
	 * @return string
	 */
	public static function endpoint_url(): string {
		return rest_url( self::REST_NAMESPACE . '/events' );
	}

	/**
	 * Registers the routes (rest_api_init).
	 */
	public static function register_routes(): void {
		register_rest_route(
			self::REST_NAMESPACE,
			'/events',
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'receive' ),
				'permission_callback' => array( self::class, 'verify_request' ),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/orders/(?P<id>\d+)/status',
			array(
				'methods'             => 'GET',
				'callback'            => array( 'Xpay_Connect_Orders', 'rest_status' ),
				'permission_callback' => '__return_true', // The order key in the query is the credential.
				'args'                => array(
					'key' => array(
						'type'              => 'string',
						'required'          => true,
						'sanitize_callback' => 'sanitize_text_field',
					),
				),
			)
		);
	}

	/**
	 * The secrets a signature may be made with: the current one, and the previous one during a rotation's
	 * grace period.
	 *
	 * @return string[]
	 */
	public static function secrets(): array {
		$secrets = array();
		$current = (string) get_option( 'xpay_connect_signing_secret', '' );
		if ( '' !== $current ) {
			$secrets[] = $current;
		}
		$previous = (string) get_option( 'xpay_connect_signing_secret_previous', '' );
		$until    = (int) get_option( 'xpay_connect_signing_secret_previous_until', 0 );
		if ( '' !== $previous && $until > time() ) {
			$secrets[] = $previous;
		}
		return $secrets;
	}

	/**
	 * Whether a signature header is valid for a body: t within TOLERANCE of now, and one v1 the
	 * HMAC-SHA256 of "t.body" under one of the secrets (constant-time).
	 *
	 * @param string   $header  X-Xpay-Connect-Signature.
	 * @param string   $body    Raw body.
	 * @param string[] $secrets Secrets.
	 * @param int|null $now     Unix time.
	 * @return bool
	 */
	public static function verify( string $header, string $body, array $secrets, ?int $now = null ): bool {
		$now        = $now ?? time();
		$timestamp  = null;
		$signatures = array();
		foreach ( explode( ',', $header ) as $part ) {
			$pair = explode( '=', trim( $part ), 2 );
			if ( 2 !== count( $pair ) ) {
				continue;
			}
			if ( 't' === $pair[0] ) {
				if ( null !== $timestamp || ! preg_match( '/^\d{1,12}$/', $pair[1] ) ) {
					return false;
				}
				$timestamp = (int) $pair[1];
			} elseif ( 'v1' === $pair[0] && preg_match( '/^[0-9a-fA-F]{64}$/', $pair[1] ) ) {
				$signatures[] = strtolower( $pair[1] );
			}
		}
		if ( null === $timestamp || ! $signatures || ! $secrets || abs( $now - $timestamp ) > self::TOLERANCE ) {
			return false;
		}
		$valid = false;
		foreach ( $secrets as $secret ) {
			$expected = hash_hmac( 'sha256', $timestamp . '.' . $body, $secret );
			foreach ( $signatures as $signature ) {
				// No early exit: every comparison runs.
				$valid = hash_equals( $expected, $signature ) || $valid;
			}
		}
		return $valid;
	}

	/**
	 * permission_callback: only correctly signed, fresh deliveries pass.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 */
	public static function verify_request( WP_REST_Request $request ) {
		$header = (string) $request->get_header( 'x_xpay_connect_signature' );
		if ( '' !== $header && self::verify( $header, (string) $request->get_body(), self::secrets() ) ) {
			return true;
		}
		return new WP_Error( 'xpay_connect_bad_signature', __( 'Invalid or expired signature.', 'xpay-connect-woocommerce' ), array( 'status' => 401 ) );
	}

	/**
	 * Applies a verified event once.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public static function receive( WP_REST_Request $request ) {
		global $wpdb;
		$event = json_decode( (string) $request->get_body(), true );
		if ( ! is_array( $event ) || ! isset( $event['id'], $event['type'] ) || ! is_string( $event['id'] ) || ! is_string( $event['type'] ) || strlen( $event['id'] ) > 100 ) {
			return new WP_REST_Response( array( 'code' => 'bad_event' ), 400 );
		}
		$suppress = $wpdb->suppress_errors( true );
		$claimed  = $wpdb->query( $wpdb->prepare( 'INSERT IGNORE INTO ' . self::table() . ' (event_id, received_at) VALUES (%s, %s)', $event['id'], gmdate( 'Y-m-d H:i:s' ) ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery,WordPress.DB.PreparedSQL.NotPrepared
		$wpdb->suppress_errors( $suppress );
		if ( false === $claimed ) {
			// The record could not be written (no table yet after an update): let the service retry, never drop the event.
			return new WP_REST_Response( array( 'code' => 'not_ready' ), 503 );
		}
		if ( 1 !== (int) $claimed ) {
			return new WP_REST_Response( array( 'received' => true, 'duplicate' => true ), 200 );
		}
		$release = static function () use ( $wpdb, $event ) {
			$wpdb->delete( self::table(), array( 'event_id' => $event['id'] ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		};
		try {
			$data = isset( $event['data'] ) && is_array( $event['data'] ) ? $event['data'] : null;
			if ( null === $data || ! str_starts_with( $event['type'], 'payment.' ) || 'payment' !== ( $data['object'] ?? '' ) ) {
				return new WP_REST_Response( array( 'received' => true, 'ignored' => true ), 200 );
			}
			$order = Xpay_Connect_Orders::find_order( $data );
			if ( ! $order ) {
				return new WP_REST_Response( array( 'received' => true, 'ignored' => 'no_order' ), 200 );
			}
			if ( ! Xpay_Connect_Orders::apply_payment( $order, $data, $event ) ) {
				$release();
				return new WP_REST_Response( array( 'code' => 'busy' ), 503 );
			}
			return new WP_REST_Response( array( 'received' => true ), 200 );
		} catch ( Throwable $e ) {
			$release();
			return new WP_REST_Response( array( 'code' => 'failed' ), 500 );
		}
	}

	/**
	 * Forgets processed events older than 30 days (daily).
	 */
	public static function prune(): void {
		global $wpdb;
		$wpdb->query( $wpdb->prepare( 'DELETE FROM ' . self::table() . ' WHERE received_at < %s', gmdate( 'Y-m-d H:i:s', time() - 30 * DAY_IN_SECONDS ) ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery,WordPress.DB.PreparedSQL.NotPrepared
	}
}
