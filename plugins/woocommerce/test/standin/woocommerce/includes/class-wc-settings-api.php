<?php
/**
 * Model of WC_Settings_API and WC_Payment_Gateway (WooCommerce 9.4.3 includes/abstracts/abstract-wc-settings-api.php and
 * abstract-wc-payment-gateway.php).
 *
 * Behaviour kept from WooCommerce:
 * - settings live in one option "{plugin_id}{id}_settings" (plugin_id 'woocommerce_'); init_settings() falls back to the
 *   form fields' defaults when the option is not an array; get_option() fills a missing key with the field default and
 *   applies $empty_value to '';
 * - process_admin_options() reads $_POST (or set_post_data()) under "woocommerce_{id}_{key}", validates per field type
 *   (checkbox: 'yes' when posted at all, else 'no'; text/textarea: wp_kses_post(trim(stripslashes)); password:
 *   trim(stripslashes) only; select: wc_clean; custom validate_{key}_field / validate_{type}_field methods first; a
 *   thrown Exception adds an error and leaves that field out), skips 'title' fields, and saves with the filter
 *   woocommerce_settings_api_sanitized_fields_{id};
 * - the gateway's $enabled is 'yes' only when the saved 'enabled' setting is 'yes';
 * - is_available() is enabled === 'yes' and the max_amount check only: WooCommerce's base class does NOT check the
 *   currency or country; a gateway that takes some currencies must check them itself (as WooCommerce's PayPal does);
 * - generate_*_html() prints a password field's stored value into value="" like WooCommerce does, so a plugin that
 *   wants write-only secrets must render them itself.
 *
 * @package WooCommerceStandin
 */

defined( 'ABSPATH' ) || exit;

/**
 * Settings API (model).
 */
abstract class WC_Settings_API {

	/**
	 * Option prefix.
	 *
	 * @var string
	 */
	public $plugin_id = 'woocommerce_';

	/**
	 * Id.
	 *
	 * @var string
	 */
	public $id = '';

	/**
	 * Validation errors.
	 *
	 * @var array
	 */
	public $errors = array();

	/**
	 * Settings values.
	 *
	 * @var array
	 */
	public $settings = array();

	/**
	 * Form fields.
	 *
	 * @var array
	 */
	public $form_fields = array();

	/**
	 * Posted data override.
	 *
	 * @var array
	 */
	protected $data = array();

	/**
	 * Form fields with defaults, filterable.
	 *
	 * @return array
	 */
	public function get_form_fields() {
		return apply_filters( 'woocommerce_settings_api_form_fields_' . $this->id, array_map( array( $this, 'set_defaults' ), $this->form_fields ) );
	}

	/**
	 * Default '' for fields without one.
	 *
	 * @param array $field Field.
	 * @return array
	 */
	protected function set_defaults( $field ) {
		if ( ! isset( $field['default'] ) ) {
			$field['default'] = '';
		}
		return $field;
	}

	/**
	 * Prints the settings table.
	 */
	public function admin_options() {
		echo '<table class="form-table">' . $this->generate_settings_html( $this->get_form_fields(), false ) . '</table>'; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped in generate_*.
	}

	/**
	 * Form fields (override).
	 */
	public function init_form_fields() {}

	/**
	 * Option name.
	 *
	 * @return string
	 */
	public function get_option_key() {
		return $this->plugin_id . $this->id . '_settings';
	}

	/**
	 * Field type, text by default.
	 *
	 * @param array $field Field.
	 * @return string
	 */
	public function get_field_type( $field ) {
		return empty( $field['type'] ) ? 'text' : $field['type'];
	}

	/**
	 * Field default.
	 *
	 * @param array $field Field.
	 * @return mixed
	 */
	public function get_field_default( $field ) {
		return empty( $field['default'] ) ? '' : $field['default'];
	}

