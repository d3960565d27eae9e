// A reseller's customers ordering on her pages, their private order page, and her side of it.
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }

export const customerOrdersZh = {
  bag: {
    title: '购物袋', add: '加入购物袋', added: '已加入购物袋', colour: '颜色', size: '尺码', quantity: '数量', empty: '购物袋是空的。', remove: '删除',
    total: '合计', units: '共 {{n}} 件', capNote: '每个手机号限购 {{cap}} 件', soldOut: '已抢光', choose: '请选择颜色和尺码', notLive: '开售后才能下单', open: '查看购物袋',
  },
  form: {
    title: '收货信息', name: '收货人', phone: '手机号', region: '省 / 市 / 区', line: '详细地址', email: '邮箱（选填，接收订单链接）',
    submit: '提交订单并付款', holdNote: '提交后商品为你保留 15 分钟，请在倒计时内付款。无需注册。',
  },
  refusal: {
    sold_out: '{{item}} 已抢光或库存不足。', cap_exceeded: '{{item}} 每个手机号限购 {{cap}} 件。', session_closed: '{{item}} 不在开售时间内。',
    item_unavailable: '部分商品暂时无法购买，请联系店主。', too_many_open_orders: '你还有未付款的订单，请先付款或等它过期。',
    invalid_mobile: '请填写正确的手机号。', shop_unavailable: '这个页面已不再接受下单。', unknown_item: '商品不存在或已下架。', empty_checkout: '购物袋是空的。',
    payment_unavailable: '暂时无法发起支付，请稍后在订单页重试。', order_state: '订单当前状态不允许这个操作。', after_sale_window: '已过售后期限或订单状态不允许售后。',
    after_sale_open: '这个包裹已有处理中的售后申请。', refund_too_large: '退款数量超过可退数量。', busy: '下单的人太多，请稍后再试。', generic: '操作未完成，请稍后再试。',
  },
  errors: { required: '请填写此项。', tooLong: '内容过长。', phone: '请填写正确的手机号。', email: '邮箱格式不正确。', invalid: '内容不正确。', bag: '请先把商品加入购物袋。' },
  order: {
    title: '我的订单', privateNote: '这是你的专属订单链接，请收藏，不要转发给别人。', payBy: '请在此时间内付款', pay: '去付款',
    paidThanks: '付款成功，品牌会在 24 小时内发货。', closed: '订单已关闭（超时未付款）。', total: '实付', refunded: '已退款', parcel: '包裹 · {{brand}}',
    carrier: '快递公司', tracking: '快递单号', notShipped: '等待发货', receive: '确认收货', received: '已确认收货', afterSale: '申请退款 / 退货',
    kind: '类型', refund: '仅退款', returnRefund: '退货退款', reason: '原因', photos: '照片（选填，最多 3 张）', quantity: '退几件', submit: '提交申请',
    opened: '售后申请已提交，平台会尽快处理，退款原路退回。', requests: '售后', shipTo: '收货信息', contact: '联系店主 {{name}}', wechat: '微信', phone: '电话',
    afterSaleUntil: '售后截止 {{date}}', requestStatus: { open: '处理中', approved: '已同意', rejected: '已拒绝' }, refundStatus: { pending: '退款中', succeeded: '已退款', failed: '退款处理中' },
  },
  reseller: {
    nav: '客户订单', title: '客户订单', points: '成长值 +{{n}}', none: '还没有客户下单。把转发链接发给客户，他们就能直接下单付款。', customer: '客户', items: '商品', status: '状态',
    tracking: '物流', total: '客户实付', markup: '你赚', state: { pending_payment: '待付款', paid: '已付款', closed: '已关闭' },
    customers: '我的客户', orders: '订单', paid: '累计实付', lastAt: '最近下单', links: '转发效果', views: '浏览', ordersCount: '成交单数', units: '售出件数',
    alerts: '价格提醒', alertText: '{{title}}：你的零售价 {{price}} 已{{why}}，客户无法购买，共拒绝 {{n}} 次。请重新定价。',
    alertWhy: { below_min_retail: '低于品牌最低零售价', below_own_price: '低于你当前的拿货价' },
    earnings: '我的收益', pending: '待结算', available: '可提现', reversed: '已冲回', history: '收益明细', noEarnings: '客户付款后，这里会出现每件商品的收益。',
    kind: { earning: '收益', reversal: '退款冲回' }, lineState: { pending: '售后期内', available: '已可提现', reversed: '已全部冲回' },
    availableAt: '{{date}} 起可提现', singleLevel: '收益只来自你自己客户的订单：每件 = 零售价 − 你下单时的拿货价。',
  },
  brand: { sender: '寄件人' },
  admin: { customer: '小店客户（退款退给客户）' },
} as const

