<?php
/**
 * PHPUnit bootstrap: loads the real WordPress 6.5.5 that plugins/woocommerce/test/env/wordpress.ts
 * prepared (fresh MariaDB database, WooCommerce stand-in and this plugin active). Run through
 * `pnpm test` (plugins/woocommerce/test/phpunit.test.ts), which also starts the connector service
 * and sandbox on 127.0.0.1 and passes their URLs in the environment read by Xpay_Connect_Test_Env.
 */

$xpay_test_wp_dir = getenv( 'XPAY_TEST_WP_DIR' );
if ( ! $xpay_test_wp_dir || ! is_file( $xpay_test_wp_dir . '/wp-load.php' ) ) {
	fwrite( STDERR, "XPAY_TEST_WP_DIR does not name a prepared WordPress: run the PHP tests through `pnpm test` (plugins/woocommerce/test/phpunit.test.ts).\n" );
	exit( 1 );
}

// PHPUnit includes this file inside a function: make WordPress's file-scope variables global, as WordPress's own test bootstrap does.
global $wpdb, $table_prefix, $wp_version, $wp_db_version, $tinymce_version, $required_php_version, $required_mysql_version, $wp_local_package,
	$blog_id, $current_site, $current_blog, $wp_rewrite, $shortcode_tags, $wp, $wp_query, $wp_the_query, $wp_roles, $wp_locale,
	$wp_locale_switcher, $wp_embed, $wp_widget_factory, $wp_plugin_paths, $wp_filter, $wp_actions, $wp_current_filter,
	$wp_textdomain_registry, $wp_theme_directories, $phpmailer, $pagenow, $locale, $woocommerce;

$xpay_test_wp_url        = (string) getenv( 'XPAY_TEST_WP_URL' );
$_SERVER['HTTP_HOST']    = (string) parse_url( $xpay_test_wp_url, PHP_URL_HOST ) . ':' . (string) parse_url( $xpay_test_wp_url, PHP_URL_PORT );
$_SERVER['SERVER_NAME']  = (string) parse_url( $xpay_test_wp_url, PHP_URL_HOST );
$_SERVER['REQUEST_URI']  = '/';
$_SERVER['SERVER_PORT']  = (string) parse_url( $xpay_test_wp_url, PHP_URL_PORT );
$_SERVER['REMOTE_ADDR']  = '127.0.0.1';
$_SERVER['REQUEST_METHOD'] = 'GET';

require $xpay_test_wp_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once __DIR__ . '/../env/php/class-xpay-connect-test-env.php';
unset( $xpay_test_wp_dir, $xpay_test_wp_url );