	/**
	 * Posted and validated value of a field.
	 *
	 * @param string $key       Key.
	 * @param array  $field     Field.
	 * @param array  $post_data Posted data.
	 * @return mixed
	 */
	public function get_field_value( $key, $field, $post_data = array() ) {
		$type      = $this->get_field_type( $field );
		$field_key = $this->get_field_key( $key );
		$post_data = empty( $post_data ) ? $_POST : $post_data; // phpcs:ignore WordPress.Security.NonceVerification.Missing -- like WooCommerce; the settings screen checks the nonce.
		$value     = isset( $post_data[ $field_key ] ) ? $post_data[ $field_key ] : null;

		if ( isset( $field['sanitize_callback'] ) && is_callable( $field['sanitize_callback'] ) ) {
			return call_user_func( $field['sanitize_callback'], $value );
		}
		if ( is_callable( array( $this, 'validate_' . $key . '_field' ) ) ) {
			return $this->{'validate_' . $key . '_field'}( $key, $value );
		}
		if ( is_callable( array( $this, 'validate_' . $type . '_field' ) ) ) {
			return $this->{'validate_' . $type . '_field'}( $key, $value );
		}
		return $this->validate_text_field( $key, $value );
	}

	/**
	 * Sets posted data (instead of $_POST).
	 *
	 * @param array $data Data.
	 */
	public function set_post_data( $data = array() ) {
		$this->data = $data;
	}

	/**
	 * Posted data.
	 *
	 * @return array
	 */
	public function get_post_data() {
		if ( ! empty( $this->data ) && is_array( $this->data ) ) {
			return $this->data;
		}
		return $_POST; // phpcs:ignore WordPress.Security.NonceVerification.Missing
	}

	/**
	 * Updates one setting.
	 *
	 * @param string $key   Key.
	 * @param mixed  $value Value.
	 * @return bool
	 */
	public function update_option( $key, $value = '' ) {
		if ( empty( $this->settings ) ) {
			$this->init_settings();
		}
		$this->settings[ $key ] = $value;
		return update_option( $this->get_option_key(), apply_filters( 'woocommerce_settings_api_sanitized_fields_' . $this->id, $this->settings ), 'yes' );
	}

	/**
	 * Validates and saves posted settings.
	 *
	 * @return bool
	 */
	public function process_admin_options() {
		$this->init_settings();
		$post_data = $this->get_post_data();
		foreach ( $this->get_form_fields() as $key => $field ) {
			if ( 'title' === $this->get_field_type( $field ) ) {
				continue;
			}
			try {
				$this->settings[ $key ] = $this->get_field_value( $key, $field, $post_data );
			} catch ( Exception $e ) {
				$this->add_error( $e->getMessage() );
			}
		}
		$option_key = $this->get_option_key();
		do_action( 'woocommerce_update_option', array( 'id' => $option_key ) );
		return update_option( $option_key, apply_filters( 'woocommerce_settings_api_sanitized_fields_' . $this->id, $this->settings ), 'yes' );
	}

	/**
	 * Adds an error.
	 *
	 * @param string $error Error.
	 */
	public function add_error( $error ) {
		$this->errors[] = $error;
	}

	/**
	 * Errors.
	 *
	 * @return array
	 */
	public function get_errors() {
		return $this->errors;
	}

	/**
	 * Prints errors.
	 */
	public function display_errors() {
		if ( $this->get_errors() ) {
			echo '<div id="woocommerce_errors" class="error notice is-dismissible">';
			foreach ( $this->get_errors() as $error ) {
				echo '<p>' . wp_kses_post( $error ) . '</p>';
			}
			echo '</div>';
		}
	}

	/**
	 * Loads settings, defaults when the option is not an array.
	 */
	public function init_settings() {
		$this->settings = get_option( $this->get_option_key(), null );
		if ( ! is_array( $this->settings ) ) {
			$form_fields    = $this->get_form_fields();
			$this->settings = array_merge( array_fill_keys( array_keys( $form_fields ), '' ), wp_list_pluck( $form_fields, 'default' ) );
		}
	}

	/**
	 * One setting, with the field default when unset.
	 *
	 * @param string $key         Key.
	 * @param mixed  $empty_value Value used when the setting is ''.
	 * @return mixed
	 */
	public function get_option( $key, $empty_value = null ) {
		if ( empty( $this->settings ) ) {
			$this->init_settings();
		}
		if ( ! isset( $this->settings[ $key ] ) ) {
			$form_fields            = $this->get_form_fields();
			$this->settings[ $key ] = isset( $form_fields[ $key ] ) ? $this->get_field_default( $form_fields[ $key ] ) : '';
		}
		if ( ! is_null( $empty_value ) && '' === $this->settings[ $key ] ) {
			$this->settings[ $key ] = $empty_value;
		}
		return $this->settings[ $key ];
	}

