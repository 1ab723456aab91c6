<?php
/**
 * Model of WooCommerce's HPOS order storage (src/Internal/DataStores/Orders/OrdersTableDataStore.php and
 * DataSynchronizer in WooCommerce 9.4.3), with custom order tables authoritative and sync off:
 * - orders and refunds live in {prefix}wc_orders (status stored with the 'wc-' prefix, type shop_order or
 *   shop_order_refund), {prefix}wc_order_addresses, {prefix}wc_order_operational_data and {prefix}wc_orders_meta;
 * - each order id is reserved by a wp_posts row of type 'shop_order_placehold' (as HPOS does when sync is off), so
 *   get_post_meta() on an order id finds nothing: plugins must use the order object's meta API;
 * - line items live in {prefix}woocommerce_order_items / _itemmeta, as in WooCommerce.
 *
 * @package WooCommerceStandin
 */

defined( 'ABSPATH' ) || exit;

/**
 * Order tables (model).
 */
class WC_Standin_Order_Store {

	/**
	 * Table name.
	 *
	 * @param string $name orders|addresses|operational|meta|items|itemmeta.
	 * @return string
	 */
	public static function table( $name ) {
		global $wpdb;
		$tables = array(
			'orders'      => 'wc_orders',
			'addresses'   => 'wc_order_addresses',
			'operational' => 'wc_order_operational_data',
			'meta'        => 'wc_orders_meta',
			'items'       => 'woocommerce_order_items',
			'itemmeta'    => 'woocommerce_order_itemmeta',
		);
		return $wpdb->prefix . $tables[ $name ];
	}

	/**
	 * The CREATE TABLE statements (dbDelta format), columns as in WooCommerce's HPOS schema (subset).
	 *
	 * @return string
	 */
	public static function schema() {
		global $wpdb;
		$collate = $wpdb->get_charset_collate();
		$o       = self::table( 'orders' );
		$a       = self::table( 'addresses' );
		$op      = self::table( 'operational' );
		$m       = self::table( 'meta' );
		$i       = self::table( 'items' );
		$im      = self::table( 'itemmeta' );
		return "CREATE TABLE $o (
  id bigint(20) unsigned NOT NULL,
  status varchar(20) NULL,
  currency varchar(10) NULL,
  type varchar(20) NULL,
  tax_amount decimal(26,8) NULL,
  total_amount decimal(26,8) NULL,
  customer_id bigint(20) unsigned NULL,
  billing_email varchar(320) NULL,
  date_created_gmt datetime NULL,
  date_updated_gmt datetime NULL,
  parent_order_id bigint(20) unsigned NULL,
  payment_method varchar(100) NULL,
  payment_method_title text NULL,
  transaction_id varchar(100) NULL,
  ip_address varchar(100) NULL,
  user_agent text NULL,
  customer_note text NULL,
  PRIMARY KEY  (id),
  KEY status (status),
  KEY date_created (date_created_gmt),
  KEY customer_id_billing_email (customer_id, billing_email(171)),
  KEY type_status_date (type, status, date_created_gmt),
  KEY parent_order_id (parent_order_id),
  KEY date_updated (date_updated_gmt)
) $collate;
CREATE TABLE $a (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  order_id bigint(20) unsigned NOT NULL,
  address_type varchar(20) NULL,
  first_name text NULL,
  last_name text NULL,
  company text NULL,
  address_1 text NULL,
  address_2 text NULL,
  city text NULL,
  state text NULL,
  postcode text NULL,
  country text NULL,
  email varchar(320) NULL,
  phone varchar(100) NULL,
  PRIMARY KEY  (id),
  UNIQUE KEY address_type_order_id (address_type, order_id),
  KEY email (email(191)),
  KEY phone (phone)
) $collate;
CREATE TABLE $op (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  order_id bigint(20) unsigned NULL,
  created_via varchar(100) NULL,
  woocommerce_version varchar(20) NULL,
  prices_include_tax tinyint(1) NULL,
  order_key varchar(100) NULL,
  cart_hash varchar(100) NULL,
  date_paid_gmt datetime NULL,
  date_completed_gmt datetime NULL,
  PRIMARY KEY  (id),
  UNIQUE KEY order_id (order_id),
  KEY order_key (order_key)
) $collate;
CREATE TABLE $m (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  order_id bigint(20) unsigned NULL,
  meta_key varchar(255),
  meta_value text NULL,
  PRIMARY KEY  (id),
  KEY meta_key_value (meta_key(100), meta_value(82)),
  KEY order_id_meta_key_meta_value (order_id, meta_key(100), meta_value(82))
) $collate;
CREATE TABLE $i (
  order_item_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  order_item_name text NOT NULL,
  order_item_type varchar(200) NOT NULL DEFAULT '',
  order_id bigint(20) unsigned NOT NULL,
  PRIMARY KEY  (order_item_id),
  KEY order_id (order_id)
) $collate;
CREATE TABLE $im (
  meta_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  order_item_id bigint(20) unsigned NOT NULL,
  meta_key varchar(255) default NULL,
  meta_value longtext NULL,
  PRIMARY KEY  (meta_id),
  KEY order_item_id (order_item_id),
  KEY meta_key (meta_key(32))
) $collate;";
	}

	/**
	 * Creates or updates the tables.
	 */
	public static function create_tables() {
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		dbDelta( self::schema() );
	}

	/**
	 * GMT datetime string of a timestamp, or null.
	 *
	 * @param int|null $ts Timestamp.
	 * @return string|null
	 */
	public static function gmt( $ts ) {
		return null === $ts ? null : gmdate( 'Y-m-d H:i:s', (int) $ts );
	}

	/**
	 * Timestamp of a GMT datetime string, or null.
	 *
	 * @param string|null $value Datetime.
	 * @return int|null
	 */
	public static function ts( $value ) {
		if ( null === $value || '' === $value || '0000-00-00 00:00:00' === $value ) {
			return null;
		}
		return (int) strtotime( $value . ' UTC' );
	}

	/**
	 * Reads one order row set; null when missing.
	 *
	 * @param int $id Order id.
	 * @return array|null
	 */
	public static function read( $id ) {
		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( 'SELECT * FROM ' . self::table( 'orders' ) . ' WHERE id = %d', $id ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		if ( ! $row ) {
			return null;
		}
		$row['operational'] = $wpdb->get_row( $wpdb->prepare( 'SELECT * FROM ' . self::table( 'operational' ) . ' WHERE order_id = %d', $id ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		$row['addresses']   = array();
		foreach ( (array) $wpdb->get_results( $wpdb->prepare( 'SELECT * FROM ' . self::table( 'addresses' ) . ' WHERE order_id = %d', $id ), ARRAY_A ) as $address ) { // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
			$row['addresses'][ $address['address_type'] ] = $address;
		}
		$row['meta'] = (array) $wpdb->get_results( $wpdb->prepare( 'SELECT id, meta_key, meta_value FROM ' . self::table( 'meta' ) . ' WHERE order_id = %d ORDER BY id', $id ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		return $row;
	}

	/**
	 * Reserves an id with a shop_order_placehold post, as HPOS does.
	 *
	 * @return int
	 */
	public static function reserve_id() {
		$id = wp_insert_post(
			array(
				'post_type'   => 'shop_order_placehold',
				'post_status' => 'draft',
				'post_title'  => 'placeholder',
				'ping_status' => 'closed',
			),
			true
		);
		if ( is_wp_error( $id ) ) {
			throw new Exception( esc_html( $id->get_error_message() ) );
		}
		return (int) $id;
	}
}
