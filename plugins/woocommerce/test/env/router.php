<?php
/**
 * Router for `php -S` serving the test WordPress: real static files are served by the built-in
 * server (return false), existing .php files are run, everything else goes to index.php (pretty
 * permalinks, /wp-json/).
 */
$xpay_path = rawurldecode( (string) parse_url( $_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH ) );
$xpay_root = rtrim( $_SERVER['DOCUMENT_ROOT'], '/' );
$xpay_file = $xpay_root . $xpay_path;

if ( str_contains( $xpay_path, '..' ) ) {
	$xpay_file = $xpay_root . '/index.php';
	$xpay_path = '/index.php';
} elseif ( is_dir( $xpay_file ) && is_file( rtrim( $xpay_file, '/' ) . '/index.php' ) ) {
	$xpay_path = rtrim( $xpay_path, '/' ) . '/index.php';
	$xpay_file = $xpay_root . $xpay_path;
} elseif ( is_file( $xpay_file ) && ! str_ends_with( $xpay_file, '.php' ) ) {
	return false;
} elseif ( ! is_file( $xpay_file ) ) {
	$xpay_path = '/index.php';
	$xpay_file = $xpay_root . '/index.php';
}

$_SERVER['SCRIPT_NAME']     = $xpay_path;
$_SERVER['PHP_SELF']        = $xpay_path;
$_SERVER['SCRIPT_FILENAME'] = $xpay_file;
chdir( dirname( $xpay_file ) );
unset( $xpay_root );
$GLOBALS['xpay_router_file'] = $xpay_file;
unset( $xpay_path, $xpay_file );
require $GLOBALS['xpay_router_file'];
