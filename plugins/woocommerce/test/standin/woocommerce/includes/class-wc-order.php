<?php
/**
 * Model of WooCommerce's order objects (WooCommerce 9.4.3 includes/abstracts/abstract-wc-data.php,
 * abstract-wc-order.php, class-wc-order.php, class-wc-order-refund.php, class-wc-datetime.php, class-wc-meta-data.php),
 * stored through the HPOS model in order-store.php.
 *
 * Behaviour kept from WooCommerce:
 * - props and meta change in memory and are written by save(); an update writes only the changed columns, and meta
 *   rows are inserted/updated/deleted one by one (update_meta_data() replaces the first row of a key and drops the
 *   others), so two requests touching different props or keys do not overwrite each other (as with HPOS);
 * - set_status() records a transition (only once the object was read, and only when the status changes); save() then
 *   fires woocommerce_order_status_{to}, adds the note "Order status changed from A to B." (prefixed by the caller's
 *   note), then woocommerce_order_status_{from}_to_{to}, woocommerce_order_status_changed and, from pending/failed to a
 *   paid status, woocommerce_order_payment_status_changed; an unknown status becomes 'pending';
 * - payment_complete() acts only from on-hold, pending, failed or cancelled (filter
 *   woocommerce_valid_order_statuses_for_payment_complete): so a late payment revives a cancelled order; it sets the
 *   transaction id, date paid and processing (completed when nothing needs processing) and fires
 *   woocommerce_payment_complete; from any other status it fires woocommerce_payment_complete_order_status_{status};
 * - needs_payment(): status pending or failed (filter woocommerce_valid_order_statuses_for_payment) and total > 0;
 * - totals are decimal strings with the store's decimals ("1500.00");
 * - order notes are comments of type order_note by "WooCommerce" (or the current user when added by a user).
 *
 * @package WooCommerceStandin
 */

defined( 'ABSPATH' ) || exit;

/**
 * WC_DateTime: a DateTime that prints ISO 8601.
 */
class WC_DateTime extends DateTime {

	/**
	 * ISO 8601.
	 *
	 * @return string
	 */
	public function __toString() {
		return $this->format( DATE_ATOM );
	}

	/**
	 * Timestamp with the site offset.
	 *
	 * @return int
	 */
	public function getOffsetTimestamp() { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName.MethodNameInvalid
		return $this->getTimestamp() + $this->getOffset();
	}

	/**
	 * Localised date.
	 *
	 * @param string $format Format.
	 * @return string
	 */
	public function date_i18n( $format = 'Y-m-d' ) {
		return date_i18n( $format, $this->getOffsetTimestamp() );
	}

	/**
	 * From a timestamp, in the site timezone.
	 *
	 * @param int|null $ts Timestamp.
	 * @return WC_DateTime|null
	 */
	public static function from_ts( $ts ) {
		if ( null === $ts ) {
			return null;
		}
		$dt = new self( '@' . (int) $ts );
		$dt->setTimezone( wp_timezone() );
		return $dt;
	}
}

/**
 * WC_Meta_Data: one meta row.
 */
class WC_Meta_Data {

	/**
	 * Row id (null until saved).
	 *
	 * @var int|null
	 */
	public $id;

	/**
	 * Key.
	 *
	 * @var string
	 */
	public $key;

	/**
	 * Value.
	 *
	 * @var mixed
	 */
	public $value;

	/**
	 * Constructor.
	 *
	 * @param array $meta id, key, value.
	 */
	public function __construct( $meta = array() ) {
		$this->id    = isset( $meta['id'] ) ? $meta['id'] : null;
		$this->key   = isset( $meta['key'] ) ? $meta['key'] : '';
		$this->value = isset( $meta['value'] ) ? $meta['value'] : null;
	}

	/**
	 * Data array.
	 *
	 * @return array
	 */
	public function get_data() {
		return array(
			'id'    => $this->id,
			'key'   => $this->key,
			'value' => $this->value,
		);
	}
}

/**
 * A product line (WC_Order_Item_Product model): name, product id, quantity, total.
 */
class WC_Order_Item_Product {

	/**
	 * Data.
	 *
	 * @var array
	 */
	protected $data = array(
		'id'         => 0,
		'name'       => '',
		'product_id' => 0,
		'quantity'   => 1,
		'subtotal'   => '0',
		'total'      => '0',
	);

	/**
	 * Constructor.
	 *
	 * @param array $data Data.
	 */
	public function __construct( $data = array() ) {
		$this->data = array_merge( $this->data, $data );
	}

	/**
	 * Id.
	 *
	 * @return int
	 */
	public function get_id() {
		return (int) $this->data['id'];
	}

	/**
	 * Name.
	 *
	 * @return string
	 */
	public function get_name() {
		return $this->data['name'];
	}

	/**
	 * Product id.
	 *
	 * @return int
	 */
	public function get_product_id() {
		return (int) $this->data['product_id'];
	}

	/**
	 * Quantity.
	 *
	 * @return int
	 */
	public function get_quantity() {
		return (int) $this->data['quantity'];
	}

	/**
	 * Line subtotal.
	 *
	 * @return string
	 */
	public function get_subtotal() {
		return (string) $this->data['subtotal'];
	}

	/**
	 * Line total.
	 *
	 * @return string
	 */
	public function get_total() {
		return (string) $this->data['total'];
	}

	/**
	 * Product.
	 *
	 * @return WC_Standin_Product|false
	 */
	public function get_product() {
		return wc_get_product( $this->get_product_id() );
	}

	/**
	 * Type check.
	 *
	 * @param string|array $type Type(s).
	 * @return bool
	 */
	public function is_type( $type ) {
		return in_array( 'line_item', (array) $type, true );
	}

	/**
	 * Type.
	 *
	 * @return string
	 */
	public function get_type() {
		return 'line_item';
	}
}

/**
 * Shared order/refund behaviour (model of WC_Abstract_Order + WC_Data).
 */
abstract class WC_Abstract_Order {

	/**
	 * Id.
	 *
	 * @var int
	 */
	protected $id = 0;

	/**
	 * Props.
	 *
	 * @var array
	 */
	protected $data = array();

	/**
	 * Changed props.
	 *
	 * @var array
	 */
	protected $changes = array();

	/**
	 * Meta rows.
	 *
	 * @var WC_Meta_Data[]
	 */
	protected $meta_data = array();

	/**
	 * Meta values as read (id => value) to find changes.
	 *
	 * @var array
	 */
	protected $meta_read = array();

	/**
	 * Whether the object was read from storage (or saved).
	 *
	 * @var bool
	 */
	protected $object_read = false;

	/**
	 * Pending status transition.
	 *
	 * @var array|false
	 */
	protected $status_transition = false;

	/**
	 * Line items added in memory.
	 *
	 * @var WC_Order_Item_Product[]
	 */
	protected $new_items = array();

