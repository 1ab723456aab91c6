<?php
/**
 * Model of WooCommerce's installer and a few request handlers (WooCommerce 9.4.3 includes/class-wc-install.php,
 * class-wc-post-types.php, class-wc-query.php, class-wc-api.php, admin/class-wc-admin-settings.php,
 * admin/settings/class-wc-settings-payment-gateways.php, includes/rest-api/Controllers/Version3/
 * class-wc-rest-order-refunds-controller.php).
 *
 * - Activation creates the HPOS and Action Scheduler tables, the capabilities (manage_woocommerce, edit_shop_orders,
 *   ... for administrator and a shop_manager role), the default options WooCommerce 9.4 installs with
 *   (woocommerce_hold_stock_minutes 60, woocommerce_manage_stock yes, woocommerce_currency, 2 decimals), a Checkout page
 *   holding the Checkout block (the default for new stores since 8.3) and a classic checkout page with
 *   [woocommerce_checkout] (option woocommerce_standin_classic_checkout_page_id; point woocommerce_checkout_page_id at
 *   it to test the classic checkout), and two products ("Demo item" 1500.00 and a virtual downloadable "Demo
 *   download" 250.00; options woocommerce_standin_product_ids).
 * - The order-received and order-pay endpoints and the wc-* statuses are registered on init.
 * - ?wc-api=<name> fires woocommerce_api_<name> (status 200 if hooked, else 400) and dies with -1, like WC_API.
 * - WooCommerce -> Settings -> Payments (admin.php?page=wc-settings&tab=checkout&section=<id>): globals $current_tab
 *   and $current_section, sections from woocommerce_get_sections_checkout, a gateway section prints admin_options(),
 *   every section fires woocommerce_settings_checkout (other sections render there), $GLOBALS['hide_save_button']
 *   hides Save, the form carries the woocommerce-settings nonce; saving fires woocommerce_settings_save_checkout,
 *   woocommerce_update_options_payment_gateways_<id> (gateway section) or woocommerce_update_options_checkout_<section>,
 *   woocommerce_update_options_checkout and woocommerce_update_options.
 * - POST /wp-json/wc/v3/orders/<id>/refunds {amount, reason, api_refund (default true)} creates a refund as the REST
 *   API does (edit_shop_orders); GET /wp-json/wc/v3/orders/<id> returns the order's main fields and meta.
 *
 * @package WooCommerceStandin
 */

defined( 'ABSPATH' ) || exit;

/**
 * Installer and handlers (model).
 */
class WC_Standin_Install {

	/**
	 * Hooks.
	 */
	public static function init() {
		add_action( 'init', array( __CLASS__, 'maybe_install' ), 2 );
		add_action( 'parse_request', array( __CLASS__, 'handle_api_requests' ), 0 );
		add_action( 'admin_menu', array( __CLASS__, 'admin_menu' ), 9 );
		add_action( 'rest_api_init', array( __CLASS__, 'register_rest_routes' ) );
	}

	/**
	 * Statuses, endpoints and the placeholder post type (on init, from WC()->init()).
	 */
	public static function register_statuses_and_endpoints() {
		register_post_type(
			'shop_order_placehold',
			array(
				'public'              => false,
				'exclude_from_search' => true,
				'publicly_queryable'  => false,
				'show_ui'             => false,
				'rewrite'             => false,
				'query_var'           => false,
				'supports'            => array(),
			)
		);
		register_post_type(
			'product',
			array(
				'label'       => __( 'Products', 'woocommerce' ),
				'public'      => true,
				'has_archive' => false,
				'supports'    => array( 'title', 'editor' ),
			)
		);
		foreach ( wc_get_order_statuses() as $status => $label ) {
			register_post_status(
				$status,
				array(
					'label'    => $label,
					'public'   => false,
					'internal' => true,
				)
			);
		}
		add_rewrite_endpoint( 'order-received', EP_ROOT | EP_PAGES );
		add_rewrite_endpoint( 'order-pay', EP_ROOT | EP_PAGES );
	}

	/**
	 * Installs once when the plugin was loaded without its activation hook (mu-plugin, test bootstrap).
	 */
	public static function maybe_install() {
		if ( get_option( 'woocommerce_standin_version' ) !== WC_VERSION ) {
			self::install();
		}
	}