	/**
	 * Posted field name.
	 *
	 * @param string $key Key.
	 * @return string
	 */
	public function get_field_key( $key ) {
		return $this->plugin_id . $this->id . '_' . $key;
	}

	/**
	 * Settings rows HTML.
	 *
	 * @param array $form_fields Fields.
	 * @param bool  $echo        Echo.
	 * @return string
	 */
	public function generate_settings_html( $form_fields = array(), $echo = true ) {
		if ( empty( $form_fields ) ) {
			$form_fields = $this->get_form_fields();
		}
		$html = '';
		foreach ( $form_fields as $k => $v ) {
			$type = $this->get_field_type( $v );
			if ( method_exists( $this, 'generate_' . $type . '_html' ) ) {
				$html .= $this->{'generate_' . $type . '_html'}( $k, $v );
			} else {
				$html .= $this->generate_text_html( $k, $v );
			}
		}
		if ( $echo ) {
			echo $html; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
		}
		return $html;
	}

	/**
	 * Text-like input row (text, password, email, number, price, decimal): the stored value goes into value="".
	 *
	 * @param string $key  Key.
	 * @param array  $data Field.
	 * @return string
	 */
	public function generate_text_html( $key, $data ) {
		$field_key = $this->get_field_key( $key );
		$data      = wp_parse_args(
			$data,
			array(
				'title'       => '',
				'type'        => 'text',
				'description' => '',
				'placeholder' => '',
				'class'       => '',
				'css'         => '',
			)
		);
		$type      = in_array( $data['type'], array( 'price', 'decimal' ), true ) ? 'text' : $data['type'];
		return '<tr valign="top"><th scope="row" class="titledesc"><label for="' . esc_attr( $field_key ) . '">' . wp_kses_post( $data['title'] ) . '</label></th>'
			. '<td class="forminp"><fieldset><input class="input-text regular-input ' . esc_attr( $data['class'] ) . '" type="' . esc_attr( $type ) . '" name="' . esc_attr( $field_key ) . '" id="' . esc_attr( $field_key ) . '" style="' . esc_attr( $data['css'] ) . '" value="' . esc_attr( (string) $this->get_option( $key ) ) . '" placeholder="' . esc_attr( $data['placeholder'] ) . '" />'
			. ( $data['description'] ? '<p class="description">' . wp_kses_post( $data['description'] ) . '</p>' : '' ) . '</fieldset></td></tr>';
	}

	/**
	 * Password row (value echoed, as in WooCommerce).
	 *
	 * @param string $key  Key.
	 * @param array  $data Field.
	 * @return string
	 */
	public function generate_password_html( $key, $data ) {
		$data['type'] = 'password';
		return $this->generate_text_html( $key, $data );
	}

	/**
	 * Textarea row.
	 *
	 * @param string $key  Key.
	 * @param array  $data Field.
	 * @return string
	 */
	public function generate_textarea_html( $key, $data ) {
		$field_key = $this->get_field_key( $key );
		$title     = isset( $data['title'] ) ? $data['title'] : '';
		return '<tr valign="top"><th scope="row" class="titledesc"><label for="' . esc_attr( $field_key ) . '">' . wp_kses_post( $title ) . '</label></th>'
			. '<td class="forminp"><fieldset><textarea rows="3" cols="20" class="input-text wide-input" name="' . esc_attr( $field_key ) . '" id="' . esc_attr( $field_key ) . '">' . esc_textarea( (string) $this->get_option( $key ) ) . '</textarea></fieldset></td></tr>';
	}

