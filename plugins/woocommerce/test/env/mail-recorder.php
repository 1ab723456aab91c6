<?php
/**
 * Plugin Name: xpay-connect test mail recorder
 * Description: Test environment only. No sendmail here: every wp_mail() is recorded as one JSON line
 * in XPAY_TEST_MAIL_LOG and reported as sent.
 */
add_filter(
	'pre_wp_mail',
	static function ( $short_circuit, $atts ) {
		if ( defined( 'XPAY_TEST_MAIL_LOG' ) ) {
			$to = $atts['to'];
			file_put_contents(
				XPAY_TEST_MAIL_LOG,
				wp_json_encode(
					array(
						'to'          => is_array( $to ) ? array_values( $to ) : array_map( 'trim', explode( ',', (string) $to ) ),
						'subject'     => (string) $atts['subject'],
						'message'     => (string) $atts['message'],
						'headers'     => $atts['headers'],
						'attachments' => $atts['attachments'],
					)
				) . "\n",
				FILE_APPEND | LOCK_EX
			);
		}
		return true;
	},
	10,
	2
);
