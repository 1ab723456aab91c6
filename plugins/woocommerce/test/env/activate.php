<?php
/**
 * Activates the plugins named in argv (after the WordPress dir) in order, running their
 * activation hooks as wp-admin would, and prints JSON of the active plugins.
 */
$_SERVER['HTTP_HOST'] = parse_url( getenv( 'XPAY_WP_URL' ), PHP_URL_HOST ) . ':' . parse_url( getenv( 'XPAY_WP_URL' ), PHP_URL_PORT );
require $argv[1] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
wp_set_current_user( 1 );
foreach ( array_slice( $argv, 2 ) as $plugin ) {
	$result = activate_plugin( $plugin, '', false, false );
	if ( is_wp_error( $result ) ) {
		fwrite( STDERR, "activating $plugin: " . $result->get_error_message() . "\n" );
		exit( 1 );
	}
}
echo wp_json_encode( get_option( 'active_plugins' ) );