	/**
	 * Activation.
	 */
	public static function install() {
		WC_Standin_Order_Store::create_tables();
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		dbDelta( WC_Standin_Action_Scheduler::schema() );

		$caps = array( 'manage_woocommerce', 'edit_shop_orders', 'edit_shop_order', 'edit_others_shop_orders', 'read_shop_order', 'delete_shop_orders', 'view_woocommerce_reports' );
		$admin = get_role( 'administrator' );
		if ( $admin ) {
			foreach ( $caps as $cap ) {
				$admin->add_cap( $cap );
			}
		}
		if ( ! get_role( 'shop_manager' ) ) {
			add_role( 'shop_manager', 'Shop manager', array_fill_keys( array_merge( array( 'read' ), $caps ), true ) );
		}

		$defaults = array(
			'woocommerce_currency'           => 'PKR',
			'woocommerce_default_country'    => 'PK',
			'woocommerce_price_num_decimals' => '2',
			'woocommerce_price_decimal_sep'  => '.',
			'woocommerce_price_thousand_sep' => ',',
			'woocommerce_manage_stock'       => 'yes',
			'woocommerce_hold_stock_minutes' => '60',
			'woocommerce_prices_include_tax' => 'no',
		);
		foreach ( $defaults as $key => $value ) {
			add_option( $key, $value );
		}

		if ( wc_get_page_id( 'checkout' ) < 1 || ! get_post( wc_get_page_id( 'checkout' ) ) ) {
			$id = wp_insert_post(
				array(
					'post_type'    => 'page',
					'post_status'  => 'publish',
					'post_title'   => 'Checkout',
					'post_name'    => 'checkout',
					'post_content' => '<!-- wp:woocommerce/checkout /-->',
				)
			);
			update_option( 'woocommerce_checkout_page_id', $id );
			update_option( 'woocommerce_standin_block_checkout_page_id', $id );
		}
		if ( ! get_option( 'woocommerce_standin_classic_checkout_page_id' ) ) {
			$id = wp_insert_post(
				array(
					'post_type'    => 'page',
					'post_status'  => 'publish',
					'post_title'   => 'Classic checkout',
					'post_name'    => 'classic-checkout',
					'post_content' => '<!-- wp:shortcode -->[woocommerce_checkout]<!-- /wp:shortcode -->',
				)
			);
			update_option( 'woocommerce_standin_classic_checkout_page_id', $id );
		}
		if ( ! get_option( 'woocommerce_standin_product_ids' ) ) {
			$ids      = array();
			$products = array(
				array( 'Demo item', '1500.00', 'no' ),
				array( 'Demo download', '250.00', 'yes' ),
			);
			foreach ( $products as $p ) {
				$id = wp_insert_post(
					array(
						'post_type'   => 'product',
						'post_status' => 'publish',
						'post_title'  => $p[0],
					)
				);
				update_post_meta( $id, '_price', $p[1] );
				update_post_meta( $id, '_regular_price', $p[1] );
				update_post_meta( $id, '_virtual', $p[2] );
				update_post_meta( $id, '_downloadable', $p[2] );
				$ids[] = (int) $id;
			}
			update_option( 'woocommerce_standin_product_ids', $ids );
		}
		update_option( 'woocommerce_standin_version', WC_VERSION );
		update_option( 'woocommerce_version', WC_VERSION );
		update_option( 'woocommerce_custom_orders_table_enabled', 'yes' );
		update_option( 'woocommerce_custom_orders_table_data_sync_enabled', 'no' );
		self::register_statuses_and_endpoints();
		flush_rewrite_rules();
	}

	/**
	 * ?wc-api=<name>.
	 */
	public static function handle_api_requests() {
		global $wp;
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- like WC_API: the handler verifies.
		if ( ! empty( $_GET['wc-api'] ) ) {
			$wp->query_vars['wc-api'] = sanitize_key( wp_unslash( $_GET['wc-api'] ) );
		}
		// phpcs:enable
		if ( ! empty( $wp->query_vars['wc-api'] ) ) {
			ob_start();
			nocache_headers();
			$api = strtolower( wc_clean( $wp->query_vars['wc-api'] ) );
			do_action( 'woocommerce_api_request', $api );
			status_header( has_action( 'woocommerce_api_' . $api ) ? 200 : 400 );
			do_action( 'woocommerce_api_' . $api );
			ob_end_clean();
			die( '-1' );
		}
	}

	/**
	 * WooCommerce menu with the settings page.
	 */
	public static function admin_menu() {
		add_menu_page( __( 'WooCommerce', 'woocommerce' ), __( 'WooCommerce', 'woocommerce' ), 'edit_others_shop_orders', 'woocommerce', '__return_null', 'dashicons-cart', 55.5 );
		$hook = add_submenu_page( 'woocommerce', __( 'WooCommerce settings', 'woocommerce' ), __( 'Settings', 'woocommerce' ), 'manage_woocommerce', 'wc-settings', array( __CLASS__, 'settings_page' ) );
		add_action( 'load-' . $hook, array( __CLASS__, 'save_settings' ) );
	}

