<?php
/**
 * The nine payment methods, read from methods.json (the contract shared with the block build).
 *
 * @package Xpay_Connect
 */

defined( 'ABSPATH' ) || exit;

/**
 * Reads methods.json once per request. Titles and descriptions come back translated (text domain
 * xpay-connect-woocommerce; languages/make-pot.php puts them in the .pot with a reference to methods.json).
 */
final class Xpay_Connect_Methods {

	/**
	 * Methods keyed by WooCommerce gateway id.
	 *
	 * @var array<string, array<string, mixed>>|null
	 */
	private static $methods = null;

	/**
	 * Every method, keyed by gateway id, with its title and description in the site's language.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function all(): array {
		return array_map( array( self::class, 'localize' ), self::raw() );
	}

	/**
	 * One method by gateway id, with its title and description in the site's language.
	 *
	 * @param string $id The WooCommerce gateway id.
	 * @return array<string, mixed>|null
	 */
	public static function get( string $id ): ?array {
		$raw = self::raw();
		return isset( $raw[ $id ] ) ? self::localize( $raw[ $id ] ) : null;
	}

	/**
	 * The method with its title and description translated. Translated on each call, not cached: the first
	 * read may come before the text domain is loaded.
	 *
	 * @param array<string, mixed> $method A methods.json entry.
	 * @return array<string, mixed>
	 */
	private static function localize( array $method ): array {
		foreach ( array( 'title', 'description' ) as $key ) {
			if ( isset( $method[ $key ] ) && is_string( $method[ $key ] ) && '' !== $method[ $key ] ) {
				// phpcs:ignore WordPress.WP.I18n.NonSingularStringLiteralText -- the literals are in methods.json; make-pot.php extracts them.
				$method[ $key ] = translate( $method[ $key ], 'xpay-connect-woocommerce' );
			}
		}
		return $method;
	}

	/**
	 * The methods as methods.json has them, keyed by gateway id.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private static function raw(): array {
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
}
