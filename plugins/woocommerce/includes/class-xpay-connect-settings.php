<?php
/**
 * WooCommerce → Settings → Payments → xpay-connect: the service connection, the event endpoint and its
 * signing secret, and the merchant's gateway accounts (forms rendered from GET /v1/gateways/schema).
 *
 * Secrets (the API key, the signing secret, gateway credentials) are write-only: never printed.
 *
 * @package Xpay_Connect
 */

defined( 'ABSPATH' ) || exit;

/**
 * The plugin's own settings section and its admin actions.
 */
final class Xpay_Connect_Settings {

	/** The section id under the Payments tab. */
	const SECTION = 'xpay-connect';

	/** Nonce action of every admin action of the section. */
	const NONCE = 'xpay_connect_settings';

	/** Grace period of a rotated signing secret. */
	const GRACE_SECONDS = 86400;

	/**
	 * Whether the store is connected: URL, key and a signing secret.
	 *
	 * @return bool
	 */
	public static function is_connected(): bool {
		return '' !== (string) get_option( 'xpay_connect_service_url', '' )
			&& '' !== (string) get_option( 'xpay_connect_api_key', '' )
			&& '' !== (string) get_option( 'xpay_connect_signing_secret', '' );
	}

	/**
	 * The section in the Payments tab's list (woocommerce_get_sections_checkout).
	 *
	 * @param array<string, string> $sections Sections.
	 * @return array<string, string>
	 */
	public static function add_section( $sections ) {
		$sections                  = is_array( $sections ) ? $sections : array();
		$sections[ self::SECTION ] = __( 'xpay-connect', 'xpay-connect-woocommerce' );
		return $sections;
	}

	/**
	 * The settings page URL.
	 *
	 * @return string
	 */
	public static function page_url(): string {
		return admin_url( 'admin.php?page=wc-settings&tab=checkout&section=' . self::SECTION );
	}

	/**
	 * Connects: checks the URL and key with GET /v1/gateways, then registers the store's event endpoint
	 * (replacing the one registered before) and keeps its signing secret. An empty key keeps the stored one.
	 *
	 * @param string $url     Service URL.
	 * @param string $api_key API key, or '' to keep the stored one.
	 * @return true|WP_Error
	 */
	public static function connect( string $url, string $api_key ) {
		$url = esc_url_raw( trim( $url ), array( 'http', 'https' ) );
		if ( ! Xpay_Connect_Client::is_http_url( $url ) ) {
			return new WP_Error( 'xpay_connect_url', __( 'Enter the service URL, such as https://pay.example.com.', 'xpay-connect-woocommerce' ) );
		}
		$api_key = '' !== $api_key ? $api_key : (string) get_option( 'xpay_connect_api_key', '' );
		if ( '' === $api_key ) {
			return new WP_Error( 'xpay_connect_key', __( 'Enter the API key the service gave you.', 'xpay-connect-woocommerce' ) );
		}
		$client = new Xpay_Connect_Client( $url, $api_key );
		$check  = $client->get( '/v1/gateways' );
		if ( is_wp_error( $check ) ) {
			update_option( 'xpay_connect_status', array( 'ok' => false, 'message' => $check->get_error_message(), 'at' => time() ), false );
			return $check;
		}
		$old_url      = untrailingslashit( (string) get_option( 'xpay_connect_service_url', '' ) );
		$old_key      = (string) get_option( 'xpay_connect_api_key', '' );
		$same_service = untrailingslashit( $url ) === $old_url && $api_key === $old_key;
		update_option( 'xpay_connect_service_url', untrailingslashit( $url ) );
		update_option( 'xpay_connect_api_key', $api_key, false );

		$events_url = Xpay_Connect_Events::endpoint_url();
		$old_id     = (string) get_option( 'xpay_connect_endpoint_id', '' );
		$secret     = (string) get_option( 'xpay_connect_signing_secret', '' );
		if ( ! ( $same_service && '' !== $old_id && '' !== $secret && $events_url === get_option( 'xpay_connect_endpoint_url' ) ) ) {
			$endpoint = $client->post(
				'/v1/endpoints',
				array(
					'url'         => $events_url,
					'description' => 'WooCommerce ' . wp_parse_url( home_url(), PHP_URL_HOST ),
				)
			);
			if ( is_wp_error( $endpoint ) ) {
				update_option( 'xpay_connect_status', array( 'ok' => false, 'message' => $endpoint->get_error_message(), 'at' => time() ), false );
				return $endpoint;
			}
			if ( '' !== $old_id && $old_id !== $endpoint['id'] ) {
				// The endpoint registered before stops receiving events (at the service, or the account, we
				// are leaving): otherwise it would keep signing them with a secret this store no longer holds.
				// Best effort: a previous service that cannot be reached gives up on its own in time.
				$previous = $same_service ? $client : ( '' !== $old_url && '' !== $old_key ? new Xpay_Connect_Client( $old_url, $old_key ) : null );
				if ( $previous ) {
					$previous->request( 'DELETE', '/v1/endpoints/' . rawurlencode( $old_id ) );
				}
			}
			update_option( 'xpay_connect_endpoint_id', (string) $endpoint['id'], false );
			update_option( 'xpay_connect_endpoint_url', $events_url, false );
			update_option( 'xpay_connect_signing_secret', (string) $endpoint['secret'], false );
			delete_option( 'xpay_connect_signing_secret_previous' );
			delete_option( 'xpay_connect_signing_secret_previous_until' );
		}
		update_option( 'xpay_connect_status', array( 'ok' => true, 'message' => '', 'at' => time() ), false );
		return true;
	}

