<?php
/**
 * Model of WooCommerce's order and product functions (WooCommerce 9.4.3 includes/wc-order-functions.php,
 * wc-product-functions.php, class-wc-order-query.php over the HPOS OrdersTableQuery).
 *
 * Behaviour kept from WooCommerce:
 * - wc_create_refund(): amount must be 0..remaining ('Invalid refund amount.'); the refund is saved first, then, with
 *   refund_payment, wc_refund_payment() asks the order's gateway (missing gateway, no 'refunds' support, false or a
 *   WP_Error all abort: the refund is deleted and a WP_Error returned); a full refund moves the order to 'refunded'
 *   (filter woocommerce_order_fully_refunded_status) and fires woocommerce_order_fully_refunded, otherwise
 *   woocommerce_order_partially_refunded; then woocommerce_refund_created and woocommerce_order_refunded;
 * - setting an order to 'refunded' records a manual refund of what is left ("Order fully refunded.") plus a note
 *   (wc_order_fully_refunded), so a plugin that also records the gateway's refund must not do both;
 * - wc_cancel_unpaid_orders(): reschedules itself, does nothing unless woocommerce_hold_stock_minutes >= 1 AND
 *   woocommerce_manage_stock is 'yes'; cancels 'pending' orders last modified before now - hold minutes, only when the
 *   filter woocommerce_cancel_unpaid_order (default: created_via === 'checkout', so Store API/block orders, created
 *   via 'store-api', are NOT auto-cancelled by WooCommerce 9.4) returns true; note "Unpaid order cancelled - time limit
 *   reached.";
 * - wc_get_orders(): status (with or without wc-, string or array; default all statuses), type, payment_method,
 *   transaction_id, customer_id, billing_email, parent, meta_key/meta_value, meta_query (key, value, compare = != IN
 *   NOT IN EXISTS NOT EXISTS LIKE, relation AND/OR), date_created / date_modified ('<ts', '>ts', '<=ts', '>=ts',
 *   'ts1...ts2'), limit (default: option posts_per_page; -1 all), offset, orderby date|id|modified, order, return
 *   objects|ids.
 *
 * @package WooCommerceStandin
 */

defined( 'ABSPATH' ) || exit;

/**
 * A simple product (posts of type 'product' with _price, _virtual, _downloadable meta).
 */
class WC_Standin_Product {

	/**
	 * Post.
	 *
	 * @var WP_Post
	 */
	protected $post;

	/**
	 * Constructor.
	 *
	 * @param WP_Post $post Post.
	 */
	public function __construct( $post ) {
		$this->post = $post;
	}

	/**
	 * Id.
	 *
	 * @return int
	 */
	public function get_id() {
		return (int) $this->post->ID;
	}

	/**
	 * Name.
	 *
	 * @return string
	 */
	public function get_name() {
		return $this->post->post_title;
	}

	/**
	 * Price (string).
	 *
	 * @return string
	 */
	public function get_price() {
		return (string) get_post_meta( $this->post->ID, '_price', true );
	}

	/**
	 * Virtual.
	 *
	 * @return bool
	 */
	public function is_virtual() {
		return 'yes' === get_post_meta( $this->post->ID, '_virtual', true );
	}

	/**
	 * Downloadable.
	 *
	 * @return bool
	 */
	public function is_downloadable() {
		return 'yes' === get_post_meta( $this->post->ID, '_downloadable', true );
	}

	/**
	 * Purchasable: published with a price.
	 *
	 * @return bool
	 */
	public function is_purchasable() {
		return 'publish' === $this->post->post_status && '' !== $this->get_price();
	}

	/**
	 * Type.
	 *
	 * @return string
	 */
	public function get_type() {
		return 'simple';
	}
}

/**
 * A product or false.
 *
 * @param int $product_id Id.
 * @return WC_Standin_Product|false
 */
function wc_get_product( $product_id ) {
	$post = get_post( absint( $product_id ) );
	return ( $post && 'product' === $post->post_type ) ? new WC_Standin_Product( $post ) : false;
}

/**
 * Order types.
 *
 * @return array
 */
function wc_get_order_types() {
	return array( 'shop_order', 'shop_order_refund' );
}

/**
 * New order key, as wc_generate_order_key(): 'wc_order_' + 13 random characters.
 *
 * @param string $key Unused prefix.
 * @return string
 */
