/* global window */
/**
 * Stand-in (a model of WooCommerce 9.4.3's wc-blocks-registry script): registerPaymentMethod and
 * registerExpressPaymentMethod keep the configurations; like WooCommerce's, a configuration needs name, label, content,
 * edit, canMakePayment and ariaLabel, and paymentMethodId defaults to name. getPaymentMethods() returns them.
 */
( function () {
	var methods = {};
	var express = {};
	function check( config ) {
		[ 'name', 'label', 'content', 'edit', 'canMakePayment', 'ariaLabel' ].forEach( function ( key ) {
			if ( config[ key ] === undefined ) {
				throw new TypeError( 'The ' + key + ' property for the payment method must be defined.' );
			}
		} );
		if ( typeof config.canMakePayment !== 'function' ) {
			throw new TypeError( 'The canMakePayment property for the payment method must be a function.' );
		}
	}
	function registerPaymentMethod( config ) {
		check( config );
		var registered = Object.assign( { paymentMethodId: config.name, supports: { features: [ 'products' ] } }, config );
		methods[ registered.name ] = registered;
	}
	window.wc = window.wc || {};
	window.wc.wcBlocksRegistry = {
		registerPaymentMethod: registerPaymentMethod,
		registerExpressPaymentMethod: function ( config ) { express[ config.name ] = config; },
		getPaymentMethods: function () { return methods; },
		getExpressPaymentMethods: function () { return express; },
	};
} )();