	/**
	 * Rotates the signing secret; the previous one stays valid for the grace period.
	 *
	 * @return true|WP_Error
	 */
	public static function rotate_secret() {
		$id = (string) get_option( 'xpay_connect_endpoint_id', '' );
		if ( '' === $id ) {
			return new WP_Error( 'xpay_connect_not_connected', __( 'Connect first.', 'xpay-connect-woocommerce' ) );
		}
		$answer = Xpay_Connect_Client::from_settings()->post( '/v1/endpoints/' . rawurlencode( $id ) . '/rotate-secret', array( 'grace_seconds' => self::GRACE_SECONDS ) );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		if ( empty( $answer['secret'] ) ) {
			return new WP_Error( 'xpay_connect_bad_answer', __( 'The service did not answer a new secret.', 'xpay-connect-woocommerce' ) );
		}
		update_option( 'xpay_connect_signing_secret_previous', (string) get_option( 'xpay_connect_signing_secret', '' ), false );
		update_option( 'xpay_connect_signing_secret_previous_until', time() + self::GRACE_SECONDS, false );
		update_option( 'xpay_connect_signing_secret', (string) $answer['secret'], false );
		return true;
	}

	/**
	 * Adds or replaces a gateway account: the submitted values typed by the gateway's schema, then
	 * PUT /v1/gateways/{gateway}.
	 *
	 * @param string               $gateway Gateway name (xpay-eg).
	 * @param array<string, mixed> $values  Submitted values (unslashed).
	 * @return array<string, mixed>|WP_Error
	 */
	public static function save_gateway( string $gateway, array $values ) {
		$client  = Xpay_Connect_Client::from_settings();
		$schemas = self::schemas( $client );
		if ( is_wp_error( $schemas ) ) {
			return $schemas;
		}
		if ( ! isset( $schemas[ $gateway ] ) ) {
			return new WP_Error( 'xpay_connect_gateway', __( 'Unknown gateway.', 'xpay-connect-woocommerce' ) );
		}
		$schema = $schemas[ $gateway ]['schema'] ?? array();
		$body   = array();
		foreach ( (array) ( $schema['properties'] ?? array() ) as $key => $property ) {
			if ( ! isset( $values[ $key ] ) || is_array( $values[ $key ] ) ) {
				continue;
			}
			$raw = trim( (string) $values[ $key ] );
			if ( '' === $raw ) {
				continue;
			}
			$type = (string) ( $property['type'] ?? 'string' );
			if ( 'integer' === $type && preg_match( '/^-?\d+$/', $raw ) ) {
				$body[ $key ] = (int) $raw;
			} elseif ( 'number' === $type && is_numeric( $raw ) ) {
				$body[ $key ] = 0 + $raw;
			} elseif ( 'boolean' === $type ) {
				$body[ $key ] = in_array( $raw, array( '1', 'true', 'yes', 'on' ), true );
			} else {
				$body[ $key ] = ! empty( $property['secret'] ) ? $raw : sanitize_text_field( $raw );
			}
		}
		return $client->put( '/v1/gateways/' . rawurlencode( $gateway ), $body );
	}

	/**
	 * Each gateway's schema, keyed by gateway.
	 *
	 * @param Xpay_Connect_Client $client Client.
	 * @return array<string, array<string, mixed>>|WP_Error
	 */
	public static function schemas( Xpay_Connect_Client $client ) {
		$answer = $client->get( '/v1/gateways/schema' );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		$out = array();
		foreach ( (array) ( $answer['data'] ?? array() ) as $row ) {
			if ( is_array( $row ) && isset( $row['gateway'] ) ) {
				$out[ (string) $row['gateway'] ] = $row;
			}
		}
		return $out;
	}