export const customerOrdersEn: Widen<typeof customerOrdersZh> = {
  bag: {
    title: 'Bag', add: 'Add to bag', added: 'Added to your bag', colour: 'Colour', size: 'Size', quantity: 'Quantity', empty: 'Your bag is empty.', remove: 'Remove',
    total: 'Total', units: '{{n}} items', capNote: 'Limit {{cap}} per mobile number', soldOut: 'Sold out', choose: 'Choose a colour and size', notLive: 'Orders open when the sale starts', open: 'View bag',
  },
  form: {
    title: 'Delivery', name: 'Recipient', phone: 'Mobile number', region: 'Province / city / district', line: 'Street address', email: 'E-mail (optional, for your order link)',
    submit: 'Place order and pay', holdNote: 'Your items are held for 15 minutes: pay before the countdown ends. No account needed.',
  },
  refusal: {
    sold_out: '{{item}} is sold out or not enough left.', cap_exceeded: '{{item}}: at most {{cap}} per mobile number.', session_closed: '{{item}} is not on sale right now.',
    item_unavailable: 'Some items cannot be bought right now; please contact the seller.', too_many_open_orders: 'You have unpaid orders: pay them or let them expire first.',
    invalid_mobile: 'Enter a valid mobile number.', shop_unavailable: 'This page no longer takes orders.', unknown_item: 'This item is not available.', empty_checkout: 'Your bag is empty.',
    payment_unavailable: 'Payment could not be started; try again from your order page.', order_state: 'This order cannot do that now.', after_sale_window: 'After-sales are closed for this parcel.',
    after_sale_open: 'This parcel already has an open request.', refund_too_large: 'More than is left to refund.', busy: 'Too many orders at once, try again in a moment.', generic: 'That did not work, please try again.',
  },
  errors: { required: 'Required.', tooLong: 'Too long.', phone: 'Enter a valid mobile number.', email: 'Enter a valid e-mail.', invalid: 'Not valid.', bag: 'Add something to your bag first.' },
  order: {
    title: 'Your order', privateNote: 'This is your private order link: keep it, do not share it.', payBy: 'Pay within', pay: 'Pay now',
    paidThanks: 'Paid. The brand ships within 24 hours.', closed: 'This order was closed (not paid in time).', total: 'Paid', refunded: 'Refunded', parcel: 'Parcel · {{brand}}',
    carrier: 'Carrier', tracking: 'Tracking number', notShipped: 'Waiting to ship', receive: 'Confirm receipt', received: 'Received', afterSale: 'Ask for a refund / return',
    kind: 'Type', refund: 'Refund only', returnRefund: 'Return and refund', reason: 'Reason', photos: 'Photos (optional, up to 3)', quantity: 'How many', submit: 'Send request',
    opened: 'Request sent. The platform will decide soon; refunds go back to how you paid.', requests: 'After-sales', shipTo: 'Delivery', contact: 'Contact {{name}}', wechat: 'WeChat', phone: 'Phone',
    afterSaleUntil: 'After-sales until {{date}}', requestStatus: { open: 'Open', approved: 'Approved', rejected: 'Rejected' }, refundStatus: { pending: 'Refunding', succeeded: 'Refunded', failed: 'Refund in progress' },
  },
  reseller: {
    nav: 'Customer orders', title: 'Customer orders', points: 'Growth points +{{n}}', none: 'No customer orders yet. Send your share links: customers order and pay there.', customer: 'Customer', items: 'Items', status: 'Status',
    tracking: 'Tracking', total: 'Customer paid', markup: 'You earn', state: { pending_payment: 'Unpaid', paid: 'Paid', closed: 'Closed' },
    customers: 'My customers', orders: 'Orders', paid: 'Paid in total', lastAt: 'Last order', links: 'Share links', views: 'Views', ordersCount: 'Orders', units: 'Units sold',
    alerts: 'Price alerts', alertText: '{{title}}: your price {{price}} is {{why}}, so customers could not buy it ({{n}} refused). Set a new price.',
    alertWhy: { below_min_retail: 'below the brand’s minimum retail price', below_own_price: 'below your current wholesale price' },
    earnings: 'My earnings', pending: 'Pending', available: 'Available', reversed: 'Reversed', history: 'History', noEarnings: 'Each item’s earning appears here once your customer pays.',
    kind: { earning: 'Earning', reversal: 'Refund reversal' }, lineState: { pending: 'In after-sale window', available: 'Available', reversed: 'Fully reversed' },
    availableAt: 'Available from {{date}}', singleLevel: 'You earn only from your own customers’ orders: per item, retail price − your wholesale price when they ordered.',
  },
  brand: { sender: 'Sender' },
  admin: { customer: 'Shop customer (refunds go to the customer)' },
}
