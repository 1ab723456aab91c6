<?php
/**
 * The nine payment methods, read from methods.json (the contract shared with the block build).
 *
 * @package Xpay_Connect
 */

defined( 'ABSPATH' ) || exit;

/**
 * Reads methods.json once per request.
 */
final class Xpay_Connect_Methods {

	/**
	 * Methods keyed by WooCommerce gateway id.
	 *
	 * @var array<string, array<string, mixed>>|null
	 */
	private static $methods = null;

	/**
	 * Every method, keyed by gateway id.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function all(): array {
		if ( null === self::$methods ) {
			self::$methods = array();
			$raw           = file_get_contents( XPAY_CONNECT_DIR . 'methods.json' ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a local file.
			$data          = is_string( $raw ) ? json_decode( $raw, true ) : null;
			if ( is_array( $data ) && isset( $data['methods'] ) && is_array( $data['methods'] ) ) {
				foreach ( $data['methods'] as $method ) {
					if ( is_array( $method ) && isset( $method['id'] ) ) {
						self::$methods[ (string) $method['id'] ] = $method;
					}
				}
			}
		}
		return self::$methods;
	}

	/**
	 * One method by gateway id.
	 *
	 * @param string $id The WooCommerce gateway id.
	 * @return array<string, mixed>|null
	 */
	public static function get( string $id ): ?array {
		$all = self::all();
		return $all[ $id ] ?? null;
	}
}