	/**
	 * admin-post.php?action=xpay_connect_connect
	 */
	public static function handle_connect(): void {
		self::guard();
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- guard() checked it.
		$url = isset( $_POST['xpay_connect_service_url'] ) ? sanitize_text_field( wp_unslash( (string) $_POST['xpay_connect_service_url'] ) ) : '';
		$key = isset( $_POST['xpay_connect_api_key'] ) ? trim( sanitize_text_field( wp_unslash( (string) $_POST['xpay_connect_api_key'] ) ) ) : '';
		// phpcs:enable
		$result = self::connect( $url, $key );
		self::finish( $result, __( 'Connected: events from the service now reach this store.', 'xpay-connect-woocommerce' ) );
	}

	/**
	 * admin-post.php?action=xpay_connect_rotate
	 */
	public static function handle_rotate(): void {
		self::guard();
		self::finish( self::rotate_secret(), __( 'Signing secret rotated; the previous one stays valid for a day.', 'xpay-connect-woocommerce' ) );
	}

	/**
	 * admin-post.php?action=xpay_connect_gateway&gateway=<name>
	 */
	public static function handle_gateway(): void {
		self::guard();
		// phpcs:disable WordPress.Security.NonceVerification -- guard() checked it.
		$gateway = isset( $_REQUEST['gateway'] ) ? sanitize_key( wp_unslash( (string) $_REQUEST['gateway'] ) ) : '';
		$all     = isset( $_POST['xpay_gw'] ) && is_array( $_POST['xpay_gw'] ) ? wp_unslash( $_POST['xpay_gw'] ) : array(); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- typed and sanitized per schema field in save_gateway; secrets are kept as typed.
		// phpcs:enable
		$values = isset( $all[ $gateway ] ) && is_array( $all[ $gateway ] ) ? $all[ $gateway ] : array();
		$result = self::save_gateway( $gateway, $values );
		/* translators: %s: gateway name. */
		self::finish( is_wp_error( $result ) ? $result : true, sprintf( __( 'Saved the %s account; the gateway accepted the credentials.', 'xpay-connect-woocommerce' ), $gateway ) );
	}

