<?php
/**
 * Writes xpay-connect-woocommerce.pot from the plugin's PHP (the gettext calls with our text domain and
 * their translators comments), using PHP's own tokenizer. Run: php languages/make-pot.php [output file]
 * Not loaded by WordPress (CLI only).
 *
 * @package Xpay_Connect
 */

if ( 'cli' !== PHP_SAPI ) {
	exit;
}

$xpay_root   = dirname( __DIR__ );
$xpay_domain = 'xpay-connect-woocommerce';
$xpay_funcs  = array( '__' => 1, '_e' => 1, 'esc_html__' => 1, 'esc_html_e' => 1, 'esc_attr__' => 1, 'esc_attr_e' => 1, '_x' => 1, '_n' => 2 );
$xpay_files  = array_merge( array( $xpay_root . '/xpay-connect-woocommerce.php' ), glob( $xpay_root . '/includes/*.php' ) );
$xpay_out    = array();

foreach ( $xpay_files as $xpay_file ) {
	$xpay_tokens  = token_get_all( (string) file_get_contents( $xpay_file ) );
	$xpay_comment = '';
	$xpay_count   = count( $xpay_tokens );
	for ( $i = 0; $i < $xpay_count; $i++ ) {
		$t = $xpay_tokens[ $i ];
		if ( is_array( $t ) && T_COMMENT === $t[0] && preg_match( '/translators:/i', $t[1] ) ) {
			$xpay_comment = trim( preg_replace( '#^/\*|\*/$|^//#', '', $t[1] ) );
			continue;
		}
		if ( ! is_array( $t ) || T_STRING !== $t[0] || ! isset( $xpay_funcs[ $t[1] ] ) ) {
			continue;
		}
		$line = $t[2];
		$args = array();
		$depth = 0;
		$j     = $i + 1;
		while ( $j < $xpay_count && '(' !== $xpay_tokens[ $j ] ) {
			$j++;
		}
		$current = null;
		for ( $j++; $j < $xpay_count; $j++ ) {
			$u = $xpay_tokens[ $j ];
			if ( '(' === $u || '[' === $u ) {
				$depth++;
			} elseif ( ')' === $u || ']' === $u ) {
				if ( 0 === $depth ) {
					$args[] = $current;
					break;
				}
				$depth--;
			} elseif ( ',' === $u && 0 === $depth ) {
				$args[]  = $current;
				$current = null;
			} elseif ( is_array( $u ) && T_CONSTANT_ENCAPSED_STRING === $u[0] && 0 === $depth && null === $current ) {
				$current = eval( 'return ' . $u[1] . ';' ); // phpcs:ignore Squiz.PHP.Eval.Discouraged -- a PHP string literal from our own source.
			} elseif ( is_array( $u ) && in_array( $u[0], array( T_WHITESPACE, T_COMMENT ), true ) ) {
				continue;
			} elseif ( 0 === $depth ) {
				$current = false; // Not a literal.
			}
		}
		$domain = end( $args );
		if ( $domain !== $xpay_domain || ! is_string( $args[0] ?? null ) ) {
			$xpay_comment = '';
			continue;
		}
		$key = $args[0] . ( '_n' === $t[1] ? "\0" . $args[1] : '' );
		if ( ! isset( $xpay_out[ $key ] ) ) {
			$xpay_out[ $key ] = array( 'refs' => array(), 'comment' => '', 'plural' => '_n' === $t[1] ? $args[1] : null, 'msgid' => $args[0] );
		}
		$xpay_out[ $key ]['refs'][] = substr( $xpay_file, strlen( $xpay_root ) + 1 ) . ':' . $line;
		if ( '' !== $xpay_comment ) {
			$xpay_out[ $key ]['comment'] = $xpay_comment;
		}
		$xpay_comment = '';
	}
}

// The methods' titles and descriptions (Xpay_Connect_Methods translates them at run time).
$xpay_methods = json_decode( (string) file_get_contents( $xpay_root . '/methods.json' ), true );
foreach ( $xpay_methods['methods'] ?? array() as $xpay_method ) {
	foreach ( array( 'title' => 'payment method name shown at checkout', 'description' => 'payment method description shown at checkout' ) as $xpay_key => $xpay_what ) {
		$xpay_text = (string) ( $xpay_method[ $xpay_key ] ?? '' );
		if ( '' === $xpay_text ) {
			continue;
		}
		if ( ! isset( $xpay_out[ $xpay_text ] ) ) {
			$xpay_out[ $xpay_text ] = array( 'refs' => array(), 'comment' => '', 'plural' => null, 'msgid' => $xpay_text );
		}
		$xpay_out[ $xpay_text ]['refs'][] = 'methods.json';
		$xpay_out[ $xpay_text ]['comment'] = 'translators: ' . $xpay_what . ' (' . $xpay_method['id'] . ').';
	}
}

$q   = static function ( string $s ): string {
	return '"' . addcslashes( $s, "\\\"\n\t" ) . '"';
};
$pot = "# Copyright (C) xpay-connect\n# This file is distributed under the same license as the xpay-connect for WooCommerce plugin.\nmsgid \"\"\nmsgstr \"\"\n"
	. "\"Project-Id-Version: xpay-connect for WooCommerce 0.1.0\\n\"\n\"MIME-Version: 1.0\\n\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Content-Transfer-Encoding: 8bit\\n\"\n\"X-Domain: xpay-connect-woocommerce\\n\"\n\n";
foreach ( $xpay_out as $entry ) {
	if ( '' !== $entry['comment'] ) {
		$pot .= '#. ' . $entry['comment'] . "\n";
	}
	$pot .= '#: ' . implode( ' ', $entry['refs'] ) . "\n";
	if ( preg_match( '/%(\d\$)?[sd]/', $entry['msgid'] ) ) {
		$pot .= "#, php-format\n";
	}
	$pot .= 'msgid ' . $q( $entry['msgid'] ) . "\n";
	if ( null !== $entry['plural'] ) {
		$pot .= 'msgid_plural ' . $q( $entry['plural'] ) . "\nmsgstr[0] \"\"\nmsgstr[1] \"\"\n\n";
	} else {
		$pot .= "msgstr \"\"\n\n";
	}
}
file_put_contents( $argv[1] ?? __DIR__ . '/xpay-connect-woocommerce.pot', $pot );
echo count( $xpay_out ) . " strings\n";
