/* global window */
/**
 * Stand-in (a model of WooCommerce 9.4.3's wc-settings script): window.wc.wcSettings with getSetting(name, fallback,
 * filter). Like WooCommerce's, a name ending in "_data" that is not a top-level setting falls back to
 * wcSettings.paymentMethodData[name without "_data"].
 */
( function () {
	var all = typeof window.wcSettings === 'object' && window.wcSettings ? window.wcSettings : {};
	function getSetting( name, fallback, filter ) {
		var value = fallback;
		filter = filter || function ( v, f ) { return v !== undefined ? v : f; };
		if ( Object.prototype.hasOwnProperty.call( all, name ) ) {
			value = all[ name ];
		} else if ( name.indexOf( '_data' ) !== -1 ) {
			var methods = all.paymentMethodData || {};
			var key = name.replace( '_data', '' );
			value = Object.prototype.hasOwnProperty.call( methods, key ) ? methods[ key ] : fallback;
		}
		return filter( value, fallback );
	}
	window.wc = window.wc || {};
	window.wc.wcSettings = { getSetting: getSetting, allSettings: all, getSettingWithCoercion: function ( n, f, t ) { var v = getSetting( n, f ); return t( v ) ? v : f; } };
} )();
