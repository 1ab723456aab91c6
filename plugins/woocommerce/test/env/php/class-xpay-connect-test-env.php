<?php
/**
 * What the PHP tests know about their environment: the real connector service and sandbox started on
 * 127.0.0.1 by plugins/woocommerce/test/phpunit.test.ts, the WordPress under test, and its recorded mail
 * and debug.log. Test code only.
 */
final class Xpay_Connect_Test_Env {

	/** The connector service's base URL, e.g. http://127.0.0.1:43121. */
	public static function service_url(): string {
		return self::required( 'XPAY_TEST_SERVICE_URL' );
	}

	/** An API key of the service's test merchant (all sandbox gateways configured). */
	public static function api_key(): string {
		return self::required( 'XPAY_TEST_API_KEY' );
	}

	/** The sandbox's base URL (gateway emulators; POST /_sandbox/<gateway>/orders/<ref>/<action> acts as the shopper). */
	public static function sandbox_url(): string {
		return self::required( 'XPAY_TEST_SANDBOX_URL' );
	}

	/** The WordPress under test as served by php -S (home URL). */
	public static function wp_url(): string {
		return self::required( 'XPAY_TEST_WP_URL' );
	}

	/**
	 * Mails sent so far (wp_mail is recorded, not sent).
	 *
	 * @return array<int, array{to: string[], subject: string, message: string, headers: mixed, attachments: mixed}>
	 */
	public static function mails(): array {
		$file = (string) getenv( 'XPAY_TEST_MAIL_LOG' );
		$out  = array();
		if ( '' !== $file && is_file( $file ) ) {
			foreach ( file( $file, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES ) as $line ) {
				$out[] = json_decode( $line, true );
			}
		}
		return $out;
	}

	/** Forgets the mails recorded so far. */
	public static function clear_mails(): void {
		$file = (string) getenv( 'XPAY_TEST_MAIL_LOG' );
		if ( '' !== $file ) {
			file_put_contents( $file, '' );
		}
	}

	/**
	 * Lines of debug.log that are PHP warnings, notices, deprecations or errors.
	 *
	 * @return string[]
	 */
	public static function php_problems(): array {
		$file = (string) getenv( 'XPAY_TEST_DEBUG_LOG' );
		if ( '' === $file || ! is_file( $file ) ) {
			return array();
		}
		return array_values( preg_grep( '/PHP (Warning|Notice|Deprecated|Fatal error|Parse error)|WordPress database error|was called <strong>incorrectly/i', file( $file, FILE_IGNORE_NEW_LINES ) ) );
	}

	private static function required( string $name ): string {
		$value = getenv( $name );
		if ( false === $value || '' === $value ) {
			throw new RuntimeException( "$name is not set: run the PHP tests through `pnpm test` (plugins/woocommerce/test/phpunit.test.ts)" );
		}
		return $value;
	}
}
