import { z } from "zod";

// Xpress Pay's own shapes (spec 000). Amounts are decimal strings of rupees.

/** The spec's paths. */
export const PATHS = {
  payInCreate: "/api/v2/payment/order/create",
  payoutCreate: "/api/v2/payout/order/create",
  payInQuery: "/api/v2/payment/order/query",
  payoutQuery: "/api/v2/payout/order/query",
  balance: "/api/v2/merchant/balance",
} as const;

/** `orderStatus` values (spec 000): 1 unpaid / processing, 2 paid / completed, 4 cancelled / expired. */
export const OrderStatus = z.enum(["1", "2", "4"]);
/** An `orderStatus` the spec names. */
export type OrderStatus = z.infer<typeof OrderStatus>;

/** The two wallets, as the gateway names them. */
export const CHANNELS = ["EASYPAISA", "JAZZCASH"] as const;
/** A wallet channel. */
export type Channel = (typeof CHANNELS)[number];

/** The pay-in create request body. */
export interface PayInCreateBody {
  appId: string;
  merOrderNo: string;
  amount: string;
  channel: Channel;
  customerMobile?: string;
  customerName: string;
  customerEmail?: string;
  notifyUrl: string;
  returnUrl?: string;
}

/** The payout create request body. */
export interface PayoutCreateBody {
  appId: string;
  merOrderNo: string;
  amount: string;
  channel: Channel;
  recipientMobile: string;
  recipientName: string;
  recipientEmail?: string;
  notifyUrl: string;
}

/** Every answer carries `code` and `msg`; `code` 0 (create) or 200 (balance) means success. */
export const Envelope = z.object({
  code: z.union([z.number(), z.string()]),
  msg: z.string().optional().nullable(),
  data: z.unknown().optional(),
});

/** `data` of a pay-in create answer. */
export const PayInCreated = z.object({
  orderNo: z.string().min(1),
  params: z.object({ paymentLink: z.string().min(1) }),
});

/** Payout create answers `data.orderNo` (and may omit params). */
export const PayoutCreated = z.object({
  orderNo: z.string().min(1),
  orderStatus: z.union([z.string(), z.number()]).optional(),
});

/** Query answer (pay-in and payout alike): the callback's fields. */
export const OrderQueried = z.object({
  merOrderNo: z.string(),
  orderNo: z.string(),
  amount: z.string(),
  currency: z.string().default("PKR"),
  orderStatus: z.union([z.string(), z.number()]).transform(String),
});

/** `data` of the balance answer: values in rupees, numbers in the example. */
export const BalanceData = z.object({
  currency: z.string(),
  payinValue: z.union([z.number(), z.string()]),
  payoutValue: z.union([z.number(), z.string()]),
  disableValue: z.union([z.number(), z.string()]),
});

/** Result callback for pay-ins and payouts. */
export const ResultCallback = z.object({
  appId: z.string(),
  merOrderNo: z.string().min(1),
  orderNo: z.string().min(1),
  amount: z.string(),
  currency: z.string(),
  orderStatus: z.union([z.string(), z.number()]).transform(String),
});

/** Recall (dispute) notice. */
export const RecallCallback = z.object({
  appId: z.string(),
  merOrderNo: z.string().min(1),
  orderNo: z.string().min(1),
  recallAmount: z.string(),
  currency: z.string(),
  reason: z.string().optional().default(""),
});

/** A parsed result callback. */
export type ResultCallback = z.infer<typeof ResultCallback>;