	/**
	 * Default props.
	 *
	 * @return array
	 */
	protected function defaults() {
		return array(
			'parent_id'            => 0,
			'status'               => '',
			'currency'             => '',
			'prices_include_tax'   => false,
			'date_created'         => null,
			'date_modified'        => null,
			'total'                => '0',
			'total_tax'            => '0',
			'customer_id'          => 0,
			'order_key'            => '',
			'billing'              => array(
				'first_name' => '',
				'last_name'  => '',
				'company'    => '',
				'address_1'  => '',
				'address_2'  => '',
				'city'       => '',
				'state'      => '',
				'postcode'   => '',
				'country'    => '',
				'email'      => '',
				'phone'      => '',
			),
			'payment_method'       => '',
			'payment_method_title' => '',
			'transaction_id'       => '',
			'customer_ip_address'  => '',
			'customer_user_agent'  => '',
			'created_via'          => '',
			'customer_note'        => '',
			'date_completed'       => null,
			'date_paid'            => null,
			'cart_hash'            => '',
		);
	}

	/**
	 * Order type.
	 *
	 * @return string
	 */
	abstract public function get_type();

	/**
	 * Constructor: loads the order when given an id (or an order object).
	 *
	 * @param int|WC_Abstract_Order $order Order id or object.
	 */
	public function __construct( $order = 0 ) {
		$this->data = $this->defaults();
		$id         = $order instanceof WC_Abstract_Order ? $order->get_id() : absint( $order );
		if ( $id > 0 ) {
			$row = WC_Standin_Order_Store::read( $id );
			if ( ! $row || $row['type'] !== $this->get_type() ) {
				throw new Exception( 'Invalid order.' );
			}
			$this->read_row( $row );
		}
		$this->object_read = true;
	}

	/**
	 * Fills props from storage.
	 *
	 * @param array $row Row set.
	 */
	protected function read_row( $row ) {
		$this->id   = (int) $row['id'];
		$op         = $row['operational'] ? $row['operational'] : array();
		$billing    = isset( $row['addresses']['billing'] ) ? $row['addresses']['billing'] : array();
		$this->data = array_merge(
			$this->data,
			array(
				'parent_id'            => (int) $row['parent_order_id'],
				'status'               => 'wc-' === substr( (string) $row['status'], 0, 3 ) ? substr( $row['status'], 3 ) : (string) $row['status'],
				'currency'             => (string) $row['currency'],
				'total'                => wc_format_decimal( $row['total_amount'], wc_get_price_decimals() ),
				'total_tax'            => wc_format_decimal( $row['tax_amount'], wc_get_price_decimals() ),
				'customer_id'          => (int) $row['customer_id'],
				'date_created'         => WC_Standin_Order_Store::ts( $row['date_created_gmt'] ),
				'date_modified'        => WC_Standin_Order_Store::ts( $row['date_updated_gmt'] ),
				'payment_method'       => (string) $row['payment_method'],
				'payment_method_title' => (string) $row['payment_method_title'],
				'transaction_id'       => (string) $row['transaction_id'],
				'customer_ip_address'  => (string) $row['ip_address'],
				'customer_user_agent'  => (string) $row['user_agent'],
				'customer_note'        => (string) $row['customer_note'],
				'created_via'          => isset( $op['created_via'] ) ? (string) $op['created_via'] : '',
				'prices_include_tax'   => ! empty( $op['prices_include_tax'] ),
				'order_key'            => isset( $op['order_key'] ) ? (string) $op['order_key'] : '',
				'cart_hash'            => isset( $op['cart_hash'] ) ? (string) $op['cart_hash'] : '',
				'date_paid'            => isset( $op['date_paid_gmt'] ) ? WC_Standin_Order_Store::ts( $op['date_paid_gmt'] ) : null,
				'date_completed'       => isset( $op['date_completed_gmt'] ) ? WC_Standin_Order_Store::ts( $op['date_completed_gmt'] ) : null,
			)
		);
		foreach ( array_keys( $this->data['billing'] ) as $field ) {
			$this->data['billing'][ $field ] = isset( $billing[ $field ] ) ? (string) $billing[ $field ] : '';
		}
		$this->meta_data = array();
		$this->meta_read = array();
		foreach ( $row['meta'] as $meta ) {
			$value             = maybe_unserialize( $meta['meta_value'] );
			$this->meta_data[] = new WC_Meta_Data(
				array(
					'id'    => (int) $meta['id'],
					'key'   => $meta['meta_key'],
					'value' => $value,
				)
			);
			$this->meta_read[ (int) $meta['id'] ] = $meta['meta_value'];
		}
	}

	/**
	 * Reads a prop (with pending changes).
	 *
	 * @param string $prop    Prop.
	 * @param string $context view|edit.
	 * @return mixed
	 */
	protected function get_prop( $prop, $context = 'view' ) {
		$value = array_key_exists( $prop, $this->changes ) ? $this->changes[ $prop ] : $this->data[ $prop ];
		if ( 'view' === $context ) {
			$value = apply_filters( 'woocommerce_' . ( 'shop_order_refund' === $this->get_type() ? 'order_refund' : 'order' ) . '_get_' . $prop, $value, $this );
		}
		return $value;
	}

	/**
	 * Sets a prop (a change once the object was read).
	 *
	 * @param string $prop  Prop.
	 * @param mixed  $value Value.
	 */
	protected function set_prop( $prop, $value ) {
		if ( $this->object_read ) {
			if ( $value !== $this->data[ $prop ] || array_key_exists( $prop, $this->changes ) ) {
				$this->changes[ $prop ] = $value;
			}
		} else {
			$this->data[ $prop ] = $value;
		}
	}

	/**
	 * Date prop setter (timestamp, date string or DateTime).
	 *
	 * @param string $prop  Prop.
	 * @param mixed  $value Value.
	 */
	protected function set_date_prop( $prop, $value ) {
		if ( null === $value || '' === $value ) {
			$this->set_prop( $prop, null );
			return;
		}
		if ( $value instanceof DateTimeInterface ) {
			$ts = $value->getTimestamp();
		} elseif ( is_numeric( $value ) ) {
			$ts = (int) $value;
		} else {
			$ts = (int) strtotime( (string) $value );
		}
		$this->set_prop( $prop, $ts );
	}

	/**
	 * Id.
	 *
	 * @return int
	 */
	public function get_id() {
		return $this->id;
	}

	/**
	 * Parent id.
	 *
	 * @param string $context Context.
	 * @return int
	 */
	public function get_parent_id( $context = 'view' ) {
		return (int) $this->get_prop( 'parent_id', $context );
	}

	/**
	 * Sets parent id.
	 *
	 * @param int $value Id.
	 */
	public function set_parent_id( $value ) {
		$this->set_prop( 'parent_id', absint( $value ) );
	}

	/**
	 * Status without wc-.
	 *
	 * @param string $context Context.
	 * @return string
	 */
	public function get_status( $context = 'view' ) {
		$status = $this->get_prop( 'status', $context );
		if ( empty( $status ) && 'view' === $context ) {
			$status = apply_filters( 'woocommerce_default_order_status', 'pending' );
		}
		return $status;
	}

	/**
	 * Whether the status is one of the given ones.
	 *
	 * @param string|array $status Status(es).
	 * @return bool
	 */
	public function has_status( $status ) {
		return apply_filters( 'woocommerce_order_has_status', ( is_array( $status ) && in_array( $this->get_status(), $status, true ) ) || $this->get_status() === $status, $this, $status );
	}

	/**
	 * Currency.
	 *
	 * @param string $context Context.
	 * @return string
	 */
	public function get_currency( $context = 'view' ) {
		return $this->get_prop( 'currency', $context );
	}

