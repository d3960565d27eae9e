// UI strings for the payment layer (the local test-payment page).
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }

export const paymentsZh = {
  testTitle: '测试支付',
  testBanner: '测试支付 / Test payment — no money moves',
  testExplain: '这是本地测试支付页面，不会产生任何真实扣款。选择“确认支付”模拟付款成功，或“拒绝支付”模拟付款失败。',
  amount: '金额',
  purpose: '用途',
  description: '说明',
  status: '状态',
  approve: '确认支付',
  decline: '拒绝支付',
  continue: '继续',
  purposes: { brand_deposit: '品牌保证金', order: '订单', customer_order: '订单' },
  statuses: {
    pending: '待支付',
    succeeded: '已支付',
    failed: '支付失败',
    expired: '已过期',
    refunded: '已退款',
    partially_refunded: '部分退款',
  },
  alreadyDone: '这笔支付已处理，无需再次操作。',
} as const

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
