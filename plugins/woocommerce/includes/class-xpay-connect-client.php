<?php
/**
 * A small client for the xpay-connect service's /v1 API.
 *
 * Never logs: request bodies carry customer data and the key is a secret.
 *
 * @package Xpay_Connect
 */

defined( 'ABSPATH' ) || exit;

/**
 * JSON over wp_remote_request, with the merchant's API key and idempotency keys.
 */
class Xpay_Connect_Client {

	/**
	 * Service base URL, without a trailing slash.
	 *
	 * @var string
	 */
	private $base_url;

	/**
	 * The merchant's API key.
	 *
	 * @var string
	 */
	private $api_key;

	/**
	 * Seconds before a request gives up.
	 *
	 * @var int
	 */
	private $timeout;

	/**
	 * A client.
	 *
	 * @param string $base_url Service URL (http://127.0.0.1:4000).
	 * @param string $api_key  The merchant's API key.
	 * @param int    $timeout  Seconds.
	 */
	public function __construct( string $base_url, string $api_key, int $timeout = 20 ) {
		$this->base_url = untrailingslashit( $base_url );
		$this->api_key  = $api_key;
		$this->timeout  = $timeout;
	}

	/**
	 * The client for the stored settings.
	 *
	 * @return self
	 */
	public static function from_settings(): self {
		return new self( (string) get_option( 'xpay_connect_service_url', '' ), (string) get_option( 'xpay_connect_api_key', '' ) );
	}

	/**
	 * Whether a string is an absolute http(s) URL (the service may live on a private address, so this is
	 * not wp_http_validate_url, which refuses those).
	 *
	 * @param string $url URL.
	 * @return bool
	 */
	public static function is_http_url( string $url ): bool {
		$parts = wp_parse_url( $url );
		return false !== filter_var( $url, FILTER_VALIDATE_URL ) && is_array( $parts ) && in_array( strtolower( (string) ( $parts['scheme'] ?? '' ) ), array( 'http', 'https' ), true ) && ! empty( $parts['host'] );
	}

	/**
	 * Whether a URL and key are set.
	 *
	 * @return bool
	 */
	public function is_configured(): bool {
		return '' !== $this->base_url && '' !== $this->api_key;
	}

	/**
	 * GET a path.
	 *
	 * @param string               $path  Path under the base URL (/v1/gateways).
	 * @param array<string, mixed> $query Query parameters.
	 * @return array<string, mixed>|WP_Error
	 */
	public function get( string $path, array $query = array() ) {
		if ( $query ) {
			$path = add_query_arg( array_map( 'rawurlencode', $query ), $path );
		}
		return $this->request( 'GET', $path );
	}

	/**
	 * POST a JSON body.
	 *
	 * @param string               $path            Path.
	 * @param array<string, mixed> $body            Body.
	 * @param string|null          $idempotency_key Idempotency-Key.
	 * @return array<string, mixed>|WP_Error
	 */
	public function post( string $path, array $body, ?string $idempotency_key = null ) {
		return $this->request( 'POST', $path, $body, $idempotency_key );
	}

	/**
	 * PUT a JSON body.
	 *
	 * @param string               $path Path.
	 * @param array<string, mixed> $body Body.
	 * @return array<string, mixed>|WP_Error
	 */
	public function put( string $path, array $body ) {
		return $this->request( 'PUT', $path, $body );
	}

	/**
	 * One request. A 2xx answers the decoded JSON (with `_status`); anything else a WP_Error whose code is
	 * the service's error code, message its message, and data {status, field, body}.
	 *
	 * @param string                    $method          HTTP method.
	 * @param string                    $path            Path.
	 * @param array<string, mixed>|null $body            JSON body.
	 * @param string|null               $idempotency_key Idempotency-Key.
	 * @return array<string, mixed>|WP_Error
	 */
	public function request( string $method, string $path, ?array $body = null, ?string $idempotency_key = null ) {
		if ( ! $this->is_configured() ) {
			return new WP_Error( 'xpay_connect_not_configured', __( 'xpay-connect is not connected: set the service URL and API key.', 'xpay-connect-woocommerce' ), array( 'status' => 0 ) );
		}
		$headers = array(
			'Authorization' => 'Bearer ' . $this->api_key,
			'Accept'        => 'application/json',
		);
		$args    = array(
			'method'      => $method,
			'timeout'     => $this->timeout,
			'redirection' => 0,
			'headers'     => $headers,
		);
		if ( null !== $body ) {
			$args['headers']['Content-Type'] = 'application/json';
			$args['body']                    = wp_json_encode( (object) $body );
		}
		if ( null !== $idempotency_key ) {
			$args['headers']['Idempotency-Key'] = $idempotency_key;
		}
		$response = wp_remote_request( $this->base_url . $path, $args );
		if ( is_wp_error( $response ) ) {
			return new WP_Error(
				'xpay_connect_unreachable',
				/* translators: %s: the HTTP library's error message. */
				sprintf( __( 'The xpay-connect service could not be reached: %s', 'xpay-connect-woocommerce' ), $response->get_error_message() ),
				array( 'status' => 0 )
			);
		}
		$status  = (int) wp_remote_retrieve_response_code( $response );
		$decoded = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		if ( $status >= 200 && $status < 300 ) {
			if ( ! is_array( $decoded ) ) {
				return new WP_Error( 'xpay_connect_bad_answer', __( 'The xpay-connect service answered something that is not JSON.', 'xpay-connect-woocommerce' ), array( 'status' => $status ) );
			}
			$decoded['_status'] = $status;
			return $decoded;
		}
		$error = is_array( $decoded ) && isset( $decoded['error'] ) && is_array( $decoded['error'] ) ? $decoded['error'] : array();
		$code  = isset( $error['code'] ) && is_string( $error['code'] ) ? $error['code'] : 'http_' . $status;
		/* translators: %d: HTTP status code. */
		$message = isset( $error['message'] ) && is_string( $error['message'] ) ? $error['message'] : sprintf( __( 'The xpay-connect service answered HTTP %d.', 'xpay-connect-woocommerce' ), $status );
		return new WP_Error(
			$code,
			$message,
			array(
				'status' => $status,
				'field'  => isset( $error['field'] ) && is_string( $error['field'] ) ? $error['field'] : null,
				'error'  => $error,
			)
		);
	}
}