	/**
	 * Current section (gateway id).
	 *
	 * @return string
	 */
	protected static function section() {
		return isset( $_GET['section'] ) ? sanitize_title( wp_unslash( $_GET['section'] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification.Recommended
	}

	/**
	 * Saves the Payments tab, as WC_Admin_Settings::save() and WC_Settings_Payment_Gateways::save(): nonce
	 * woocommerce-settings, then for a gateway section woocommerce_update_options_payment_gateways_<id>, for another
	 * section woocommerce_update_options_checkout_<section>, then woocommerce_update_options_checkout and
	 * woocommerce_update_options.
	 */
	public static function save_settings() {
		global $current_tab, $current_section;
		$current_tab     = isset( $_GET['tab'] ) ? sanitize_title( wp_unslash( $_GET['tab'] ) ) : 'general'; // phpcs:ignore WordPress.Security.NonceVerification.Recommended, WordPress.WP.GlobalVariablesOverride.Prohibited
		$current_section = self::section(); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		if ( empty( $_POST['save'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Missing
			return;
		}
		check_admin_referer( 'woocommerce-settings' );
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_die( esc_html__( 'You do not have permission to access this page.', 'woocommerce' ) );
		}
		do_action( 'woocommerce_settings_save_' . $current_tab );
		if ( 'checkout' === $current_tab ) {
			$gateway_saved = false;
			foreach ( WC()->payment_gateways()->payment_gateways() as $gateway ) {
				if ( in_array( $current_section, array( $gateway->id, sanitize_title( get_class( $gateway ) ) ), true ) ) {
					do_action( 'woocommerce_update_options_payment_gateways_' . $gateway->id );
					WC()->payment_gateways()->init();
					$gateway_saved = true;
				}
			}
			if ( ! $gateway_saved && '' !== $current_section ) {
				do_action( 'woocommerce_update_options_checkout_' . $current_section );
			}
		}
		do_action( 'woocommerce_update_options_' . $current_tab );
		do_action( 'woocommerce_update_options' );
		$GLOBALS['wc_standin_settings_saved'] = true;
	}

	/**
	 * The settings page (tab=checkout is the Payments tab): sections from woocommerce_get_sections_checkout, then the
	 * gateway's admin_options() for a gateway section, else the gateway list for the main section; in every case
	 * woocommerce_settings_<tab> fires (where other sections render); the Save button unless
	 * $GLOBALS['hide_save_button']; the woocommerce-settings nonce.
	 */
	public static function settings_page() {
		global $current_tab, $current_section;
		$gateways = WC()->payment_gateways()->payment_gateways();
		echo '<div class="wrap woocommerce">';
		echo '<form method="post" id="mainform" action="" enctype="multipart/form-data">';
		echo '<nav class="nav-tab-wrapper woo-nav-tab-wrapper"><a href="' . esc_url( admin_url( 'admin.php?page=wc-settings&tab=checkout' ) ) . '" class="nav-tab' . ( 'checkout' === $current_tab ? ' nav-tab-active' : '' ) . '">' . esc_html__( 'Payments', 'woocommerce' ) . '</a></nav>';
		if ( ! empty( $GLOBALS['wc_standin_settings_saved'] ) ) {
			echo '<div id="message" class="updated inline"><p><strong>' . esc_html__( 'Your settings have been saved.', 'woocommerce' ) . '</strong></p></div>';
		}
		if ( 'checkout' === $current_tab ) {
			$sections = (array) apply_filters( 'woocommerce_get_sections_checkout', array( '' => __( 'Payment methods', 'woocommerce' ) ) );
			echo '<ul class="subsubsub">';
			foreach ( $sections as $id => $label ) {
				echo '<li><a href="' . esc_url( admin_url( 'admin.php?page=wc-settings&tab=checkout&section=' . sanitize_title( (string) $id ) ) ) . '" class="' . ( $current_section === $id ? 'current' : '' ) . '">' . esc_html( $label ) . '</a> | </li>';
			}
			echo '</ul><br class="clear" />';
			$gateway = null;
			foreach ( $gateways as $candidate ) {
				if ( in_array( $current_section, array( $candidate->id, sanitize_title( get_class( $candidate ) ) ), true ) ) {
					$gateway = $candidate;
				}
			}
			if ( $gateway ) {
				$gateway->display_errors();
				$gateway->admin_options();
			} elseif ( '' === $current_section ) {
				echo '<h2>' . esc_html__( 'Payment methods', 'woocommerce' ) . '</h2><table class="wc_gateways widefat"><tbody>';
				foreach ( $gateways as $candidate ) {
					echo '<tr data-gateway_id="' . esc_attr( $candidate->id ) . '"><td class="name"><a href="' . esc_url( admin_url( 'admin.php?page=wc-settings&tab=checkout&section=' . strtolower( $candidate->id ) ) ) . '">' . wp_kses_post( $candidate->get_method_title() ? $candidate->get_method_title() : $candidate->get_title() ) . '</a></td><td class="status">' . esc_html( 'yes' === $candidate->enabled ? __( 'Enabled', 'woocommerce' ) : __( 'Disabled', 'woocommerce' ) ) . '</td></tr>';
				}
				echo '</tbody></table>';
			}
		}
		do_action( 'woocommerce_settings_' . $current_tab );
		echo '<p class="submit">';
		if ( empty( $GLOBALS['hide_save_button'] ) ) {
			echo '<button name="save" class="button-primary woocommerce-save-button" type="submit" value="' . esc_attr__( 'Save changes', 'woocommerce' ) . '">' . esc_html__( 'Save changes', 'woocommerce' ) . '</button>';
		}
		wp_nonce_field( 'woocommerce-settings' );
		echo '</p></form></div>';
	}

	/**
	 * wc/v3 refunds and order read.
	 */
	public static function register_rest_routes() {
		$can = function () {
			return current_user_can( 'edit_shop_orders' );
		};
		register_rest_route(
			'wc/v3',
			'/orders/(?P<order_id>[\d]+)/refunds',
			array(
				'methods'             => 'POST',
				'permission_callback' => $can,
				'callback'            => function ( WP_REST_Request $request ) {
					$order = wc_get_order( (int) $request['order_id'] );
					if ( ! $order instanceof WC_Order ) {
						return new WP_Error( 'woocommerce_rest_invalid_order_id', __( 'Invalid order ID.', 'woocommerce' ), array( 'status' => 404 ) );
					}
					$amount = wc_format_decimal( (string) $request->get_param( 'amount' ) );
					if ( 0 > (float) $amount ) {
						return new WP_Error( 'woocommerce_rest_invalid_order_refund', __( 'Refund amount must be greater than zero.', 'woocommerce' ), array( 'status' => 400 ) );
					}
					$api_refund = null === $request->get_param( 'api_refund' ) ? true : rest_sanitize_boolean( $request->get_param( 'api_refund' ) );
					$refund     = wc_create_refund(
						array(
							'order_id'       => $order->get_id(),
							'amount'         => $amount,
							'reason'         => sanitize_text_field( (string) $request->get_param( 'reason' ) ),
							'refund_payment' => $api_refund,
						)
					);
					if ( is_wp_error( $refund ) ) {
						return new WP_Error( 'woocommerce_rest_cannot_create_order_refund', $refund->get_error_message(), array( 'status' => 500 ) );
					}
					return new WP_REST_Response(
						array(
							'id'               => $refund->get_id(),
							'amount'           => $refund->get_amount(),
							'reason'           => $refund->get_reason(),
							'refunded_payment' => $refund->get_refunded_payment(),
						),
						201
					);
				},
			)
		);
		register_rest_route(
			'wc/v3',
			'/orders/(?P<id>[\d]+)',
			array(
				'methods'             => 'GET',
				'permission_callback' => $can,
				'callback'            => function ( WP_REST_Request $request ) {
					$order = wc_get_order( (int) $request['id'] );
					if ( ! $order instanceof WC_Order ) {
						return new WP_Error( 'woocommerce_rest_shop_order_invalid_id', __( 'Invalid ID.', 'woocommerce' ), array( 'status' => 404 ) );
					}
					$meta = array();
					foreach ( $order->get_meta_data() as $m ) {
						$meta[] = $m->get_data();
					}
					return array(
						'id'             => $order->get_id(),
						'status'         => $order->get_status(),
						'currency'       => $order->get_currency(),
						'total'          => $order->get_total(),
						'payment_method' => $order->get_payment_method(),
						'transaction_id' => $order->get_transaction_id(),
						'order_key'      => $order->get_order_key(),
						'date_paid'      => $order->get_date_paid() ? (string) $order->get_date_paid() : null,
						'refunds'        => array_map(
							function ( $r ) {
								return array(
									'id'     => $r->get_id(),
									'total'  => '-' . $r->get_amount(),
									'reason' => $r->get_reason(),
								);
							},
							$order->get_refunds()
						),
						'meta_data'      => $meta,
					);
				},
			)
		);
	}
}

WC_Standin_Install::init();