function wc_generate_order_key( $key = '' ) {
	if ( '' === $key ) {
		$key = wp_generate_password( 13, false );
	}
	return 'wc_' . apply_filters( 'woocommerce_generate_order_key', 'order_' . $key );
}

/**
 * The order (or refund) for an id or object; false when missing.
 *
 * @param mixed $the_order Id, WC_Abstract_Order, or WP_Post.
 * @return WC_Order|WC_Order_Refund|false
 */
function wc_get_order( $the_order = false ) {
	if ( $the_order instanceof WC_Abstract_Order ) {
		$id = $the_order->get_id();
	} elseif ( $the_order instanceof WP_Post ) {
		$id = $the_order->ID;
	} elseif ( is_numeric( $the_order ) ) {
		$id = absint( $the_order );
	} else {
		return false;
	}
	if ( ! $id ) {
		return false;
	}
	global $wpdb;
	$type = $wpdb->get_var( $wpdb->prepare( 'SELECT type FROM ' . WC_Standin_Order_Store::table( 'orders' ) . ' WHERE id = %d', $id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
	try {
		if ( 'shop_order' === $type ) {
			return new WC_Order( $id );
		}
		if ( 'shop_order_refund' === $type ) {
			return new WC_Order_Refund( $id );
		}
	} catch ( Exception $e ) {
		return false;
	}
	return false;
}

/**
 * Creates an order, as wc_create_order().
 *
 * @param array $args status, customer_id, customer_note, parent, created_via, cart_hash, order_id (update).
 * @return WC_Order|WP_Error
 */
function wc_create_order( $args = array() ) {
	$args = wp_parse_args(
		$args,
		array(
			'status'        => null,
			'customer_id'   => null,
			'customer_note' => null,
			'parent'        => null,
			'created_via'   => null,
			'cart_hash'     => null,
			'order_id'      => 0,
		)
	);
	try {
		$order = $args['order_id'] ? wc_get_order( $args['order_id'] ) : new WC_Order();
		if ( ! $order ) {
			return new WP_Error( 'invalid_order_id', __( 'Invalid order ID.', 'woocommerce' ) );
		}
		if ( ! $args['order_id'] ) {
			$order->set_currency( get_woocommerce_currency() );
			$order->set_prices_include_tax( 'yes' === get_option( 'woocommerce_prices_include_tax' ) );
			$order->set_customer_ip_address( isset( $_SERVER['REMOTE_ADDR'] ) ? sanitize_text_field( wp_unslash( $_SERVER['REMOTE_ADDR'] ) ) : '' );
			$order->set_customer_user_agent( isset( $_SERVER['HTTP_USER_AGENT'] ) ? sanitize_text_field( wp_unslash( $_SERVER['HTTP_USER_AGENT'] ) ) : '' );
		}
		if ( null !== $args['status'] ) {
			$order->set_status( $args['status'] );
		}
		if ( null !== $args['customer_note'] ) {
			$order->set_customer_note( $args['customer_note'] );
		}
		if ( null !== $args['customer_id'] ) {
			$order->set_customer_id( is_numeric( $args['customer_id'] ) ? absint( $args['customer_id'] ) : 0 );
		}
		if ( null !== $args['parent'] ) {
			$order->set_parent_id( absint( $args['parent'] ) );
		}
		if ( null !== $args['created_via'] ) {
			$order->set_created_via( sanitize_text_field( $args['created_via'] ) );
		}
		if ( null !== $args['cart_hash'] ) {
			$order->set_cart_hash( sanitize_text_field( $args['cart_hash'] ) );
		}
		$order->save();
	} catch ( Exception $e ) {
		return new WP_Error( 'error', $e->getMessage() );
	}
	return $order;
}

/**
 * Parses a date query value: '<ts', '>=ts', 'ts1...ts2', a timestamp or a date string.
 *
 * @param string $column Column.
 * @param mixed  $value  Value.
 * @return string SQL.
 */
function wc_standin_date_sql( $column, $value ) {
	global $wpdb;
	$to_gmt = function ( $v ) {
		$v = trim( (string) $v );
		return gmdate( 'Y-m-d H:i:s', is_numeric( $v ) ? (int) $v : (int) strtotime( $v ) );
	};
	$value = (string) $value;
	if ( false !== strpos( $value, '...' ) ) {
		list( $from, $to ) = explode( '...', $value, 2 );
		return $wpdb->prepare( "{$column} >= %s AND {$column} <= %s", $to_gmt( $from ), $to_gmt( $to ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
	}
	if ( preg_match( '/^(<=|>=|<|>)(.+)$/', $value, $m ) ) {
		return $wpdb->prepare( "{$column} {$m[1]} %s", $to_gmt( $m[2] ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
	}
	if ( is_numeric( $value ) ) {
		return $wpdb->prepare( "{$column} = %s", $to_gmt( $value ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
	}
	return $wpdb->prepare( "DATE({$column}) = %s", gmdate( 'Y-m-d', (int) strtotime( $value ) ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
}

/**
 * One meta_query clause as SQL on the orders table alias o.
 *
 * @param array $clause key, value, compare.
 * @return string
 */
function wc_standin_meta_clause_sql( $clause ) {
	global $wpdb;
	$meta    = WC_Standin_Order_Store::table( 'meta' );
	$compare = isset( $clause['compare'] ) ? strtoupper( $clause['compare'] ) : ( isset( $clause['value'] ) && is_array( $clause['value'] ) ? 'IN' : '=' );
	$key_sql = isset( $clause['key'] ) ? $wpdb->prepare( 'm.meta_key = %s', $clause['key'] ) : '1=1';
	$base    = "SELECT 1 FROM {$meta} m WHERE m.order_id = o.id AND {$key_sql}";
	switch ( $compare ) {
		case 'EXISTS':
			return "EXISTS ({$base})";
		case 'NOT EXISTS':
			return "NOT EXISTS ({$base})";
		case 'IN':
		case 'NOT IN':
			$values = array_map( 'strval', (array) $clause['value'] );
			if ( ! $values ) {
				return 'IN' === $compare ? '1=0' : '1=1';
			}
			$in = implode( ',', array_fill( 0, count( $values ), '%s' ) );
			$in = $wpdb->prepare( $in, $values ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
			return 'IN' === $compare ? "EXISTS ({$base} AND m.meta_value IN ({$in}))" : "NOT EXISTS ({$base} AND m.meta_value IN ({$in}))";
		case '!=':
			return 'EXISTS (' . $base . $wpdb->prepare( ' AND m.meta_value != %s', (string) $clause['value'] ) . ')';
		case 'LIKE':
			return 'EXISTS (' . $base . $wpdb->prepare( ' AND m.meta_value LIKE %s', '%' . $wpdb->esc_like( (string) $clause['value'] ) . '%' ) . ')';
		default:
			return 'EXISTS (' . $base . $wpdb->prepare( ' AND m.meta_value = %s', (string) $clause['value'] ) . ')';
	}
}

/**
 * A meta_query (nested arrays, relation AND/OR) as SQL.
 *
 * @param array $query Meta query.
 * @return string
 */
function wc_standin_meta_query_sql( $query ) {
	$relation = isset( $query['relation'] ) && 'OR' === strtoupper( $query['relation'] ) ? ' OR ' : ' AND ';
	$parts    = array();
	foreach ( $query as $k => $clause ) {
		if ( 'relation' === $k || ! is_array( $clause ) ) {
			continue;
		}
		$parts[] = ( isset( $clause['key'] ) || isset( $clause['value'] ) ) ? wc_standin_meta_clause_sql( $clause ) : wc_standin_meta_query_sql( $clause );
	}
	return $parts ? '(' . implode( $relation, $parts ) . ')' : '1=1';
}

/**
 * Orders matching a query, as wc_get_orders() on HPOS.
 *
 * @param array $args See the file header.
 * @return WC_Order[]|int[]
 */
function wc_get_orders( $args = array() ) {
	global $wpdb;
	$args   = wp_parse_args(
		$args,
		array(
			'status'  => array_keys( wc_get_order_statuses() ),
			'type'    => 'shop_order',
			'limit'   => get_option( 'posts_per_page' ),
			'offset'  => 0,
			'orderby' => 'date',
			'order'   => 'DESC',
			'return'  => 'objects',
		)
	);
	$o      = WC_Standin_Order_Store::table( 'orders' );
	$where  = array();
	$types  = (array) $args['type'];
	$where[] = 'o.type IN (' . implode( ',', array_map( function ( $t ) use ( $wpdb ) { return $wpdb->prepare( '%s', $t ); }, $types ) ) . ')'; // phpcs:ignore
	$statuses = array_map(
		function ( $s ) {
			return 'wc-' === substr( (string) $s, 0, 3 ) || in_array( $s, array( 'trash', 'auto-draft', 'draft' ), true ) ? (string) $s : 'wc-' . $s;
		},
		(array) $args['status']
	);
	if ( $statuses && ! in_array( 'wc-any', $statuses, true ) && ! in_array( 'any', (array) $args['status'], true ) ) {
		$where[] = 'o.status IN (' . implode( ',', array_map( function ( $s ) use ( $wpdb ) { return $wpdb->prepare( '%s', $s ); }, $statuses ) ) . ')'; // phpcs:ignore
	}
	$columns = array(
		'payment_method' => 'o.payment_method',
		'transaction_id' => 'o.transaction_id',
		'customer_id'    => 'o.customer_id',
		'customer'       => 'o.customer_id',
		'billing_email'  => 'o.billing_email',
		'parent'         => 'o.parent_order_id',
		'currency'       => 'o.currency',
	);
	foreach ( $columns as $arg => $column ) {
		if ( isset( $args[ $arg ] ) && '' !== $args[ $arg ] ) {
			$values  = (array) $args[ $arg ];
			$where[] = $column . ' IN (' . implode( ',', array_map( function ( $v ) use ( $wpdb ) { return $wpdb->prepare( '%s', (string) $v ); }, $values ) ) . ')'; // phpcs:ignore
		}
	}
	if ( isset( $args['id'] ) ) {
		$where[] = 'o.id IN (' . implode( ',', array_map( 'absint', (array) $args['id'] ) ) . ')';
	}
	if ( ! empty( $args['date_created'] ) ) {
		$where[] = wc_standin_date_sql( 'o.date_created_gmt', $args['date_created'] );
	}
	if ( ! empty( $args['date_modified'] ) ) {
		$where[] = wc_standin_date_sql( 'o.date_updated_gmt', $args['date_modified'] );
	}
	if ( isset( $args['meta_key'] ) ) {
		$clause = array( 'key' => $args['meta_key'] );
		if ( isset( $args['meta_value'] ) ) {
			$clause['value']   = $args['meta_value'];
			$clause['compare'] = isset( $args['meta_compare'] ) ? $args['meta_compare'] : '=';
		} else {
			$clause['compare'] = 'EXISTS';
		}
		$where[] = wc_standin_meta_clause_sql( $clause );
	}
	if ( ! empty( $args['meta_query'] ) && is_array( $args['meta_query'] ) ) {
		$where[] = wc_standin_meta_query_sql( $args['meta_query'] );
	}
	$orderby = array(
		'date'     => 'o.date_created_gmt',
		'id'       => 'o.id',
		'ID'       => 'o.id',
		'modified' => 'o.date_updated_gmt',
		'none'     => 'o.id',
	);
	$order   = 'ASC' === strtoupper( (string) $args['order'] ) ? 'ASC' : 'DESC';
	$by      = isset( $orderby[ $args['orderby'] ] ) ? $orderby[ $args['orderby'] ] : 'o.date_created_gmt';
	$sql     = "SELECT o.id FROM {$o} o WHERE " . implode( ' AND ', $where ) . " ORDER BY {$by} {$order}, o.id {$order}";
	$limit   = (int) $args['limit'];
	if ( $limit > 0 ) {
		$sql .= $wpdb->prepare( ' LIMIT %d OFFSET %d', $limit, absint( $args['offset'] ) );
	}
	$ids = array_map( 'intval', $wpdb->get_col( $sql ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
	if ( 'ids' === $args['return'] ) {
		return $ids;
	}
	return array_values( array_filter( array_map( 'wc_get_order', $ids ) ) );
}

/**
 * Order notes (wc_get_order_notes): objects with id, date_created, content, customer_note, added_by.
 *
 * @param array $args order_id, type (customer|internal), orderby, order.
 * @return array
 */
function wc_get_order_notes( $args ) {
	$query = array(
		'post_id' => isset( $args['order_id'] ) ? absint( $args['order_id'] ) : 0,
		'type'    => 'order_note',
		'orderby' => 'comment_ID',
		'order'   => isset( $args['order'] ) ? $args['order'] : 'DESC',
		'status'  => 'approve',
	);
	$notes = array();
	foreach ( get_comments( $query ) as $comment ) {
		$customer = (bool) get_comment_meta( $comment->comment_ID, 'is_customer_note', true );
		if ( isset( $args['type'] ) && ( ( 'customer' === $args['type'] && ! $customer ) || ( 'internal' === $args['type'] && $customer ) ) ) {
			continue;
		}
		$notes[] = (object) array(
			'id'            => (int) $comment->comment_ID,
			'date_created'  => WC_DateTime::from_ts( strtotime( $comment->comment_date_gmt . ' UTC' ) ),
			'content'       => $comment->comment_content,
			'customer_note' => $customer,
			'added_by'      => __( 'WooCommerce', 'woocommerce' ) === $comment->comment_author ? 'system' : $comment->comment_author,
		);
	}
	return $notes;
}

/**
 * Creates a refund (see the file header).
 *
 * @param array $args amount, reason, order_id, refund_id, line_items, refund_payment, restock_items.
 * @return WC_Order_Refund|WP_Error
 */
function wc_create_refund( $args = array() ) {
	$args = wp_parse_args(
		$args,
		array(
			'amount'         => 0,
			'reason'         => null,
			'order_id'       => 0,
			'refund_id'      => 0,
			'line_items'     => array(),
			'refund_payment' => false,
			'restock_items'  => false,
		)
	);
	try {
		$order = wc_get_order( $args['order_id'] );
		if ( ! $order || ! $order instanceof WC_Order ) {
			throw new Exception( __( 'Invalid order ID.', 'woocommerce' ) );
		}
		$remaining = $order->get_remaining_refund_amount();
		$refund    = new WC_Order_Refund( $args['refund_id'] );
		if ( 0 > $args['amount'] || $args['amount'] > $remaining ) {
			throw new Exception( __( 'Invalid refund amount.', 'woocommerce' ) );
		}
		$refund->set_currency( $order->get_currency() );
		$refund->set_amount( $args['amount'] );
		$refund->set_parent_id( absint( $args['order_id'] ) );
		$refund->set_refunded_by( get_current_user_id() ? get_current_user_id() : 1 );
		$refund->set_prices_include_tax( $order->get_prices_include_tax() );
		if ( ! is_null( $args['reason'] ) ) {
			$refund->set_reason( $args['reason'] );
		}
		// As WooCommerce does: update_taxes() and calculate_totals() save the refund (a zero total, no line items)
		// before its total is set, so another request can see it for a moment with a zero amount.
		$refund->save();
		$refund->set_total( $args['amount'] * -1 );
		if ( isset( $args['date_created'] ) ) {
			$refund->set_date_created( $args['date_created'] );
		}
		do_action( 'woocommerce_create_refund', $refund, $args );
		if ( $refund->save() ) {
			if ( $args['refund_payment'] ) {
				$result = wc_refund_payment( $order, $refund->get_amount(), $refund->get_reason() );
				if ( is_wp_error( $result ) ) {
					$refund->delete();
					return $result;
				}
				$refund->set_refunded_payment( true );
				$refund->save();
			}
			if ( (bool) apply_filters( 'woocommerce_order_is_partially_refunded', ( $remaining - $args['amount'] ) > 0, $order->get_id(), $refund->get_id() ) ) {
				do_action( 'woocommerce_order_partially_refunded', $order->get_id(), $refund->get_id() );
			} else {
				do_action( 'woocommerce_order_fully_refunded', $order->get_id(), $refund->get_id() );
				$parent_status = apply_filters( 'woocommerce_order_fully_refunded_status', 'refunded', $order->get_id(), $refund->get_id() );
				if ( $parent_status ) {
					$order->update_status( $parent_status );
				}
			}
		}
		$order->set_date_modified( time() );
		$order->save();
		do_action( 'woocommerce_refund_created', $refund->get_id(), $args );
		do_action( 'woocommerce_order_refunded', $order->get_id(), $refund->get_id() );
	} catch ( Exception $e ) {
		if ( isset( $refund ) && $refund instanceof WC_Order_Refund ) {
			$refund->delete( true );
		}
		return new WP_Error( 'error', $e->getMessage() );
	}
	return $refund;
}

/**
 * Asks the order's gateway to refund (see the file header).
 *
 * @param WC_Order $order  Order.
 * @param string   $amount Amount.
 * @param string   $reason Reason.
 * @return true|WP_Error
 */
function wc_refund_payment( $order, $amount, $reason = '' ) {
	try {
		if ( ! is_a( $order, 'WC_Order' ) ) {
			throw new Exception( __( 'Invalid order.', 'woocommerce' ) );
		}
		$gateways = WC_Payment_Gateways::instance()->payment_gateways();
		$method   = $order->get_payment_method();
		$gateway  = isset( $gateways[ $method ] ) ? $gateways[ $method ] : false;
		if ( ! $gateway ) {
			throw new Exception( __( 'The payment gateway for this order does not exist.', 'woocommerce' ) );
		}
		if ( ! $gateway->supports( 'refunds' ) ) {
			throw new Exception( __( 'The payment gateway for this order does not support automatic refunds.', 'woocommerce' ) );
		}
		$result = $gateway->process_refund( $order->get_id(), $amount, $reason );
		if ( ! $result ) {
			throw new Exception( __( 'An error occurred while attempting to create the refund using the payment gateway API.', 'woocommerce' ) );
		}
		if ( is_wp_error( $result ) ) {
			throw new Exception( $result->get_error_message() );
		}
		return true;
	} catch ( Exception $e ) {
		return new WP_Error( 'error', $e->getMessage() );
	}
}

/**
 * Cancels unpaid orders (see the file header).
 */
function wc_cancel_unpaid_orders() {
	global $wpdb;
	$held_duration = get_option( 'woocommerce_hold_stock_minutes' );
	wp_clear_scheduled_hook( 'woocommerce_cancel_unpaid_orders' );
	$interval = apply_filters( 'woocommerce_cancel_unpaid_orders_interval_minutes', absint( $held_duration ) );
	wp_schedule_single_event( time() + ( absint( $interval ) * 60 ), 'woocommerce_cancel_unpaid_orders' );

	if ( $held_duration < 1 || 'yes' !== get_option( 'woocommerce_manage_stock' ) ) {
		return;
	}
	$before = gmdate( 'Y-m-d H:i:s', time() - absint( $held_duration ) * MINUTE_IN_SECONDS );
	$ids    = $wpdb->get_col( $wpdb->prepare( 'SELECT id FROM ' . WC_Standin_Order_Store::table( 'orders' ) . " WHERE type IN ('shop_order','shop_order_refund') AND status = %s AND date_updated_gmt < %s", 'wc-pending', $before ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
	foreach ( $ids as $id ) {
		$order = wc_get_order( $id );
		if ( $order && apply_filters( 'woocommerce_cancel_unpaid_order', 'checkout' === $order->get_created_via(), $order ) ) {
			$order->update_status( 'cancelled', __( 'Unpaid order cancelled - time limit reached.', 'woocommerce' ) );
		}
	}
}
add_action( 'woocommerce_cancel_unpaid_orders', 'wc_cancel_unpaid_orders' );

/**
 * When an order is set to 'refunded' (by hand or by a plugin), WooCommerce records a refund for what is left, without
 * asking the gateway (reason "Order fully refunded."), and adds a note saying the money must be returned at the
 * gateway (wc_order_fully_refunded on woocommerce_order_status_refunded).
 *
 * @param int $order_id Order id.
 */
function wc_order_fully_refunded( $order_id ) {
	$order      = wc_get_order( $order_id );
	$max_refund = wc_format_decimal( $order->get_total() - $order->get_total_refunded() );
	if ( ! $max_refund ) {
		return;
	}
	wc_create_refund(
		array(
			'amount'     => $max_refund,
			'reason'     => __( 'Order fully refunded.', 'woocommerce' ),
			'order_id'   => $order_id,
			'line_items' => array(),
		)
	);
	$order->add_order_note( __( 'Order status set to refunded. To return funds to the customer you will need to issue a refund through your payment gateway.', 'woocommerce' ) );
}
add_action( 'woocommerce_order_status_refunded', 'wc_order_fully_refunded' );
