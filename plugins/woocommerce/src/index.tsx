// The checkout-block entry point: registers the plugin's payment methods with WooCommerce (see registerAll).
import { registerAll } from "./methods";

registerAll();
