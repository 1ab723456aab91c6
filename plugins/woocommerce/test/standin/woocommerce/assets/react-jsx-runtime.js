/* global window */
/**
 * Stand-in for the react-jsx-runtime script WordPress registers from 6.6 (WooCommerce 9.x registers a polyfill on 6.5):
 * window.ReactJSXRuntime = { jsx, jsxs, Fragment } over window.React.createElement.
 */
( function () {
	var React = window.React;
	function jsx( type, props, key ) {
		var config = Object.assign( {}, props );
		if ( key !== undefined ) {
			config.key = key;
		}
		return React.createElement( type, config );
	}
	window.ReactJSXRuntime = { jsx: jsx, jsxs: jsx, Fragment: React.Fragment };
} )();
