// UI strings for the payment layer (the local test-payment page).
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
