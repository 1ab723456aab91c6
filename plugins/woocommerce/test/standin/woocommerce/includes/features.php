<?php
/**
 * Model of Automattic\WooCommerce\Utilities\FeaturesUtil and OrderUtil (WooCommerce 9.4.3 src/Utilities/FeaturesUtil.php,
 * OrderUtil.php, src/Internal/Features/FeaturesController.php).
 *
 * Behaviour kept: declare_compatibility() only works during before_woocommerce_init (outside it WooCommerce calls
 * _doing_it_wrong and returns false); the plugin file is turned into its plugin id ("dir/file.php"); the stand-in
 * records declarations so tests can read them (FeaturesUtil::get_compatible_plugins_for_feature()). HPOS is always on
 * (custom_orders_table_usage_is_enabled() is true).
 *
 * @package WooCommerceStandin
 */

namespace Automattic\WooCommerce\Utilities;

defined( 'ABSPATH' ) || exit;

/**
 * FeaturesUtil (model).
 */
class FeaturesUtil {

	/**
	 * Declarations: feature => [ plugin => bool ].
	 *
	 * @var array
	 */
	private static $compat = array();

	/**
	 * Declares (in)compatibility of a plugin with a feature.
	 *
	 * @param string $feature_id      Feature (custom_order_tables, cart_checkout_blocks, ...).
	 * @param string $plugin_file     Plugin main file (path or plugin id).
	 * @param bool   $positive_compatibility Compatible.
	 * @return bool
	 */
	public static function declare_compatibility( $feature_id, $plugin_file, $positive_compatibility = true ) {
		if ( ! doing_action( 'before_woocommerce_init' ) ) {
			_doing_it_wrong( __METHOD__, esc_html( 'FeaturesUtil::declare_compatibility should be called inside the before_woocommerce_init action.' ), '7.0' );
			return false;
		}
		$plugin = plugin_basename( $plugin_file );
		if ( isset( self::$compat[ $feature_id ][ $plugin ] ) && self::$compat[ $feature_id ][ $plugin ] !== (bool) $positive_compatibility ) {
			throw new \Exception( esc_html( "Plugin $plugin is trying to declare itself as incompatible with the '$feature_id' feature, but it already declared itself as compatible" ) );
		}
		self::$compat[ $feature_id ][ $plugin ] = (bool) $positive_compatibility;
		return true;
	}

	/**
	 * Plugins declared for a feature.
	 *
	 * @param string $feature_id Feature.
	 * @return array compatible, incompatible.
	 */
	public static function get_compatible_plugins_for_feature( $feature_id ) {
		$declared = isset( self::$compat[ $feature_id ] ) ? self::$compat[ $feature_id ] : array();
		return array(
			'compatible'   => array_keys( array_filter( $declared ) ),
			'incompatible' => array_keys(
				array_filter(
					$declared,
					function ( $v ) {
						return ! $v;
					}
				)
			),
		);
	}

	/**
	 * Whether a feature is enabled (HPOS and the blocks are, in the stand-in).
	 *
	 * @param string $feature_id Feature.
	 * @return bool
	 */
	public static function feature_is_enabled( $feature_id ) {
		return in_array( $feature_id, array( 'custom_order_tables', 'cart_checkout_blocks' ), true );
	}
}

/**
 * OrderUtil (model).
 */
class OrderUtil {

	/**
	 * HPOS is authoritative.
	 *
	 * @return bool
	 */
	public static function custom_orders_table_usage_is_enabled() {
		return true;
	}

	/**
	 * Sync is off.
	 *
	 * @return bool
	 */
	public static function is_custom_order_tables_in_sync() {
		return false;
	}

	/**
	 * Orders table name.
	 *
	 * @return string
	 */
	public static function get_table_for_orders() {
		return \WC_Standin_Order_Store::table( 'orders' );
	}

	/**
	 * Order meta table name.
	 *
	 * @return string
	 */
	public static function get_table_for_order_meta() {
		return \WC_Standin_Order_Store::table( 'meta' );
	}

	/**
	 * Order type of an id.
	 *
	 * @param int $order_id Id.
	 * @return string|null
	 */
	public static function get_order_type( $order_id ) {
		$order = wc_get_order( $order_id );
		return $order ? $order->get_type() : null;
	}

	/**
	 * Admin screen id of orders.
	 *
	 * @return string
	 */
	public static function get_order_admin_screen() {
		return 'woocommerce_page_wc-orders';
	}
}
