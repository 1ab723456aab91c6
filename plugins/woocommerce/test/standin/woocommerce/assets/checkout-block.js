/* global window, document */
/**
 * The stand-in's checkout block: NOT WooCommerce's Checkout block, a small model of how it drives payment methods
 * (WooCommerce 9.4.3 assets/js/blocks/checkout and base/context/providers/cart-checkout/payment-events), enough to
 * place orders through the payment methods a plugin registers with registerPaymentMethod():
 * - GET /wc/store/v1/cart gives Cart-Token, Nonce and the gateways the server allows (cart.payment_methods), and a
 *   changed billing country is sent to cart/update-customer, which answers them again; a method is
 *   shown when it is registered, listed there, and its canMakePayment({ cart, cartTotals, billingAddress (the cart's
 *   customer billing address), ... }) (value or promise) is truthy, in
 *   wcSettings.paymentMethodSortOrder order;
 * - the label element is rendered with { components }, the selected method's content element with the props
 *   WooCommerce passes (activePaymentMethod, billing, eventRegistration, emitResponse, components, onSubmit, ...);
 * - Place Order runs onCheckoutValidation observers, then the active method's onPaymentSetup observers (priority
 *   order, default 10); an error/failure response shows its message and stops; success meta.paymentMethodData becomes
 *   payment_data [{key, value}] for POST /wc/store/v1/checkout; a redirect_url in payment_result is followed, an
 *   error's message is shown in the notice area (role=alert).
 */
