<?php
/**
 * Installs the prepared WordPress (argv: WordPress dir, admin password) and prints JSON:
 * the admin's id and an application password for REST calls.
 */
define( 'WP_INSTALLING', true );
$_SERVER['HTTP_HOST'] = parse_url( getenv( 'XPAY_WP_URL' ), PHP_URL_HOST ) . ':' . parse_url( getenv( 'XPAY_WP_URL' ), PHP_URL_PORT );
require $argv[1] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

$result = wp_install( 'xpay-connect test store', 'admin', 'owner@store.test', false, '', $argv[2] );
update_option( 'permalink_structure', '/%postname%/' );
update_option( 'timezone_string', 'UTC' );
flush_rewrite_rules( false );

[ $app_password ] = WP_Application_Passwords::create_new_application_password( (int) $result['user_id'], array( 'name' => 'xpay-connect tests' ) );
echo wp_json_encode( array( 'user_id' => (int) $result['user_id'], 'app_password' => $app_password ) );