	/**
	 * Checkbox row.
	 *
	 * @param string $key  Key.
	 * @param array  $data Field.
	 * @return string
	 */
	public function generate_checkbox_html( $key, $data ) {
		$field_key = $this->get_field_key( $key );
		$title     = isset( $data['title'] ) ? $data['title'] : '';
		$label     = isset( $data['label'] ) ? $data['label'] : $title;
		return '<tr valign="top"><th scope="row" class="titledesc"><label for="' . esc_attr( $field_key ) . '">' . wp_kses_post( $title ) . '</label></th>'
			. '<td class="forminp"><fieldset><label for="' . esc_attr( $field_key ) . '"><input type="checkbox" name="' . esc_attr( $field_key ) . '" id="' . esc_attr( $field_key ) . '" value="1" ' . checked( $this->get_option( $key ), 'yes', false ) . ' /> ' . wp_kses_post( $label ) . '</label></fieldset></td></tr>';
	}

	/**
	 * Select row.
	 *
	 * @param string $key  Key.
	 * @param array  $data Field.
	 * @return string
	 */
	public function generate_select_html( $key, $data ) {
		$field_key = $this->get_field_key( $key );
		$title     = isset( $data['title'] ) ? $data['title'] : '';
		$options   = '';
		foreach ( (array) ( isset( $data['options'] ) ? $data['options'] : array() ) as $value => $label ) {
			$options .= '<option value="' . esc_attr( (string) $value ) . '" ' . selected( (string) $value, (string) $this->get_option( $key ), false ) . '>' . esc_html( $label ) . '</option>';
		}
		return '<tr valign="top"><th scope="row" class="titledesc"><label for="' . esc_attr( $field_key ) . '">' . wp_kses_post( $title ) . '</label></th>'
			. '<td class="forminp"><fieldset><select class="select" name="' . esc_attr( $field_key ) . '" id="' . esc_attr( $field_key ) . '">' . $options . '</select></fieldset></td></tr>';
	}

	/**
	 * Title row.
	 *
	 * @param string $key  Key.
	 * @param array  $data Field.
	 * @return string
	 */
	public function generate_title_html( $key, $data ) {
		$field_key = $this->get_field_key( $key );
		$title     = isset( $data['title'] ) ? $data['title'] : '';
		$desc      = isset( $data['description'] ) ? $data['description'] : '';
		return '</table><h3 class="wc-settings-sub-title" id="' . esc_attr( $field_key ) . '">' . wp_kses_post( $title ) . '</h3>' . ( $desc ? '<p>' . wp_kses_post( $desc ) . '</p>' : '' ) . '<table class="form-table">';
	}

	/**
	 * Text: wp_kses_post(trim(stripslashes)).
	 *
	 * @param string      $key   Key.
	 * @param string|null $value Value.
	 * @return string
	 */
	public function validate_text_field( $key, $value ) {
		$value = is_null( $value ) ? '' : $value;
		return wp_kses_post( trim( stripslashes( $value ) ) );
	}

	/**
	 * Price.
	 *
	 * @param string      $key   Key.
	 * @param string|null $value Value.
	 * @return string
	 */
	public function validate_price_field( $key, $value ) {
		$value = is_null( $value ) ? '' : $value;
		return ( '' === $value ) ? '' : wc_format_decimal( trim( stripslashes( $value ) ) );
	}

	/**
	 * Decimal.
	 *
	 * @param string      $key   Key.
	 * @param string|null $value Value.
	 * @return string
	 */
	public function validate_decimal_field( $key, $value ) {
		return $this->validate_price_field( $key, $value );
	}

	/**
	 * Password: trim(stripslashes) only.
	 *
	 * @param string      $key   Key.
	 * @param string|null $value Value.
	 * @return string
	 */
	public function validate_password_field( $key, $value ) {
		$value = is_null( $value ) ? '' : $value;
		return trim( stripslashes( $value ) );
	}

	/**
	 * Textarea.
	 *
	 * @param string      $key   Key.
	 * @param string|null $value Value.
	 * @return string
	 */
	public function validate_textarea_field( $key, $value ) {
		$value = is_null( $value ) ? '' : $value;
		return wp_kses_post( trim( stripslashes( $value ) ) );
	}

	/**
	 * Checkbox: 'yes' when posted at all.
	 *
	 * @param string      $key   Key.
	 * @param string|null $value Value.
	 * @return string
	 */
	public function validate_checkbox_field( $key, $value ) {
		return ! is_null( $value ) ? 'yes' : 'no';
	}

