<?php
/**
 * The shipped .pot holds every translatable string of the PHP code (regenerate with php languages/make-pot.php),
 * and every PHP file of the plugin passes php -l.
 *
 * @package Xpay_Connect
 */

use PHPUnit\Framework\TestCase;

final class PotTest extends TestCase {

	public function test_the_pot_is_up_to_date(): void {
		$fresh = tempnam( sys_get_temp_dir(), 'xpay-pot' );
		exec( 'php ' . escapeshellarg( XPAY_CONNECT_DIR . 'languages/make-pot.php' ) . ' ' . escapeshellarg( $fresh ), $output, $code );
		$this->assertSame( 0, $code, implode( "\n", $output ) );
		// Source references (#: file:line) move with every edit; the strings and their comments must match.
		$strip = static fn( string $pot ): string => (string) preg_replace( '/^#: .*\n/m', '', $pot );
		$this->assertSame( $strip( (string) file_get_contents( XPAY_CONNECT_DIR . 'languages/xpay-connect-woocommerce.pot' ) ), $strip( (string) file_get_contents( $fresh ) ), 'run php languages/make-pot.php' );
		unlink( $fresh );
	}

	public function test_every_php_file_passes_php_lint(): void {
		$files = array_merge( glob( XPAY_CONNECT_DIR . '*.php' ), glob( XPAY_CONNECT_DIR . 'includes/*.php' ), glob( XPAY_CONNECT_DIR . 'languages/*.php' ), glob( XPAY_CONNECT_DIR . 'test/php/*.php' ) );
		$this->assertGreaterThan( 10, count( $files ) );
		foreach ( $files as $file ) {
			exec( 'php -l ' . escapeshellarg( $file ) . ' 2>&1', $output, $code );
			$this->assertSame( 0, $code, $file . ': ' . implode( "\n", $output ) );
		}
	}
}