	/**
	 * Sets currency.
	 *
	 * @param string $value Code.
	 */
	public function set_currency( $value ) {
		$this->set_prop( 'currency', $value ? strtoupper( (string) $value ) : get_woocommerce_currency() );
	}

	/**
	 * Total as a decimal string.
	 *
	 * @param string $context Context.
	 * @return string
	 */
	public function get_total( $context = 'view' ) {
		return $this->get_prop( 'total', $context );
	}

	/**
	 * Sets total (formatted with the store decimals).
	 *
	 * @param string|float $value Total.
	 */
	public function set_total( $value ) {
		$this->set_prop( 'total', wc_format_decimal( $value, wc_get_price_decimals() ) );
	}

	/**
	 * Total tax.
	 *
	 * @param string $context Context.
	 * @return string
	 */
	public function get_total_tax( $context = 'view' ) {
		return $this->get_prop( 'total_tax', $context );
	}

	/**
	 * Prices include tax.
	 *
	 * @param string $context Context.
	 * @return bool
	 */
	public function get_prices_include_tax( $context = 'view' ) {
		return (bool) $this->get_prop( 'prices_include_tax', $context );
	}

	/**
	 * Sets prices include tax.
	 *
	 * @param bool $value Value.
	 */
	public function set_prices_include_tax( $value ) {
		$this->set_prop( 'prices_include_tax', (bool) $value );
	}

	/**
	 * Date created.
	 *
	 * @param string $context Context.
	 * @return WC_DateTime|null
	 */
	public function get_date_created( $context = 'view' ) {
		return WC_DateTime::from_ts( $this->get_prop( 'date_created', $context ) );
	}

	/**
	 * Sets date created.
	 *
	 * @param mixed $date Date.
	 */
	public function set_date_created( $date = null ) {
		$this->set_date_prop( 'date_created', $date );
	}

	/**
	 * Date modified.
	 *
	 * @param string $context Context.
	 * @return WC_DateTime|null
	 */
	public function get_date_modified( $context = 'view' ) {
		return WC_DateTime::from_ts( $this->get_prop( 'date_modified', $context ) );
	}

	/**
	 * Sets date modified.
	 *
	 * @param mixed $date Date.
	 */
	public function set_date_modified( $date = null ) {
		$this->set_date_prop( 'date_modified', $date );
	}

	/*
	 * Meta data (WC_Data).
	 */

	/**
	 * All meta rows.
	 *
	 * @return WC_Meta_Data[]
	 */
	public function get_meta_data() {
		return array_values(
			array_filter(
				$this->meta_data,
				function ( $meta ) {
					return null !== $meta->value;
				}
			)
		);
	}

	/**
	 * Meta value(s).
	 *
	 * @param string $key     Key.
	 * @param bool   $single  One value ('' if none) or all rows.
	 * @param string $context Context.
	 * @return mixed
	 */
	public function get_meta( $key = '', $single = true, $context = 'view' ) {
		$rows = array_values(
			array_filter(
				$this->get_meta_data(),
				function ( $meta ) use ( $key ) {
					return $meta->key === $key;
				}
			)
		);
		if ( $single ) {
			$value = $rows ? $rows[0]->value : '';
		} else {
			$value = $rows;
		}
		if ( 'view' === $context ) {
			$value = apply_filters( 'woocommerce_' . ( 'shop_order_refund' === $this->get_type() ? 'order_refund' : 'order' ) . '_get_' . $key, $value, $this );
		}
		return $value;
	}