	/**
	 * Select.
	 *
	 * @param string      $key   Key.
	 * @param string|null $value Value.
	 * @return string
	 */
	public function validate_select_field( $key, $value ) {
		$value = is_null( $value ) ? '' : $value;
		return wc_clean( stripslashes( $value ) );
	}

	/**
	 * Multiselect.
	 *
	 * @param string     $key   Key.
	 * @param array|null $value Value.
	 * @return array|string
	 */
	public function validate_multiselect_field( $key, $value ) {
		return is_array( $value ) ? array_map( 'wc_clean', array_map( 'stripslashes', $value ) ) : '';
	}
}

/**
 * Payment gateway base (model).
 */
abstract class WC_Payment_Gateway extends WC_Settings_API {

	/**
	 * Place-order button text.
	 *
	 * @var string|null
	 */
	public $order_button_text;

	/**
	 * 'yes' or 'no'.
	 *
	 * @var string
	 */
	public $enabled = 'yes';

	/**
	 * Title.
	 *
	 * @var string
	 */
	public $title;

	/**
	 * Description.
	 *
	 * @var string
	 */
	public $description;

	/**
	 * Chosen at checkout.
	 *
	 * @var bool|null
	 */
	public $chosen;

	/**
	 * Admin title.
	 *
	 * @var string
	 */
	public $method_title = '';

	/**
	 * Admin description.
	 *
	 * @var string
	 */
	public $method_description = '';

	/**
	 * Whether the gateway has checkout fields.
	 *
	 * @var bool|null
	 */
	public $has_fields;

	/**
	 * Countries (unused by the base class, as in WooCommerce).
	 *
	 * @var array|null
	 */
	public $countries;

	/**
	 * Availability (unused by the base class).
	 *
	 * @var string|null
	 */
	public $availability;

	/**
	 * Icon URL.
	 *
	 * @var string|null
	 */
	public $icon;

	/**
	 * Supported features.
	 *
	 * @var array
	 */
	public $supports = array( 'products' );

	/**
	 * Maximum order total (0: none).
	 *
	 * @var int|float
	 */
	public $max_amount = 0;

	/**
	 * Transaction URL pattern.
	 *
	 * @var string
	 */
	public $view_transaction_url = '';

	/**
	 * Label for new payment methods.
	 *
	 * @var string
	 */
	public $new_method_label = '';

	/**
	 * Pay button id.
	 *
	 * @var string
	 */
	public $pay_button_id = '';

	/**
	 * Admin title.
	 *
	 * @return string
	 */
	public function get_method_title() {
		return apply_filters( 'woocommerce_gateway_method_title', $this->method_title, $this );
	}

	/**
	 * Admin description.
	 *
	 * @return string
	 */
	public function get_method_description() {
		return apply_filters( 'woocommerce_gateway_method_description', $this->method_description, $this );
	}

	/**
	 * Settings screen.
	 */
	public function admin_options() {
		echo '<h2>' . esc_html( $this->get_method_title() );
		wc_back_link( __( 'Return to payments', 'woocommerce' ), admin_url( 'admin.php?page=wc-settings&tab=checkout' ) );
		echo '</h2>';
		echo wp_kses_post( wpautop( $this->get_method_description() ) );
		parent::admin_options();
	}

	/**
	 * Loads settings and sets $enabled.
	 */
	public function init_settings() {
		parent::init_settings();
		$this->enabled = ! empty( $this->settings['enabled'] ) && 'yes' === $this->settings['enabled'] ? 'yes' : 'no';
	}

	/**
	 * Whether setup is needed.
	 *
	 * @return bool
	 */
	public function needs_setup() {
		return false;
	}

	/**
	 * Order-received URL of the order (or of the checkout).
	 *
	 * @param WC_Order|null $order Order.
	 * @return string
	 */
	public function get_return_url( $order = null ) {
		if ( $order ) {
			$return_url = $order->get_checkout_order_received_url();
		} else {
			$return_url = wc_get_endpoint_url( 'order-received', '', wc_get_checkout_url() );
		}
		return apply_filters( 'woocommerce_get_return_url', $return_url, $order );
	}