( function () {
	var el = window.wp.element;
	var h = el.createElement;
	var settings = window.wc.wcSettings;
	var registry = window.wc.wcBlocksRegistry;
	var root = settings.getSetting( 'storeApiRoot', '/wp-json/wc/store/v1/' );
	var RESPONSE = { SUCCESS: 'success', FAIL: 'failure', ERROR: 'error' };
	var CONTEXTS = { PAYMENTS: 'wc/payment-area', EXPRESS_PAYMENTS: 'wc/express-payment-area', CHECKOUT: 'wc/checkout' };
	var observers = { onPaymentSetup: [], onCheckoutValidation: [], onCheckoutSuccess: [], onCheckoutFail: [] };
	var session = { token: '', nonce: settings.getSetting( 'storeApiNonce', '' ) };

	function subscribe( list ) {
		return function ( cb, priority ) {
			var entry = { cb: cb, priority: priority === undefined ? 10 : priority };
			observers[ list ].push( entry );
			return function () {
				observers[ list ] = observers[ list ].filter( function ( e ) { return e !== entry; } );
			};
		};
	}
	var eventRegistration = {
		onPaymentSetup: subscribe( 'onPaymentSetup' ),
		onPaymentProcessing: subscribe( 'onPaymentSetup' ),
		onCheckoutValidation: subscribe( 'onCheckoutValidation' ),
		onCheckoutValidationBeforeProcessing: subscribe( 'onCheckoutValidation' ),
		onCheckoutSuccess: subscribe( 'onCheckoutSuccess' ),
		onCheckoutAfterProcessingWithSuccess: subscribe( 'onCheckoutSuccess' ),
		onCheckoutFail: subscribe( 'onCheckoutFail' ),
		onCheckoutAfterProcessingWithError: subscribe( 'onCheckoutFail' ),
		onShippingRateSuccess: function () { return function () {}; },
		onShippingRateFail: function () { return function () {}; },
		onShippingRateSelectSuccess: function () { return function () {}; },
		onShippingRateSelectFail: function () { return function () {}; },
	};
	function run( list ) {
		var sorted = observers[ list ].slice().sort( function ( a, b ) { return a.priority - b.priority; } );
		return sorted.reduce( function ( p, entry ) {
			return p.then( function ( results ) {
				return Promise.resolve( entry.cb() ).then( function ( r ) { return results.concat( [ r ] ); } );
			} );
		}, Promise.resolve( [] ) );
	}
	function api( method, path, body ) {
		var headers = { 'Content-Type': 'application/json', Nonce: session.nonce };
		if ( session.token ) {
			headers[ 'Cart-Token' ] = session.token;
		}
		return window.fetch( root + path, { method: method, headers: headers, credentials: 'same-origin', body: body ? JSON.stringify( body ) : undefined } ).then( function ( res ) {
			session.token = res.headers.get( 'Cart-Token' ) || session.token;
			session.nonce = res.headers.get( 'Nonce' ) || session.nonce;
			return res.json().then( function ( json ) { return { status: res.status, body: json }; } );
		} );
	}
	function ValidationInputError( props ) {
		return props.errorMessage ? h( 'div', { className: 'wc-block-components-validation-error', role: 'alert' }, h( 'p', null, props.errorMessage ) ) : null;
	}
	function PaymentMethodLabel( props ) {
		return h( 'span', { className: 'wc-block-components-payment-method-label' }, props.text );
	}
	function PaymentMethodIcons() { return null; }
	function LoadingMask( props ) { return h( 'div', null, props.children ); }
	var components = { ValidationInputError: ValidationInputError, PaymentMethodLabel: PaymentMethodLabel, PaymentMethodIcons: PaymentMethodIcons, LoadingMask: LoadingMask };

	var FIELDS = [
		[ 'email', 'Email address', 'email' ],
		[ 'first_name', 'First name', 'text' ],
		[ 'last_name', 'Last name', 'text' ],
		[ 'address_1', 'Address', 'text' ],
		[ 'city', 'City', 'text' ],
		[ 'state', 'State / County', 'text' ],
		[ 'country', 'Country/Region', 'text' ],
		[ 'phone', 'Phone (optional)', 'tel' ],
	];

	function Checkout() {
		var s = el.useState( null ), cart = s[ 0 ], setCart = s[ 1 ];
		var m = el.useState( [] ), methods = m[ 0 ], setMethods = m[ 1 ];
		var a = el.useState( '' ), active = a[ 0 ], setActive = a[ 1 ];
		var b = el.useState( { country: settings.getSetting( 'defaultCountry', '' ) } ), billing = b[ 0 ], setBilling = b[ 1 ];
		var n = el.useState( '' ), notice = n[ 0 ], setNotice = n[ 1 ];
		var p = el.useState( 'idle' ), status = p[ 0 ], setStatus = p[ 1 ];

		function loadMethods( promise ) {
			promise.then( function ( res ) {
				var data = res.body;
				setCart( data );
				var order = settings.getSetting( 'paymentMethodSortOrder', [] );
				var registered = registry.getPaymentMethods();
				var candidates = order.filter( function ( id ) { return registered[ id ] && data.payment_methods.indexOf( id ) !== -1; } );
				var arg = { cart: data, cartTotals: data.totals, cartNeedsShipping: false, billingAddress: data.billing_address, billingData: data.billing_address, shippingAddress: {}, selectedShippingMethods: {}, paymentRequirements: [ 'products' ], paymentMethods: data.payment_methods };
				Promise.all( candidates.map( function ( id ) {
					return Promise.resolve( registered[ id ].canMakePayment( arg ) ).then( function ( ok ) { return ok && ok.error === undefined ? id : ( ok === true ? id : null ); }, function () { return null; } );
				} ) ).then( function ( ids ) {
					var shown = ids.filter( Boolean );
					setMethods( shown );
					setActive( function ( current ) { return shown.indexOf( current ) !== -1 ? current : shown[ 0 ] || ''; } );
				} );
			} );
		}
		el.useEffect( function () {
			loadMethods( api( 'GET', 'cart' ) );
		}, [] );
		// Like the Checkout block: a changed billing country updates the customer, and the payment methods follow.
		el.useEffect( function () {
			if ( cart && billing.country ) {
				loadMethods( api( 'POST', 'cart/update-customer', { billing_address: { country: billing.country } } ) );
			}
		}, [ billing.country ] );

		if ( ! cart ) {
			return h( 'p', { className: 'wc-standin-loading' }, 'Loading…' );
		}
		var registered = registry.getPaymentMethods();
		var totals = cart.totals;
		var billingProps = {
			billingAddress: billing,
			billingData: billing,
			cartTotal: { label: 'Total', value: parseInt( totals.total_price, 10 ) },
			currency: { code: totals.currency_code, minorUnit: totals.currency_minor_unit, symbol: totals.currency_symbol, prefix: totals.currency_symbol, suffix: '', decimalSeparator: '.', thousandSeparator: ',' },
			cartTotalItems: [],
			displayPricesIncludingTax: false,
			appliedCoupons: [],
			customerId: 0,
		};

		function placeOrder( e ) {
			e.preventDefault();
			setNotice( '' );
			setStatus( 'processing' );
			run( 'onCheckoutValidation' ).then( function ( results ) {
				var invalid = results.filter( function ( r ) { return r === false || ( r && r.errorMessage ); } );
				if ( invalid.length ) {
					throw new Error( ( invalid[ 0 ] && invalid[ 0 ].errorMessage ) || 'Please check the form.' );
				}
				return run( 'onPaymentSetup' );
			} ).then( function ( results ) {
				var data = {};
				for ( var i = 0; i < results.length; i++ ) {
					var r = results[ i ];
					if ( r && ( r.type === RESPONSE.ERROR || r.type === RESPONSE.FAIL ) ) {
						throw new Error( r.message || 'There was a problem with your payment option.' );
					}
					if ( r && r.meta && r.meta.paymentMethodData ) {
						Object.assign( data, r.meta.paymentMethodData );
					}
				}
				return api( 'POST', 'checkout', {
					billing_address: billing,
					payment_method: active,
					payment_data: Object.keys( data ).map( function ( key ) { return { key: key, value: data[ key ] }; } ),
				} );
			} ).then( function ( res ) {
				var body = res.body;
				if ( body.payment_result && body.payment_result.redirect_url && body.payment_result.payment_status !== 'failure' && body.payment_result.payment_status !== 'error' ) {
					setStatus( 'redirecting' );
					window.location.href = body.payment_result.redirect_url;
					return;
				}
				throw new Error( body.message || 'There was a problem processing your order.' );
			} ).catch( function ( err ) {
				setStatus( 'idle' );
				setNotice( err.message );
			} );
		}

		return h( 'form', { className: 'wc-block-checkout__form', onSubmit: placeOrder, noValidate: true },
			notice ? h( 'div', { className: 'wc-block-components-notice-banner is-error', role: 'alert' }, notice ) : null,
			h( 'fieldset', { className: 'wc-block-checkout__contact-fields' },
				FIELDS.map( function ( f ) {
					// As WooCommerce's Checkout block: the contact email is #email, the address fields #billing-<key>.
					var id = 'email' === f[ 0 ] ? 'email' : 'billing-' + f[ 0 ];
					return h( 'div', { key: id, className: 'wc-block-components-text-input' },
						h( 'label', { htmlFor: id }, f[ 1 ] ),
						h( 'input', { id: id, type: f[ 2 ], value: billing[ f[ 0 ] ] || '', onChange: function ( ev ) { var v = ev.target.value; setBilling( function ( old ) { var c = Object.assign( {}, old ); c[ f[ 0 ] ] = v; return c; } ); } } ) );
				} ) ),
			h( 'fieldset', { className: 'wc-block-checkout__payment-method' },
				h( 'legend', null, 'Payment options' ),
				methods.length ? null : h( 'p', { className: 'wc-standin-no-methods' }, 'There are no payment methods available.' ),
				methods.map( function ( id ) {
					var config = registered[ id ];
					return h( 'div', { key: id, className: 'wc-block-components-radio-control-accordion-option' },
						h( 'label', { htmlFor: 'radio-control-wc-payment-method-options-' + id },
							h( 'input', { type: 'radio', id: 'radio-control-wc-payment-method-options-' + id, name: 'radio-control-wc-payment-method-options', value: id, checked: active === id, onChange: function () { setActive( id ); }, 'aria-label': config.ariaLabel } ),
							el.cloneElement( config.label, { components: components } ) ),
						active === id ? h( 'div', { className: 'wc-block-components-radio-control-accordion-content' },
							el.cloneElement( config.content, {
								activePaymentMethod: active,
								billing: billingProps,
								cartData: { cartItems: cart.items, cartFees: [], extensions: {} },
								checkoutStatus: { isCalculating: false, isComplete: false, isIdle: status === 'idle', isProcessing: status === 'processing' },
								components: components,
								emitResponse: { noticeContexts: CONTEXTS, responseTypes: RESPONSE },
								eventRegistration: eventRegistration,
								onSubmit: function () {},
								paymentStatus: { isIdle: status === 'idle', isProcessing: status === 'processing' },
								setExpressPaymentError: function () {},
								shippingData: { needsShipping: false },
								shouldSavePayment: false,
							} ) ) : null );
				} ) ),
			h( 'button', { type: 'submit', className: 'wc-block-components-checkout-place-order-button', disabled: status !== 'idle' || ! active }, ( active && registered[ active ] && registered[ active ].placeOrderButtonLabel ) || 'Place Order' ) );
	}

	function mount() {
		var node = document.getElementById( 'wc-standin-checkout-block' );
		if ( ! node ) {
			return;
		}
		if ( el.createRoot ) {
			el.createRoot( node ).render( h( Checkout ) );
		} else {
			el.render( h( Checkout ), node );
		}
	}
	if ( document.readyState === 'loading' ) {
		document.addEventListener( 'DOMContentLoaded', mount );
	} else {
		mount();
	}
} )();