	/**
	 * Whether a meta key exists.
	 *
	 * @param string $key Key.
	 * @return bool
	 */
	public function meta_exists( $key = '' ) {
		foreach ( $this->get_meta_data() as $meta ) {
			if ( $meta->key === $key ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Adds a meta row (replacing the key's rows when unique).
	 *
	 * @param string $key    Key.
	 * @param mixed  $value  Value.
	 * @param bool   $unique Unique.
	 */
	public function add_meta_data( $key, $value, $unique = false ) {
		if ( $unique ) {
			$this->delete_meta_data( $key );
		}
		$this->meta_data[] = new WC_Meta_Data(
			array(
				'key'   => $key,
				'value' => $value,
			)
		);
	}

	/**
	 * Updates the first row of a key (or adds one); other rows of the key are deleted.
	 *
	 * @param string $key     Key.
	 * @param mixed  $value   Value.
	 * @param int    $meta_id Row id.
	 */
	public function update_meta_data( $key, $value, $meta_id = 0 ) {
		$found = false;
		foreach ( $this->meta_data as $meta ) {
			if ( $meta_id ? (int) $meta->id === (int) $meta_id : ( $meta->key === $key && null !== $meta->value ) ) {
				if ( $found ) {
					$meta->value = null;
					continue;
				}
				$meta->key   = $key;
				$meta->value = $value;
				$found       = true;
			}
		}
		if ( ! $found ) {
			$this->add_meta_data( $key, $value, true );
		}
	}

	/**
	 * Deletes all rows of a key.
	 *
	 * @param string $key Key.
	 */
	public function delete_meta_data( $key ) {
		foreach ( $this->meta_data as $meta ) {
			if ( $meta->key === $key ) {
				$meta->value = null;
			}
		}
	}

	/**
	 * Whether there are unsaved meta changes.
	 *
	 * @return bool
	 */
	protected function meta_changed() {
		foreach ( $this->meta_data as $meta ) {
			if ( null === $meta->id ? null !== $meta->value : ( null === $meta->value || maybe_serialize( $meta->value ) !== $this->meta_read[ $meta->id ] ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Writes meta changes row by row.
	 */
	protected function save_meta_data() {
		global $wpdb;
		$table = WC_Standin_Order_Store::table( 'meta' );
		$kept  = array();
		foreach ( $this->meta_data as $meta ) {
			if ( null === $meta->id ) {
				if ( null === $meta->value ) {
					continue;
				}
				$wpdb->insert(
					$table,
					array(
						'order_id'   => $this->id,
						'meta_key'   => $meta->key, // phpcs:ignore WordPress.DB.SlowDBQuery
						'meta_value' => maybe_serialize( $meta->value ), // phpcs:ignore WordPress.DB.SlowDBQuery
					)
				);
				$meta->id = (int) $wpdb->insert_id;
			} elseif ( null === $meta->value ) {
				$wpdb->delete( $table, array( 'id' => $meta->id ) );
				continue;
			} elseif ( maybe_serialize( $meta->value ) !== $this->meta_read[ $meta->id ] ) {
				$wpdb->update(
					$table,
					array(
						'meta_key'   => $meta->key, // phpcs:ignore WordPress.DB.SlowDBQuery
						'meta_value' => maybe_serialize( $meta->value ), // phpcs:ignore WordPress.DB.SlowDBQuery
					),
					array( 'id' => $meta->id )
				);
			}
			$this->meta_read[ $meta->id ] = maybe_serialize( $meta->value );
			$kept[]                       = $meta;
		}
		$this->meta_data = $kept;
	}

	/**
	 * Applies pending changes to data.
	 */
	protected function apply_changes() {
		foreach ( $this->changes as $prop => $value ) {
			$this->data[ $prop ] = $value;
		}
		$this->changes = array();
	}

	/**
	 * Row values for wc_orders and wc_order_operational_data.
	 *
	 * @return array
	 */
	protected function rows() {
		$status = $this->get_status( 'edit' );
		return array(
			'orders'      => array(
				'id'                   => $this->id,
				'status'               => $status ? 'wc-' . $status : null,
				'currency'             => $this->get_prop( 'currency', 'edit' ),
				'type'                 => $this->get_type(),
				'tax_amount'           => $this->get_prop( 'total_tax', 'edit' ),
				'total_amount'         => $this->get_prop( 'total', 'edit' ),
				'customer_id'          => $this->get_prop( 'customer_id', 'edit' ),
				'billing_email'        => $this->get_prop( 'billing', 'edit' )['email'],
				'date_created_gmt'     => WC_Standin_Order_Store::gmt( $this->get_prop( 'date_created', 'edit' ) ),
				'date_updated_gmt'     => WC_Standin_Order_Store::gmt( $this->get_prop( 'date_modified', 'edit' ) ),
				'parent_order_id'      => $this->get_prop( 'parent_id', 'edit' ),
				'payment_method'       => $this->get_prop( 'payment_method', 'edit' ),
				'payment_method_title' => $this->get_prop( 'payment_method_title', 'edit' ),
				'transaction_id'       => $this->get_prop( 'transaction_id', 'edit' ),
				'ip_address'           => $this->get_prop( 'customer_ip_address', 'edit' ),
				'user_agent'           => $this->get_prop( 'customer_user_agent', 'edit' ),
				'customer_note'        => $this->get_prop( 'customer_note', 'edit' ),
			),
			'operational' => array(
				'order_id'            => $this->id,
				'created_via'         => $this->get_prop( 'created_via', 'edit' ),
				'woocommerce_version' => WC_VERSION,
				'prices_include_tax'  => $this->get_prop( 'prices_include_tax', 'edit' ) ? 1 : 0,
				'order_key'           => $this->get_prop( 'order_key', 'edit' ),
				'cart_hash'           => $this->get_prop( 'cart_hash', 'edit' ),
				'date_paid_gmt'       => WC_Standin_Order_Store::gmt( $this->get_prop( 'date_paid', 'edit' ) ),
				'date_completed_gmt'  => WC_Standin_Order_Store::gmt( $this->get_prop( 'date_completed', 'edit' ) ),
			),
		);
	}

	/**
	 * Saves props, addresses, meta and items; fires the status transition afterwards.
	 *
	 * @return int Id.
	 */
	public function save() {
		global $wpdb;
		$object_type = 'shop_order_refund' === $this->get_type() ? 'order_refund' : 'order';
		do_action( 'woocommerce_before_' . $object_type . '_object_save', $this, null );
		$creating = ! $this->id;
		if ( $creating ) {
			$this->id = WC_Standin_Order_Store::reserve_id();
			if ( null === $this->get_prop( 'date_created', 'edit' ) ) {
				$this->set_prop( 'date_created', time() );
			}
			if ( '' === $this->get_prop( 'status', 'edit' ) ) {
				$this->set_prop( 'status', apply_filters( 'woocommerce_default_order_status', 'pending' ) );
			}
			if ( '' === $this->get_prop( 'currency', 'edit' ) ) {
				$this->set_prop( 'currency', get_woocommerce_currency() );
			}
			if ( '' === $this->get_prop( 'order_key', 'edit' ) ) {
				$this->set_prop( 'order_key', wc_generate_order_key() );
			}
		}
		if ( $creating || $this->changes || $this->new_items || $this->meta_changed() || null === $this->get_prop( 'date_modified', 'edit' ) ) {
			$this->set_prop( 'date_modified', time() );
		}
		$rows = $this->rows();
		if ( $creating ) {
			$wpdb->insert( WC_Standin_Order_Store::table( 'orders' ), $rows['orders'] );
			$wpdb->insert( WC_Standin_Order_Store::table( 'operational' ), $rows['operational'] );
		} else {
			// Like HPOS: an update writes only the columns whose props changed, so a stale copy of the order saving
			// its meta does not put back another request's status or transaction id.
			$columns = array(
				'orders'      => array(
					'status'               => 'status',
					'currency'             => 'currency',
					'total'                => 'total_amount',
					'total_tax'            => 'tax_amount',
					'customer_id'          => 'customer_id',
					'billing'              => 'billing_email',
					'date_created'         => 'date_created_gmt',
					'date_modified'        => 'date_updated_gmt',
					'parent_id'            => 'parent_order_id',
					'payment_method'       => 'payment_method',
					'payment_method_title' => 'payment_method_title',
					'transaction_id'       => 'transaction_id',
					'customer_ip_address'  => 'ip_address',
					'customer_user_agent'  => 'user_agent',
					'customer_note'        => 'customer_note',
				),
				'operational' => array(
					'created_via'        => 'created_via',
					'prices_include_tax' => 'prices_include_tax',
					'order_key'          => 'order_key',
					'cart_hash'          => 'cart_hash',
					'date_paid'          => 'date_paid_gmt',
					'date_completed'     => 'date_completed_gmt',
				),
			);
			foreach ( $columns as $table => $map ) {
				$update = array();
				foreach ( $map as $prop => $column ) {
					if ( array_key_exists( $prop, $this->changes ) ) {
						$update[ $column ] = $rows[ $table ][ $column ];
					}
				}
				if ( $update ) {
					$wpdb->update( WC_Standin_Order_Store::table( $table ), $update, 'orders' === $table ? array( 'id' => $this->id ) : array( 'order_id' => $this->id ) );
				}
			}
		}
		$this->save_addresses( $creating );
		$this->save_items();
		$this->save_meta_data();
		$this->apply_changes();
		$this->object_read = true;
		if ( $creating ) {
			do_action( 'shop_order_refund' === $this->get_type() ? 'woocommerce_order_refund_object_updated_props' : 'woocommerce_new_order', $this->id, $this );
		} else {
			do_action( 'shop_order_refund' === $this->get_type() ? 'woocommerce_order_refund_object_updated_props' : 'woocommerce_update_order', $this->id, $this );
		}
		do_action( 'woocommerce_after_' . $object_type . '_object_save', $this, null );
		$this->status_transition();
		return $this->id;
	}

	/**
	 * Billing address row (orders only).
	 *
	 * @param bool $creating Creating.
	 */
	protected function save_addresses( $creating ) {}

	/**
	 * Items (orders only).
	 */
	protected function save_items() {}

	/**
	 * Status transition (orders only).
	 */
	protected function status_transition() {}

	/**
	 * Deletes the order (its rows and placeholder).
	 *
	 * @param bool $force_delete Unused: always permanent in the stand-in.
	 * @return bool
	 */
	public function delete( $force_delete = false ) {
		global $wpdb;
		if ( ! $this->id ) {
			return false;
		}
		foreach ( array( 'addresses', 'operational', 'meta' ) as $table ) {
			$wpdb->delete( WC_Standin_Order_Store::table( $table ), array( 'order_id' => $this->id ) );
		}
		$wpdb->delete( WC_Standin_Order_Store::table( 'orders' ), array( 'id' => $this->id ) );
		wp_delete_post( $this->id, true );
		$this->id = 0;
		return true;
	}
}

/**
 * WC_Order (model).
 */
class WC_Order extends WC_Abstract_Order {

	/**
	 * Type.
	 *
	 * @return string
	 */
	public function get_type() {
		return 'shop_order';
	}

	/**
	 * Sets the status and records the transition (see the file header).
	 *
	 * @param string $new_status    Status (with or without wc-).
	 * @param string $note          Note to prefix to the transition note.
	 * @param bool   $manual_update Manual.
	 * @return array from/to.
	 */
	public function set_status( $new_status, $note = '', $manual_update = false ) {
		$old_status = $this->get_status( 'edit' );
		$new_status = 'wc-' === substr( (string) $new_status, 0, 3 ) ? substr( $new_status, 3 ) : (string) $new_status;
		if ( $this->object_read && ! in_array( 'wc-' . $new_status, array_keys( wc_get_order_statuses() ), true ) && ! in_array( $new_status, array( 'trash', 'auto-draft' ), true ) ) {
			$new_status = 'pending';
		}
		if ( $this->object_read && $old_status && ! in_array( 'wc-' . $old_status, array_keys( wc_get_order_statuses() ), true ) && ! in_array( $old_status, array( 'trash', 'auto-draft' ), true ) ) {
			$old_status = 'pending';
		}
		$this->set_prop( 'status', $new_status );
		$result = array(
			'from' => $old_status,
			'to'   => $new_status,
		);
		if ( $this->object_read && ! empty( $result['from'] ) && $result['from'] !== $result['to'] ) {
			$this->status_transition = array(
				'from'   => ! empty( $this->status_transition['from'] ) ? $this->status_transition['from'] : $result['from'],
				'to'     => $result['to'],
				'note'   => $note,
				'manual' => (bool) $manual_update,
			);
			if ( $manual_update ) {
				do_action( 'woocommerce_order_edit_status', $this->get_id(), $result['to'] );
			}
			$this->maybe_set_date_paid();
			$this->maybe_set_date_completed();
		}
		return $result;
	}

	/**
	 * Date paid once the payment-complete status is reached.
	 */
	public function maybe_set_date_paid() {
		if ( ! $this->get_prop( 'date_paid', 'edit' ) ) {
			$complete = apply_filters( 'woocommerce_payment_complete_order_status', $this->needs_processing() ? 'processing' : 'completed', $this->get_id(), $this );
			if ( $this->has_status( $complete ) || ( 'processing' === $complete && $this->has_status( 'completed' ) ) ) {
				$this->set_date_paid( time() );
			}
		}
	}

	/**
	 * Date completed when completed.
	 */
	protected function maybe_set_date_completed() {
		if ( $this->has_status( 'completed' ) ) {
			$this->set_date_completed( time() );
		}
	}

	/**
	 * Sets status and saves.
	 *
	 * @param string $new_status New status.
	 * @param string $note       Note.
	 * @param bool   $manual     Manual.
	 * @return bool
	 */
	public function update_status( $new_status, $note = '', $manual = false ) {
		if ( ! $this->get_id() ) {
			return false;
		}
		try {
			$this->set_status( $new_status, $note, $manual );
			$this->save();
		} catch ( Exception $e ) {
			$this->add_order_note( __( 'Update status event failed.', 'woocommerce' ) . ' ' . $e->getMessage() );
			return false;
		}
		return true;
	}

	/**
	 * Fires the recorded transition's actions and note.
	 */
	protected function status_transition() {
		$transition              = $this->status_transition;
		$this->status_transition = false;
		if ( ! $transition ) {
			return;
		}
		do_action( 'woocommerce_order_status_' . $transition['to'], $this->get_id(), $this, $transition );
		if ( ! empty( $transition['from'] ) ) {
			/* translators: 1: old status 2: new status */
			$transition_note = sprintf( __( 'Order status changed from %1$s to %2$s.', 'woocommerce' ), wc_get_order_status_name( $transition['from'] ), wc_get_order_status_name( $transition['to'] ) );
			$this->add_order_note( trim( $transition['note'] . ' ' . $transition_note ), 0, $transition['manual'] );
			do_action( 'woocommerce_order_status_' . $transition['from'] . '_to_' . $transition['to'], $this->get_id(), $this );
			do_action( 'woocommerce_order_status_changed', $this->get_id(), $transition['from'], $transition['to'], $this );
			if ( in_array( $transition['from'], apply_filters( 'woocommerce_valid_order_statuses_for_payment', array( 'pending', 'failed' ), $this ), true ) && in_array( $transition['to'], wc_get_is_paid_statuses(), true ) ) {
				do_action( 'woocommerce_order_payment_status_changed', $this->get_id(), $this );
			}
		} else {
			/* translators: %s: new status */
			$transition_note = sprintf( __( 'Order status set to %s.', 'woocommerce' ), wc_get_order_status_name( $transition['to'] ) );
			$this->add_order_note( trim( $transition['note'] . ' ' . $transition_note ), 0, $transition['manual'] );
		}
	}

	/**
	 * Payment complete (see the file header).
	 *
	 * @param string $transaction_id Gateway reference.
	 * @return bool
	 */
	public function payment_complete( $transaction_id = '' ) {
		if ( ! $this->get_id() ) {
			return false;
		}
		try {
			do_action( 'woocommerce_pre_payment_complete', $this->get_id(), $transaction_id );
			if ( WC()->session ) {
				WC()->session->set( 'order_awaiting_payment', false );
			}
			if ( $this->has_status( apply_filters( 'woocommerce_valid_order_statuses_for_payment_complete', array( 'on-hold', 'pending', 'failed', 'cancelled' ), $this ) ) ) {
				if ( ! empty( $transaction_id ) ) {
					$this->set_transaction_id( $transaction_id );
				}
				if ( ! $this->get_prop( 'date_paid', 'edit' ) ) {
					$this->set_date_paid( time() );
				}
				$this->set_status( apply_filters( 'woocommerce_payment_complete_order_status', $this->needs_processing() ? 'processing' : 'completed', $this->get_id(), $this ) );
				$this->save();
				do_action( 'woocommerce_payment_complete', $this->get_id(), $transaction_id );
			} else {
				do_action( 'woocommerce_payment_complete_order_status_' . $this->get_status(), $this->get_id(), $transaction_id );
			}
		} catch ( Exception $e ) {
			$this->add_order_note( __( 'Payment complete event failed.', 'woocommerce' ) . ' ' . $e->getMessage() );
			return false;
		}
		return true;
	}

	/**
	 * Paid status.
	 *
	 * @return bool
	 */
	public function is_paid() {
		return apply_filters( 'woocommerce_order_is_paid', $this->has_status( wc_get_is_paid_statuses() ), $this );
	}

	/**
	 * Needs payment: pending/failed and total > 0.
	 *
	 * @return bool
	 */
	public function needs_payment() {
		$valid = apply_filters( 'woocommerce_valid_order_statuses_for_payment', array( 'pending', 'failed' ), $this );
		return apply_filters( 'woocommerce_order_needs_payment', ( $this->has_status( $valid ) && $this->get_total() > 0 ), $this, $valid );
	}

	/**
	 * Needs processing: any line whose product is not virtual+downloadable.
	 *
	 * @return bool
	 */
	public function needs_processing() {
		foreach ( $this->get_items() as $item ) {
			$product = $item->get_product();
			if ( ! $product ) {
				continue;
			}
			if ( apply_filters( 'woocommerce_order_item_needs_processing', ! ( $product->is_downloadable() && $product->is_virtual() ), $product, $this->get_id() ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Order key.
	 *
	 * @param string $context Context.
	 * @return string
	 */
	public function get_order_key( $context = 'view' ) {
		return $this->get_prop( 'order_key', $context );
	}

	/**
	 * Sets order key.
	 *
	 * @param string $value Key.
	 */
	public function set_order_key( $value ) {
		$this->set_prop( 'order_key', substr( (string) $value, 0, 22 ) );
	}

	/**
	 * Whether the key matches.
	 *
	 * @param string $key Key.
	 * @return bool
	 */
	public function key_is_valid( $key ) {
		return hash_equals( $this->get_order_key(), (string) $key );
	}

	/**
	 * Customer id.
	 *
	 * @param string $context Context.
	 * @return int
	 */
	public function get_customer_id( $context = 'view' ) {
		return (int) $this->get_prop( 'customer_id', $context );
	}

	/**
	 * Sets customer id.
	 *
	 * @param int $value Id.
	 */
	public function set_customer_id( $value ) {
		$this->set_prop( 'customer_id', absint( $value ) );
	}

	/**
	 * Billing field getter/setter dispatch (get_billing_email(), set_billing_phone(), ...).
	 *
	 * @param string $name Method.
	 * @param array  $args Args.
	 * @return mixed
	 * @throws BadMethodCallException Unknown method.
	 */
	public function __call( $name, $args ) {
		if ( preg_match( '/^(get|set)_billing_([a-z_0-9]+)$/', $name, $m ) && array_key_exists( $m[2], $this->data['billing'] ) ) {
			if ( 'get' === $m[1] ) {
				$billing = $this->get_prop( 'billing', isset( $args[0] ) ? $args[0] : 'view' );
				return $billing[ $m[2] ];
			}
			$billing          = $this->get_prop( 'billing', 'edit' );
			$value            = isset( $args[0] ) ? (string) $args[0] : '';
			$billing[ $m[2] ] = 'email' === $m[2] ? sanitize_email( $value ) : $value;
			$this->set_prop( 'billing', $billing );
			return null;
		}
		throw new BadMethodCallException( esc_html( 'Call to undefined method WC_Order::' . $name . '()' ) );
	}

	/**
	 * Billing fields.
	 *
	 * @return array
	 */
	public function get_address( $type = 'billing' ) {
		return 'billing' === $type ? $this->get_prop( 'billing' ) : array();
	}

	/**
	 * Sets billing fields from an array.
	 *
	 * @param array $address Fields.
	 */
	public function set_billing_address( $address ) {
		foreach ( (array) $address as $key => $value ) {
			$this->{'set_billing_' . $key}( $value );
		}
	}

	/**
	 * Full billing name.
	 *
	 * @return string
	 */
	public function get_formatted_billing_full_name() {
		/* translators: 1: first name 2: last name */
		return sprintf( _x( '%1$s %2$s', 'full name', 'woocommerce' ), $this->get_billing_first_name(), $this->get_billing_last_name() );
	}

	/**
	 * Payment method id.
	 *
	 * @param string $context Context.
	 * @return string
	 */
	public function get_payment_method( $context = 'view' ) {
		return $this->get_prop( 'payment_method', $context );
	}

	/**
	 * Sets payment method (id or gateway object, which also sets the title).
	 *
	 * @param string|WC_Payment_Gateway $payment_method Method.
	 */
	public function set_payment_method( $payment_method = '' ) {
		if ( is_object( $payment_method ) ) {
			$this->set_payment_method( $payment_method->id );
			$this->set_payment_method_title( $payment_method->get_title() );
		} elseif ( '' === $payment_method ) {
			$this->set_prop( 'payment_method', '' );
			$this->set_prop( 'payment_method_title', '' );
		} else {
			$this->set_prop( 'payment_method', (string) $payment_method );
		}
	}

	/**
	 * Payment method title.
	 *
	 * @param string $context Context.
	 * @return string
	 */
	public function get_payment_method_title( $context = 'view' ) {
		return $this->get_prop( 'payment_method_title', $context );
	}

	/**
	 * Sets payment method title.
	 *
	 * @param string $value Title.
	 */
	public function set_payment_method_title( $value ) {
		$this->set_prop( 'payment_method_title', (string) $value );
	}

	/**
	 * Transaction id.
	 *
	 * @param string $context Context.
	 * @return string
	 */
	public function get_transaction_id( $context = 'view' ) {
		return $this->get_prop( 'transaction_id', $context );
	}

	/**
	 * Sets transaction id.
	 *
	 * @param string $value Id.
	 */
	public function set_transaction_id( $value ) {
		$this->set_prop( 'transaction_id', (string) $value );
	}

	/**
	 * Created via.
	 *
	 * @param string $context Context.
	 * @return string
	 */
	public function get_created_via( $context = 'view' ) {
		return $this->get_prop( 'created_via', $context );
	}

	/**
	 * Sets created via.
	 *
	 * @param string $value Value.
	 */
	public function set_created_via( $value ) {
		$this->set_prop( 'created_via', (string) $value );
	}

	/**
	 * Customer note.
	 *
	 * @param string $context Context.
	 * @return string
	 */
	public function get_customer_note( $context = 'view' ) {
		return $this->get_prop( 'customer_note', $context );
	}

	/**
	 * Sets customer note.
	 *
	 * @param string $value Note.
	 */
	public function set_customer_note( $value ) {
		$this->set_prop( 'customer_note', (string) $value );
	}

	/**
	 * Customer IP.
	 *
	 * @param string $context Context.
	 * @return string
	 */
	public function get_customer_ip_address( $context = 'view' ) {
		return $this->get_prop( 'customer_ip_address', $context );
	}

	/**
	 * Sets customer IP.
	 *
	 * @param string $value IP.
	 */
	public function set_customer_ip_address( $value ) {
		$this->set_prop( 'customer_ip_address', (string) $value );
	}

	/**
	 * Customer user agent.
	 *
	 * @param string $context Context.
	 * @return string
	 */
	public function get_customer_user_agent( $context = 'view' ) {
		return $this->get_prop( 'customer_user_agent', $context );
	}

	/**
	 * Sets customer user agent.
	 *
	 * @param string $value UA.
	 */
	public function set_customer_user_agent( $value ) {
		$this->set_prop( 'customer_user_agent', (string) $value );
	}

	/**
	 * Cart hash.
	 *
	 * @param string $context Context.
	 * @return string
	 */
	public function get_cart_hash( $context = 'view' ) {
		return $this->get_prop( 'cart_hash', $context );
	}

	/**
	 * Sets cart hash.
	 *
	 * @param string $value Hash.
	 */
	public function set_cart_hash( $value ) {
		$this->set_prop( 'cart_hash', (string) $value );
	}

	/**
	 * Whether the cart hash matches.
	 *
	 * @param string $cart_hash Hash.
	 * @return bool
	 */
	public function has_cart_hash( $cart_hash = '' ) {
		$hash = $this->get_cart_hash();
		return hash_equals( $hash, (string) $cart_hash );
	}

	/**
	 * Date paid.
	 *
	 * @param string $context Context.
	 * @return WC_DateTime|null
	 */
	public function get_date_paid( $context = 'view' ) {
		return WC_DateTime::from_ts( $this->get_prop( 'date_paid', $context ) );
	}

	/**
	 * Sets date paid.
	 *
	 * @param mixed $date Date.
	 */
	public function set_date_paid( $date = null ) {
		$this->set_date_prop( 'date_paid', $date );
	}

	/**
	 * Date completed.
	 *
	 * @param string $context Context.
	 * @return WC_DateTime|null
	 */
	public function get_date_completed( $context = 'view' ) {
		return WC_DateTime::from_ts( $this->get_prop( 'date_completed', $context ) );
	}

	/**
	 * Sets date completed.
	 *
	 * @param mixed $date Date.
	 */
	public function set_date_completed( $date = null ) {
		$this->set_date_prop( 'date_completed', $date );
	}

	/*
	 * Items and totals.
	 */

	/**
	 * Adds a product line.
	 *
	 * @param WC_Standin_Product $product Product.
	 * @param int                $qty     Quantity.
	 * @return int 0 until saved.
	 */
	public function add_product( $product, $qty = 1 ) {
		$line              = wc_format_decimal( (string) ( (float) $product->get_price() * (int) $qty ), wc_get_price_decimals() );
		$this->new_items[] = new WC_Order_Item_Product(
			array(
				'name'       => $product->get_name(),
				'product_id' => $product->get_id(),
				'quantity'   => (int) $qty,
				'subtotal'   => $line,
				'total'      => $line,
			)
		);
		return 0;
	}

	/**
	 * Removes all line items (stored and new).
	 */
	public function remove_order_items() {
		global $wpdb;
		$this->new_items = array();
		if ( $this->id ) {
			$items = WC_Standin_Order_Store::table( 'items' );
			$meta  = WC_Standin_Order_Store::table( 'itemmeta' );
			$wpdb->query( $wpdb->prepare( "DELETE m FROM {$meta} m INNER JOIN {$items} i ON i.order_item_id = m.order_item_id WHERE i.order_id = %d", $this->id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
			$wpdb->delete( $items, array( 'order_id' => $this->id ) );
		}
	}

	/**
	 * Line items.
	 *
	 * @param string|array $types Only line_item is modelled.
	 * @return WC_Order_Item_Product[]
	 */
	public function get_items( $types = 'line_item' ) {
		global $wpdb;
		if ( ! in_array( 'line_item', (array) $types, true ) ) {
			return array();
		}
		$items = array();
		if ( $this->id ) {
			$rows = $wpdb->get_results( $wpdb->prepare( 'SELECT order_item_id, order_item_name FROM ' . WC_Standin_Order_Store::table( 'items' ) . " WHERE order_id = %d AND order_item_type = 'line_item' ORDER BY order_item_id", $this->id ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
			foreach ( (array) $rows as $row ) {
				$meta = array();
				foreach ( (array) $wpdb->get_results( $wpdb->prepare( 'SELECT meta_key, meta_value FROM ' . WC_Standin_Order_Store::table( 'itemmeta' ) . ' WHERE order_item_id = %d', $row['order_item_id'] ), ARRAY_A ) as $m ) { // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
					$meta[ $m['meta_key'] ] = $m['meta_value'];
				}
				$items[ (int) $row['order_item_id'] ] = new WC_Order_Item_Product(
					array(
						'id'         => (int) $row['order_item_id'],
						'name'       => $row['order_item_name'],
						'product_id' => isset( $meta['_product_id'] ) ? (int) $meta['_product_id'] : 0,
						'quantity'   => isset( $meta['_qty'] ) ? (int) $meta['_qty'] : 0,
						'subtotal'   => isset( $meta['_line_subtotal'] ) ? $meta['_line_subtotal'] : '0',
						'total'      => isset( $meta['_line_total'] ) ? $meta['_line_total'] : '0',
					)
				);
			}
		}
		foreach ( $this->new_items as $item ) {
			$items[] = $item;
		}
		return $items;
	}

	/**
	 * Item count.
	 *
	 * @return int
	 */
	public function get_item_count() {
		$count = 0;
		foreach ( $this->get_items() as $item ) {
			$count += $item->get_quantity();
		}
		return $count;
	}

	/**
	 * Writes new items.
	 */
	protected function save_items() {
		global $wpdb;
		foreach ( $this->new_items as $item ) {
			$wpdb->insert(
				WC_Standin_Order_Store::table( 'items' ),
				array(
					'order_item_name' => $item->get_name(),
					'order_item_type' => 'line_item',
					'order_id'        => $this->id,
				)
			);
			$item_id = (int) $wpdb->insert_id;
			$meta    = array(
				'_product_id'    => $item->get_product_id(),
				'_qty'           => $item->get_quantity(),
				'_line_subtotal' => $item->get_subtotal(),
				'_line_total'    => $item->get_total(),
			);
			foreach ( $meta as $key => $value ) {
				$wpdb->insert(
					WC_Standin_Order_Store::table( 'itemmeta' ),
					array(
						'order_item_id' => $item_id,
						'meta_key'      => $key, // phpcs:ignore WordPress.DB.SlowDBQuery
						'meta_value'    => (string) $value, // phpcs:ignore WordPress.DB.SlowDBQuery
					)
				);
			}
		}
		$this->new_items = array();
	}

	/**
	 * Total = sum of line totals (no tax, shipping, fees or coupons in the stand-in).
	 *
	 * @param bool $and_taxes Unused.
	 * @return string
	 */
	public function calculate_totals( $and_taxes = true ) {
		$cents = 0;
		$dp    = wc_get_price_decimals();
		foreach ( $this->get_items() as $item ) {
			$cents += (int) round( (float) $item->get_total() * pow( 10, $dp ) );
		}
		$this->set_total( number_format( $cents / pow( 10, $dp ), $dp, '.', '' ) );
		return $this->get_total();
	}

	/**
	 * Writes the billing address row.
	 *
	 * @param bool $creating Creating.
	 */
	protected function save_addresses( $creating ) {
		global $wpdb;
		if ( ! $creating && ! array_key_exists( 'billing', $this->changes ) ) {
			return;
		}
		$billing = $this->get_prop( 'billing', 'edit' );
		$table   = WC_Standin_Order_Store::table( 'addresses' );
		$exists  = $wpdb->get_var( $wpdb->prepare( "SELECT id FROM {$table} WHERE order_id = %d AND address_type = 'billing'", $this->id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		if ( $exists ) {
			// Only the fields that changed.
			$changed = array_diff_assoc( $billing, $this->data['billing'] );
			if ( $changed ) {
				$wpdb->update( $table, $changed, array( 'id' => $exists ) );
			}
		} else {
			$wpdb->insert( $table, array_merge( $billing, array( 'order_id' => $this->id, 'address_type' => 'billing' ) ) ); // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing
		}
	}

	/*
	 * URLs.
	 */

	/**
	 * Order-pay URL.
	 *
	 * @param bool $on_checkout Key only (the receipt page) instead of pay_for_order.
	 * @return string
	 */
	public function get_checkout_payment_url( $on_checkout = false ) {
		$url = wc_get_endpoint_url( 'order-pay', $this->get_id(), wc_get_checkout_url() );
		if ( $on_checkout ) {
			$url = add_query_arg( 'key', $this->get_order_key(), $url );
		} else {
			$url = add_query_arg(
				array(
					'pay_for_order' => 'true',
					'key'           => $this->get_order_key(),
				),
				$url
			);
		}
		return apply_filters( 'woocommerce_get_checkout_payment_url', $url, $this );
	}

	/**
	 * Order-received URL.
	 *
	 * @return string
	 */
	public function get_checkout_order_received_url() {
		$url = wc_get_endpoint_url( 'order-received', $this->get_id(), wc_get_checkout_url() );
		$url = add_query_arg( 'key', $this->get_order_key(), $url );
		return apply_filters( 'woocommerce_get_checkout_order_received_url', $url, $this );
	}

	/**
	 * Admin edit URL (HPOS screen).
	 *
	 * @return string
	 */
	public function get_edit_order_url() {
		return apply_filters( 'woocommerce_get_edit_order_url', admin_url( 'admin.php?page=wc-orders&action=edit&id=' . $this->get_id() ), $this );
	}

	/**
	 * Order number.
	 *
	 * @return string
	 */
	public function get_order_number() {
		return (string) apply_filters( 'woocommerce_order_number', $this->get_id(), $this );
	}

	/**
	 * Formatted total.
	 *
	 * @return string
	 */
	public function get_formatted_order_total() {
		return apply_filters( 'woocommerce_get_formatted_order_total', wc_price( $this->get_total(), array( 'currency' => $this->get_currency() ) ), $this );
	}

	/*
	 * Notes.
	 */

	/**
	 * Adds an order note (comment of type order_note).
	 *
	 * @param string $note              Note.
	 * @param int    $is_customer_note  Customer note.
	 * @param bool   $added_by_user     Added by the current user.
	 * @return int Comment id.
	 */
	public function add_order_note( $note, $is_customer_note = 0, $added_by_user = false ) {
		if ( ! $this->get_id() ) {
			return 0;
		}
		if ( is_user_logged_in() && current_user_can( 'edit_shop_orders', $this->get_id() ) && $added_by_user ) {
			$user         = get_user_by( 'id', get_current_user_id() );
			$author       = $user->display_name;
			$author_email = $user->user_email;
		} else {
			$author       = __( 'WooCommerce', 'woocommerce' );
			$author_email = 'woocommerce@' . ( isset( $_SERVER['HTTP_HOST'] ) ? str_replace( 'www.', '', sanitize_text_field( wp_unslash( $_SERVER['HTTP_HOST'] ) ) ) : 'noreply.com' );
			$author_email = sanitize_email( $author_email );
		}
		$data       = apply_filters(
			'woocommerce_new_order_note_data',
			array(
				'comment_post_ID'      => $this->get_id(),
				'comment_author'       => $author,
				'comment_author_email' => $author_email,
				'comment_author_url'   => '',
				'comment_content'      => $note,
				'comment_agent'        => 'WooCommerce',
				'comment_type'         => 'order_note',
				'comment_parent'       => 0,
				'comment_approved'     => 1,
			),
			array(
				'order_id'         => $this->get_id(),
				'is_customer_note' => $is_customer_note,
			)
		);
		$comment_id = wp_insert_comment( $data );
		if ( $is_customer_note ) {
			add_comment_meta( $comment_id, 'is_customer_note', 1 );
			do_action(
				'woocommerce_new_customer_note',
				array(
					'order_id'      => $this->get_id(),
					'customer_note' => $data['comment_content'],
				)
			);
		}
		do_action( 'woocommerce_order_note_added', $comment_id, $this );
		return (int) $comment_id;
	}

	/*
	 * Refunds.
	 */

	/**
	 * Refunds, newest first.
	 *
	 * @return WC_Order_Refund[]
	 */
	public function get_refunds() {
		global $wpdb;
		$ids = $wpdb->get_col( $wpdb->prepare( 'SELECT id FROM ' . WC_Standin_Order_Store::table( 'orders' ) . " WHERE type = 'shop_order_refund' AND parent_order_id = %d ORDER BY date_created_gmt DESC, id DESC", $this->get_id() ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		return array_map(
			function ( $id ) {
				return new WC_Order_Refund( (int) $id );
			},
			$ids
		);
	}

	/**
	 * Sum of refund amounts.
	 *
	 * @return float
	 */
	public function get_total_refunded() {
		$total = 0.0;
		foreach ( $this->get_refunds() as $refund ) {
			$total += (float) $refund->get_amount();
		}
		return $total;
	}

	/**
	 * Remaining refundable amount (string).
	 *
	 * @return string
	 */
	public function get_remaining_refund_amount() {
		return wc_format_decimal( $this->get_total() - $this->get_total_refunded(), wc_get_price_decimals() );
	}

	/**
	 * Remaining refundable item count.
	 *
	 * @return int
	 */
	public function get_remaining_refund_items() {
		return $this->get_item_count();
	}
}

/**
 * WC_Order_Refund (model): amount, reason, refunded_by and refunded_payment in meta, like HPOS.
 */
class WC_Order_Refund extends WC_Abstract_Order {

	/**
	 * Type.
	 *
	 * @return string
	 */
	public function get_type() {
		return 'shop_order_refund';
	}

	/**
	 * Status is always completed.
	 *
	 * @param string $context Context.
	 * @return string
	 */
	public function get_status( $context = 'view' ) {
		return 'completed';
	}

	/**
	 * Refunds are stored with status wc-completed.
	 *
	 * @return array
	 */
	protected function rows() {
		$rows                     = parent::rows();
		$rows['orders']['status'] = 'wc-completed';
		return $rows;
	}

	/**
	 * Amount (string).
	 *
	 * @return string
	 */
	public function get_amount() {
		return (string) $this->get_meta( '_refund_amount', true, 'edit' );
	}

	/**
	 * Sets amount.
	 *
	 * @param string|float $value Amount.
	 */
	public function set_amount( $value ) {
		$this->update_meta_data( '_refund_amount', wc_format_decimal( $value, wc_get_price_decimals() ) );
	}

	/**
	 * Reason.
	 *
	 * @return string
	 */
	public function get_reason() {
		return (string) $this->get_meta( '_refund_reason', true, 'edit' );
	}

	/**
	 * Sets reason.
	 *
	 * @param string $value Reason.
	 */
	public function set_reason( $value ) {
		$this->update_meta_data( '_refund_reason', (string) $value );
	}

	/**
	 * Refunded by (user id).
	 *
	 * @return int
	 */
	public function get_refunded_by() {
		return (int) $this->get_meta( '_refunded_by', true, 'edit' );
	}

	/**
	 * Sets refunded by.
	 *
	 * @param int $value User id.
	 */
	public function set_refunded_by( $value ) {
		$this->update_meta_data( '_refunded_by', absint( $value ) );
	}

	/**
	 * Whether the gateway refunded the payment.
	 *
	 * @return bool
	 */
	public function get_refunded_payment() {
		return wc_string_to_bool( $this->get_meta( '_refunded_payment', true, 'edit' ) );
	}

	/**
	 * Sets refunded payment.
	 *
	 * @param bool $value Value.
	 */
	public function set_refunded_payment( $value ) {
		$this->update_meta_data( '_refunded_payment', $value ? '1' : '0' );
	}
}
