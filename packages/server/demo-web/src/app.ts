/**
 * The demo store's browser code, loaded by its pages as an ES module from /demo/assets/app.js.
 * It only calls /demo/api: no key or secret ever reaches the browser.
 */
import { initOrder } from "./order.js";
import { initStore } from "./store.js";

const view = document.body.dataset.view;
if (view === "order") void initOrder(document.body.dataset.ref ?? "");
else if (view === "store") void initStore();
