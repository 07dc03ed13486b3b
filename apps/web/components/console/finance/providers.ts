/** Provider and status names as finance reads them. */
export const PROVIDER_NAMES: Record<string, string> = {
  sandbox: 'Sandbox (test)',
  stripe: 'Card (Stripe)',
  mtn_momo: 'MTN MoMo',
  airtel_money: 'Airtel Money',
};

export const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed', 'refunded'] as const;

export const REFUND_STATUS_TEXT: Record<string, string> = {
  succeeded: 'Sent to the provider',
  manual: 'Manual: return the money by hand',
  pending: 'Not confirmed yet: send the same refund again',
  failed: 'Refused by the provider',
};
