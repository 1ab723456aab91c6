<?php
/**
 * Uninstall: removes the plugin's options, its processed-events table and its scheduled actions.
 * Orders and their notes and meta stay: they are the store's records.
 *
 * @package Xpay_Connect
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

global $wpdb;

// Tell the service to stop sending events here (best effort: the store may be offline from it).
$xpay_connect_url      = (string) get_option( 'xpay_connect_service_url', '' );
$xpay_connect_key      = (string) get_option( 'xpay_connect_api_key', '' );
$xpay_connect_endpoint = (string) get_option( 'xpay_connect_endpoint_id', '' );
if ( '' !== $xpay_connect_url && '' !== $xpay_connect_key && '' !== $xpay_connect_endpoint ) {
	wp_remote_request(
		untrailingslashit( $xpay_connect_url ) . '/v1/endpoints/' . rawurlencode( $xpay_connect_endpoint ),
		array(
			'method'      => 'DELETE',
			'timeout'     => 5,
			'redirection' => 0,
			'headers'     => array( 'Authorization' => 'Bearer ' . $xpay_connect_key ),
		)
	);
}

$xpay_connect_methods = json_decode( (string) file_get_contents( __DIR__ . '/methods.json' ), true ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a local file.
foreach ( (array) ( $xpay_connect_methods['methods'] ?? array() ) as $xpay_connect_method ) {
	if ( isset( $xpay_connect_method['id'] ) ) {
		delete_option( 'woocommerce_' . sanitize_key( (string) $xpay_connect_method['id'] ) . '_settings' );
	}
}
// Every option of ours is prefixed xpay_connect_ (settings, secrets, status, order locks).
$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( 'xpay_connect_' ) . '%' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_%xpay\\_connect\\_%' OR option_name LIKE '\\_transient\\_timeout\\_%xpay\\_connect\\_%'" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}xpay_connect_events" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery,WordPress.DB.DirectDatabaseQuery.SchemaChange

if ( function_exists( 'as_unschedule_all_actions' ) ) {
	as_unschedule_all_actions( 'xpay_connect_check_payment', array(), 'xpay-connect' );
	as_unschedule_all_actions( 'xpay_connect_prune_events', array(), 'xpay-connect' );
	as_unschedule_all_actions( '', array(), 'xpay-connect' );
}
wp_cache_flush();
