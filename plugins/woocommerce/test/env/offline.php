<?php
/**
 * Plugin Name: xpay-connect test offline mode
 * Description: Test environment only. WP_HTTP_BLOCK_EXTERNAL leaves only loopback reachable, so WordPress's update
 * checks and plugin/theme directory look-ups (WordPress 6.5 looks up "Requires Plugins" dependencies on the plugins
 * page, and the upgrader after an upload) against wordpress.org would fail and log PHP warnings that are not ours:
 * they are switched off, and the directory APIs answer "offline" without a request.
 */
foreach (
	array(
		array( 'admin_init', '_maybe_update_core' ),
		array( 'admin_init', '_maybe_update_plugins' ),
		array( 'admin_init', '_maybe_update_themes' ),
		array( 'wp_version_check', 'wp_version_check' ),
		array( 'wp_update_plugins', 'wp_update_plugins' ),
		array( 'wp_update_themes', 'wp_update_themes' ),
		array( 'load-plugins.php', 'wp_update_plugins' ),
		array( 'load-update.php', 'wp_update_plugins' ),
		array( 'load-update-core.php', 'wp_update_plugins' ),
		array( 'load-themes.php', 'wp_update_themes' ),
		array( 'load-update.php', 'wp_update_themes' ),
		array( 'load-update-core.php', 'wp_update_themes' ),
		array( 'wp_maybe_auto_update', 'wp_maybe_auto_update' ),
		array( 'init', 'wp_schedule_update_checks' ),
	) as $xpay_test_hook
) {
	remove_action( $xpay_test_hook[0], $xpay_test_hook[1] );
}
unset( $xpay_test_hook );

// The upgrader asks wordpress.org for core, plugin and theme updates once an upload completes
// (wp-admin/includes/admin-filters.php hooks them on upgrader_process_complete, after mu-plugins load).
add_action(
	'admin_init',
	static function () {
		foreach ( array( 'wp_version_check', 'wp_update_plugins', 'wp_update_themes' ) as $check ) {
			remove_action( 'upgrader_process_complete', $check, 10 );
		}
	}
);

$xpay_test_offline = static function ( $result ) {
	return false === $result ? new WP_Error( 'xpay_test_offline', 'The test environment has no access to wordpress.org.' ) : $result;
};
add_filter( 'plugins_api', $xpay_test_offline, 1000 );
add_filter( 'themes_api', $xpay_test_offline, 1000 );
unset( $xpay_test_offline );
