// The English of payments.ts, key for key (the Chinese is the reference, its keys are checked here).
import type { Widen } from '../widen'
import type { paymentsZh } from './payments'

export const paymentsEn: Widen<typeof paymentsZh> = {
  testTitle: 'Test payment',
  testBanner: '测试支付 / Test payment — no money moves',
  testExplain:
    'This is the local test-payment page: no real charge is made. Choose "Approve" to simulate a successful payment, or "Decline" to simulate a failed one.',
  amount: 'Amount',
  purpose: 'For',
  description: 'Description',
  status: 'Status',
  approve: 'Approve',
  decline: 'Decline',
  continue: 'Continue',
  purposes: { brand_deposit: 'Brand deposit', order: 'Order', customer_order: 'Order' },
  statuses: {
    pending: 'Awaiting payment',
    succeeded: 'Paid',
    failed: 'Payment failed',
    expired: 'Expired',
    refunded: 'Refunded',
    partially_refunded: 'Partially refunded',
  },
  alreadyDone: 'This payment has already been handled; nothing more to do.',
}
