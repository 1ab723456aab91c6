import QRCode from "qrcode";

/**
 * The picture of a QR payment's code, as an `<img>` can show it: an SVG data URL drawn by the
 * `qrcode` library from the text the gateway gave to scan (xPay KG's `qr_code` link). A data URL,
 * not markup, so the page never parses gateway text as HTML.
 */
export async function qrImage(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
}

/** An order view with its QR drawn, when its next step is a QR to scan. */
export async function withQrImage<T extends { next_action: { type: string; qr_data: string | null } | null }>(order: T): Promise<T & { qr_image: string | null }> {
  const data = order.next_action?.type === "qr" ? order.next_action.qr_data : null;
  return { ...order, qr_image: data ? await qrImage(data) : null };
}