	/**
	 * Transaction URL.
	 *
	 * @param WC_Order $order Order.
	 * @return string
	 */
	public function get_transaction_url( $order ) {
		$url = '';
		$txn = $order->get_transaction_id();
		if ( ! empty( $this->view_transaction_url ) && ! empty( $txn ) ) {
			$url = sprintf( $this->view_transaction_url, $txn );
		}
		return apply_filters( 'woocommerce_get_transaction_url', $url, $order, $this );
	}

	/**
	 * Total of the order being paid (order-pay page) or of the cart, as a float (like WooCommerce).
	 *
	 * @return float
	 */
	protected function get_order_total() {
		$total    = 0;
		$order_id = absint( get_query_var( 'order-pay' ) );
		if ( 0 < $order_id ) {
			$order = wc_get_order( $order_id );
			if ( $order ) {
				$total = (float) $order->get_total();
			}
		} elseif ( WC()->cart && 0 < WC()->cart->get_total( 'edit' ) ) {
			$total = (float) WC()->cart->get_total( 'edit' );
		}
		return $total;
	}

	/**
	 * Enabled, and under max_amount when there is a cart. No currency or country check (WooCommerce has none here).
	 *
	 * @return bool
	 */
	public function is_available() {
		$is_available = ( 'yes' === $this->enabled );
		if ( WC()->cart && 0 < $this->get_order_total() && 0 < $this->max_amount && $this->max_amount < $this->get_order_total() ) {
			$is_available = false;
		}
		return $is_available;
	}

	/**
	 * Has fields.
	 *
	 * @return bool
	 */
	public function has_fields() {
		return (bool) $this->has_fields;
	}

	/**
	 * Title (low HTML, no links: WooCommerce's HtmlSanitizer LOW_HTML_BALANCED_TAGS_NO_LINKS).
	 *
	 * @return string
	 */
	public function get_title() {
		$title = wp_kses(
			(string) $this->title,
			array(
				'b'      => array(),
				'strong' => array(),
				'i'      => array(),
				'em'     => array(),
				'br'     => array(),
				'span'   => array( 'class' => true ),
			)
		);
		return apply_filters( 'woocommerce_gateway_title', $title, $this->id );
	}

	/**
	 * Description.
	 *
	 * @return string
	 */
	public function get_description() {
		return apply_filters( 'woocommerce_gateway_description', wp_kses_post( (string) $this->description ), $this->id );
	}

	/**
	 * Icon HTML.
	 *
	 * @return string
	 */
	public function get_icon() {
		$icon = $this->icon ? '<img src="' . esc_url( $this->icon ) . '" alt="' . esc_attr( $this->get_title() ) . '" />' : '';
		return apply_filters( 'woocommerce_gateway_icon', $icon, $this->id );
	}

	/**
	 * Pay button id.
	 *
	 * @return string
	 */
	public function get_pay_button_id() {
		return sanitize_html_class( $this->pay_button_id );
	}

	/**
	 * Marks the gateway chosen.
	 */
	public function set_current() {
		$this->chosen = true;
	}

	/**
	 * Process payment (override).
	 *
	 * @param int $order_id Order id.
	 * @return array
	 */
	public function process_payment( $order_id ) {
		return array();
	}

	/**
	 * Process refund (override).
	 *
	 * @param int        $order_id Order id.
	 * @param float|null $amount   Amount.
	 * @param string     $reason   Reason.
	 * @return bool|WP_Error
	 */
	public function process_refund( $order_id, $amount = null, $reason = '' ) {
		return false;
	}

	/**
	 * Validate checkout fields (override).
	 *
	 * @return bool
	 */
	public function validate_fields() {
		return true;
	}

	/**
	 * Checkout fields: the description by default.
	 */
	public function payment_fields() {
		$description = $this->get_description();
		if ( $description ) {
			echo wpautop( wptexturize( $description ) ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- kses in get_description.
		}
	}

	/**
	 * Whether a feature is supported.
	 *
	 * @param string $feature Feature.
	 * @return bool
	 */
	public function supports( $feature ) {
		return apply_filters( 'woocommerce_payment_gateway_supports', in_array( $feature, $this->supports, true ), $feature, $this );
	}

	/**
	 * Whether the order can be refunded through the gateway.
	 *
	 * @param WC_Order $order Order.
	 * @return bool
	 */
	public function can_refund_order( $order ) {
		return $order && $this->supports( 'refunds' );
	}
}