	/**
	 * Capability and nonce of every admin action.
	 */
	private static function guard(): void {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_die( esc_html__( 'You are not allowed to change payment settings.', 'xpay-connect-woocommerce' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( self::NONCE, 'xpay_connect_nonce' );
	}

	/**
	 * Keeps the outcome for the next page view and goes back to the section.
	 *
	 * @param mixed  $result  true or WP_Error.
	 * @param string $success Message on success.
	 */
	private static function finish( $result, string $success ): void {
		$notice = is_wp_error( $result )
			? array( 'type' => 'error', 'message' => $result->get_error_message() )
			: array( 'type' => 'success', 'message' => $success );
		set_transient( 'xpay_connect_notice_' . get_current_user_id(), $notice, 300 );
		wp_safe_redirect( self::page_url() );
		exit;
	}

	/**
	 * Renders the section (woocommerce_settings_checkout), inside WooCommerce's settings form: the
	 * section's buttons post that form to admin-post.php (formaction), each with our nonce.
	 */
	public static function render(): void {
		global $current_section;
		if ( self::SECTION !== $current_section || ! current_user_can( 'manage_woocommerce' ) ) {
			return;
		}
		$GLOBALS['hide_save_button'] = true; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- WooCommerce's switch for its Save button.
		$post_url = admin_url( 'admin-post.php' );
		$notice   = get_transient( 'xpay_connect_notice_' . get_current_user_id() );
		if ( is_array( $notice ) ) {
			delete_transient( 'xpay_connect_notice_' . get_current_user_id() );
			printf( '<div class="notice notice-%1$s inline"><p>%2$s</p></div>', 'error' === $notice['type'] ? 'error' : 'success', esc_html( (string) $notice['message'] ) );
		}
		wp_nonce_field( self::NONCE, 'xpay_connect_nonce' );
		$status  = get_option( 'xpay_connect_status' );
		$has_key = '' !== (string) get_option( 'xpay_connect_api_key', '' );

		echo '<h2>' . esc_html__( 'xpay-connect service', 'xpay-connect-woocommerce' ) . '</h2>';
		echo '<p>' . esc_html__( 'Payments go through your xpay-connect service. Enter its address and your API key, then connect: the store registers where the service sends payment events.', 'xpay-connect-woocommerce' ) . '</p>';
		echo '<table class="form-table" role="presentation"><tbody>';
		printf(
			'<tr><th scope="row"><label for="xpay_connect_service_url">%1$s</label></th><td><input type="url" class="regular-text" id="xpay_connect_service_url" name="xpay_connect_service_url" value="%2$s" placeholder="https://pay.example.com" /></td></tr>',
			esc_html__( 'Service URL', 'xpay-connect-woocommerce' ),
			esc_attr( (string) get_option( 'xpay_connect_service_url', '' ) )
		);
		printf(
			'<tr><th scope="row"><label for="xpay_connect_api_key">%1$s</label></th><td><input type="password" class="regular-text" id="xpay_connect_api_key" name="xpay_connect_api_key" value="" autocomplete="new-password" placeholder="%2$s" /><p class="description">%3$s</p></td></tr>',
			esc_html__( 'API key', 'xpay-connect-woocommerce' ),
			esc_attr( $has_key ? __( 'Saved (leave empty to keep it)', 'xpay-connect-woocommerce' ) : 'xc_live_…' ),
			esc_html__( 'Never shown again once saved.', 'xpay-connect-woocommerce' )
		);
		echo '<tr><th scope="row">' . esc_html__( 'Status', 'xpay-connect-woocommerce' ) . '</th><td class="xpay-connect-connection">';
		if ( self::is_connected() && is_array( $status ) && ! empty( $status['ok'] ) ) {
			echo '<mark class="yes">' . esc_html__( 'Connected', 'xpay-connect-woocommerce' ) . '</mark> ';
			/* translators: %s: the store's event URL. */
			echo esc_html( sprintf( __( 'Events arrive at %s', 'xpay-connect-woocommerce' ), (string) get_option( 'xpay_connect_endpoint_url', '' ) ) );
		} elseif ( is_array( $status ) && empty( $status['ok'] ) ) {
			/* translators: %s: the error. */
			echo '<mark class="error">' . esc_html( sprintf( __( 'Not connected: %s', 'xpay-connect-woocommerce' ), (string) $status['message'] ) ) . '</mark>';
		} else {
			echo esc_html__( 'Not connected yet.', 'xpay-connect-woocommerce' );
		}
		echo '</td></tr></tbody></table>';
		printf(
			'<p><button type="submit" class="button button-primary" formaction="%1$s" formnovalidate>%2$s</button> ',
			esc_url( add_query_arg( 'action', 'xpay_connect_connect', $post_url ) ),
			esc_html__( 'Connect', 'xpay-connect-woocommerce' )
		);
		if ( self::is_connected() ) {
			printf(
				'<button type="submit" class="button" formaction="%1$s" formnovalidate>%2$s</button>',
				esc_url( add_query_arg( 'action', 'xpay_connect_rotate', $post_url ) ),
				esc_html__( 'Rotate signing secret', 'xpay-connect-woocommerce' )
			);
		}
		echo '</p>';

		if ( ! self::is_connected() ) {
			return;
		}
		self::render_gateways( $post_url );
	}

	/**
	 * The configured gateways and a form per gateway, from the service's schema.
	 *
	 * @param string $post_url admin-post.php.
	 */
	private static function render_gateways( string $post_url ): void {
		$client   = Xpay_Connect_Client::from_settings();
		$accounts = $client->get( '/v1/gateways' );
		$schemas  = self::schemas( $client );
		echo '<h2>' . esc_html__( 'Gateways', 'xpay-connect-woocommerce' ) . '</h2>';
		if ( is_wp_error( $accounts ) || is_wp_error( $schemas ) ) {
			$error = is_wp_error( $accounts ) ? $accounts : $schemas;
			echo '<div class="notice notice-error inline"><p>' . esc_html( $error->get_error_message() ) . '</p></div>';
			return;
		}
		$configured = array();
		foreach ( (array) ( $accounts['data'] ?? array() ) as $account ) {
			if ( is_array( $account ) && isset( $account['gateway'] ) ) {
				$configured[ (string) $account['gateway'] ] = $account;
			}
		}
		echo '<table class="widefat striped xpay-connect-gateways"><thead><tr><th>' . esc_html__( 'Gateway', 'xpay-connect-woocommerce' ) . '</th><th>' . esc_html__( 'Methods', 'xpay-connect-woocommerce' ) . '</th><th>' . esc_html__( 'Callback URL', 'xpay-connect-woocommerce' ) . '</th><th>' . esc_html__( 'Updated', 'xpay-connect-woocommerce' ) . '</th></tr></thead><tbody>';
		if ( ! $configured ) {
			echo '<tr><td colspan="4">' . esc_html__( 'No gateway is configured yet: add one below.', 'xpay-connect-woocommerce' ) . '</td></tr>';
		}
		foreach ( $configured as $name => $account ) {
			$callback = isset( $account['callback_url'] ) && is_array( $account['callback_url'] ) ? (string) ( $account['callback_url']['url'] ?? $account['callback_url']['mode'] ?? '' ) : '';
			printf(
				'<tr><td>%1$s <code>%2$s</code></td><td>%3$s</td><td><code>%4$s</code></td><td>%5$s</td></tr>',
				esc_html( (string) ( $account['title'] ?? $name ) ),
				esc_html( $name ),
				esc_html( implode( ', ', array_map( 'strval', (array) ( $account['capabilities']['pay_in_methods'] ?? array() ) ) ) ),
				esc_html( $callback ),
				esc_html( (string) ( $account['updated_at'] ?? '' ) )
			);
		}
		echo '</tbody></table>';

		foreach ( $schemas as $name => $row ) {
			$account = $configured[ $name ] ?? null;
			$config  = is_array( $account ) && isset( $account['config'] ) && is_array( $account['config'] ) ? $account['config'] : array();
			$set     = is_array( $account ) ? array_map( 'strval', (array) ( $account['secrets_set'] ?? array() ) ) : array();
			$schema  = isset( $row['schema'] ) && is_array( $row['schema'] ) ? $row['schema'] : array();
			$req     = array_map( 'strval', (array) ( $schema['required'] ?? array() ) );
			printf( '<h3 id="xpay-gw-%1$s">%2$s <code>%3$s</code></h3>', esc_attr( $name ), esc_html( (string) ( $row['title'] ?? $name ) ), esc_html( $name ) );
			echo '<table class="form-table" role="presentation"><tbody>';
			foreach ( (array) ( $schema['properties'] ?? array() ) as $key => $property ) {
				$key    = (string) $key;
				$id     = 'xpay_gw_' . sanitize_key( $name . '_' . $key );
				$secret = ! empty( $property['secret'] );
				$label  = (string) ( $property['title'] ?? $key ) . ( in_array( $key, $req, true ) ? ' *' : '' );
				echo '<tr><th scope="row"><label for="' . esc_attr( $id ) . '">' . esc_html( $label ) . '</label></th><td>';
				$field = 'xpay_gw[' . $name . '][' . $key . ']';
				if ( $secret ) {
					printf(
						'<input type="password" class="regular-text" id="%1$s" name="%2$s" value="" autocomplete="new-password" placeholder="%3$s" />',
						esc_attr( $id ),
						esc_attr( $field ),
						esc_attr( in_array( $key, $set, true ) ? __( 'Saved: enter it again to save changes', 'xpay-connect-woocommerce' ) : '' )
					);
				} elseif ( isset( $property['enum'] ) && is_array( $property['enum'] ) ) {
					printf( '<select id="%1$s" name="%2$s">', esc_attr( $id ), esc_attr( $field ) );
					foreach ( $property['enum'] as $option ) {
						printf( '<option value="%1$s"%2$s>%3$s</option>', esc_attr( (string) $option ), selected( (string) ( $config[ $key ] ?? $property['default'] ?? '' ), (string) $option, false ), esc_html( (string) $option ) );
					}
					echo '</select>';
				} else {
					$type = in_array( (string) ( $property['type'] ?? '' ), array( 'integer', 'number' ), true ) ? 'number' : ( 'uri' === ( $property['format'] ?? '' ) ? 'url' : 'text' );
					printf(
						'<input type="%1$s" class="regular-text" id="%2$s" name="%3$s" value="%4$s" />',
						esc_attr( $type ),
						esc_attr( $id ),
						esc_attr( $field ),
						esc_attr( isset( $config[ $key ] ) && is_scalar( $config[ $key ] ) ? (string) $config[ $key ] : '' )
					);
				}
				if ( ! empty( $property['description'] ) ) {
					echo '<p class="description">' . esc_html( (string) $property['description'] ) . '</p>';
				}
				echo '</td></tr>';
			}
			echo '</tbody></table>';
			printf(
				'<p><button type="submit" class="button" formaction="%1$s" formnovalidate>%2$s</button></p>',
				esc_url(
					add_query_arg(
						array(
							'action'  => 'xpay_connect_gateway',
							'gateway' => $name,
						),
						$post_url
					)
				),
				/* translators: %s: gateway title. */
				esc_html( sprintf( null !== $account ? __( 'Save %s', 'xpay-connect-woocommerce' ) : __( 'Add %s', 'xpay-connect-woocommerce' ), (string) ( $row['title'] ?? $name ) ) )
			);
		}
	}
}
