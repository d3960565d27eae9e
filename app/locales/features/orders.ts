type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }

export const ordersZh = {
  nav: { cart: '购物车', orders: '我的订单', brandOrders: '待发货', afterSales: '售后', settlements: '结算' },
  buy: {
    colour: '颜色', size: '尺码', quantity: '数量', addToCart: '加入购物车', added: '已加入购物车', fewLeft: '库存紧张', capLeft: '您还可再买 {{count}} 件', viewCart: '去购物车结算',
    notLive: '档期开始后才能抢购。', signIn: '登录后抢货', capNote: '每人限购 {{cap}} 件', chooseSku: '请选择颜色和尺码', onlyMembers: '只有会员可以下单。',
  },
  cart: {
    title: '购物车', empty: '购物车是空的，去档期里抢货吧。', subtotal: '小计', total: '合计', remove: '删除', update: '更新数量',
    notLive: '档期未开始或已结束，不能结算', shipTo: '收货地址', own: '自己', customer: '客户（一件代发）', noAddress: '还没有收货地址，',
    addAddress: '去添加地址', checkout: '提交订单（库存保留 {{minutes}} 分钟）', unitPrice: '单价', dropShipNote: '一件代发包裹内不附价格单。',
  },
  addresses: {
    title: '收货地址', own: '我的地址', customer: '客户地址（一件代发）', recipient: '收件人', phone: '电话', region: '省市区', line: '详细地址',
    kind: '类型', add: '保存地址', archive: '删除', none: '还没有地址。', saved: '地址已保存。',
  },
  orders: {
    refundNotDone: '平台正在处理，款项到账后显示“已退款”。',
    title: '我的订单', none: '还没有订单。', order: '订单', brand: '品牌', status: '状态', amount: '金额', units: '件数', placedAt: '下单时间',
    detail: '订单详情', payBy: '请在 {{time}} 前付款，超时自动取消', pay: '去付款', cancel: '取消订单', cancelNote: '同一次结算的所有订单一起取消。',
    cancelConfirm: '取消后，同一次结算的所有订单都会取消，且无法恢复。确定取消吗？', confirmReceipt: '确认已收到全部商品？确认后无法撤回。',
    confirm: '确认收货', shipTo: '收货信息', dropShip: '一件代发', carrier: '快递公司', tracking: '快递单号', shippedAt: '发货时间',
    shipBy: '发货截止', late: '已超时', lines: '商品', refunded: '已退款 {{amount}}', paymentUnavailable: '在线支付暂未开通，请稍后再试。',
    paidThanks: '付款成功，等待品牌发货。', purchaseNo: '付款单号 {{no}}',
    paymentFailed: '付款没有完成（被拒绝或中途取消），没有扣款。订单为你保留到 {{time}}：可以再点“去付款”，或换一种方式付款；不要了就取消订单。',
    paymentFailedCancelled: '付款没有完成，没有扣款；订单已取消，商品已放回。', afterSaleUntil: '售后截止：{{time}}', refunds: '退款记录',
  },
  status: {
    pending_payment: '待付款', paid: '待发货', shipped: '已发货', received: '已收货', completed: '已完成', cancelled: '已取消', refunded: '已退款',
    open: '处理中', approved: '已同意', rejected: '已拒绝', pending: '退款中', succeeded: '已退款', failed: '退款失败',
  },
  afterSale: {
    title: '申请售后', kind: '类型', refund: '仅退款', return_refund: '退货退款', reason: '原因', photos: '照片（最多 6 张，JPG/PNG/WebP，每张 5MB 以内）',
    submit: '提交申请', requests: '售后申请', closed: '已过售后期限或订单状态不允许售后。', opened: '售后申请已提交，等待平台处理。',
    photoType: '照片格式只支持 JPG、PNG、WebP。', photoSize: '每张照片不能超过 5MB。', tooManyPhotos: '最多上传 6 张照片。',
    which: '申请哪些商品（件数）', quantity: '件数', badQuantity: '请至少选择 1 件，且件数不能超过可退数量。', covers: '涉及',
  },
  brand: {
    title: '订单发货', toShip: '待发货', all: '全部订单', none: '没有待发货的订单。', ship: '发货', deadline: '发货截止（付款后24小时）',
    csvTitle: '批量发货（CSV：order_id, carrier, tracking_no）', upload: '上传 CSV', packingList: '下载配货单 CSV', csvResult: '成功 {{ok}} 行，失败 {{failed}} 行',
    row: '行', error: '错误', shipped: '已发货。',
    csvErrors: { bad_order_id: '订单号格式不对', bad_carrier: '缺少快递公司', bad_tracking: '快递单号格式不对', not_found: '找不到这个订单', not_to_ship: '订单不是待发货状态', csv_unreadable: '文件无法解析' },
  },
  admin: {
    ordersTitle: '订单总览', lateTitle: '超时未发货', noLate: '没有超时订单。', allOrders: '全部订单', member: '会员',
    afterSalesTitle: '售后处理', noRequests: '没有待处理的售后申请。', approveFull: '同意并全额退款', approveLines: '按所选件数退款', reject: '拒绝',
    rejectReason: '拒绝原因', refundQty: '退款件数', photo: '照片', decided: '已处理。',
    bought: '购买', unit: '单价', asked: '申请件数',
    unsettledTitle: '未完成的退款', unsettledHelp: '支付渠道退款失败或尚未确认。重试会使用同一个幂等键，不会重复退款。', retryRefund: '重试退款',
  },
  settlements: {
    title: '结算单', none: '还没有结算单（售后期结束后生成）。', session: '档期', paid: '成交', refunds: '退款', commission: '佣金', payable: '应付品牌',
    orders: '订单数', csv: '下载 CSV', brand: '品牌', rate: '佣金率',
  },
  refusal: {
    sold_out: '{{item}} 已抢光或库存不足。', sold_out_few: '{{item}} 库存不足，仅剩 {{left}} 件。', cap_exceeded: '{{item}} 每人限购 {{cap}} 件（含已下单和购物车中的件数）。', session_closed: '{{item}} 所在档期未开始或已结束。',
    unknown_item: '商品不存在或已下架。', empty_checkout: '没有可以结算的商品。', address_not_found: '请选择你自己的收货地址。', order_state: '订单当前状态不允许这个操作。',
    after_sale_window: '已过售后期限或订单状态不允许售后。', after_sale_open: '这个订单已有处理中的售后申请。', refund_too_large: '退款数量超过可退数量。',
    payment_unavailable: '在线支付暂未开通，请稍后再试。', ship_refused: '订单不是待发货状态。', generic: '操作未完成。',
  },
  errors: {
    invalid: '内容不正确。', quantity: '数量需为 1–99 的整数。', chooseAddress: '请选择收货地址。', required: '请填写此项。', tooLong: '内容过长。',
    phone: '请填写正确的电话号码。', tracking: '快递单号为 4–40 位字母或数字。',
  },
} as const

export const ordersEn: Widen<typeof ordersZh> = {
  nav: { cart: 'Cart', orders: 'My orders', brandOrders: 'To ship', afterSales: 'After-sales', settlements: 'Settlements' },
  buy: {
    colour: 'Colour', size: 'Size', quantity: 'Quantity', addToCart: 'Add to cart', added: 'Added to your cart', fewLeft: 'Few left', capLeft: 'you can take {{count}} more',
    viewCart: 'Go to cart', notLive: 'You can buy once the session starts.', signIn: 'Sign in to buy', capNote: 'Limit {{cap}} per member',
    chooseSku: 'Choose a colour and size', onlyMembers: 'Only members can order.',
  },
  cart: {
    title: 'Cart', empty: 'Your cart is empty. Grab something in a live session.', subtotal: 'Subtotal', total: 'Total', remove: 'Remove', update: 'Update',
    notLive: 'Session not live: cannot check out', shipTo: 'Ship to', own: 'Myself', customer: 'Customer (drop-ship)', noAddress: 'No address yet — ',
    addAddress: 'add one', checkout: 'Place order (stock held {{minutes}} minutes)', unitPrice: 'Unit price', dropShipNote: 'Drop-ship parcels carry no prices.',
  },
  addresses: {
    title: 'Addresses', own: 'My addresses', customer: 'Customer addresses (drop-ship)', recipient: 'Recipient', phone: 'Phone', region: 'Region',
    line: 'Street address', kind: 'Type', add: 'Save address', archive: 'Delete', none: 'No addresses yet.', saved: 'Address saved.',
  },
  orders: {
    refundNotDone: 'The platform is handling it; it shows “Refunded” once the money is back.',
    title: 'My orders', none: 'No orders yet.', order: 'Order', brand: 'Brand', status: 'Status', amount: 'Amount', units: 'Units', placedAt: 'Placed',
    detail: 'Order', payBy: 'Pay before {{time}} or the order is cancelled', pay: 'Pay now', cancel: 'Cancel order',
    cancelNote: 'All orders of the same checkout are cancelled together.',
    cancelConfirm: 'This cancels every order of the same checkout and cannot be undone. Cancel?', confirmReceipt: 'Did everything arrive? This cannot be undone.', confirm: 'Confirm receipt', shipTo: 'Ship to', dropShip: 'Drop-ship',
    carrier: 'Carrier', tracking: 'Tracking number', shippedAt: 'Shipped', shipBy: 'Ship by', late: 'Late', lines: 'Items', refunded: 'Refunded {{amount}}',
    paymentUnavailable: 'Online payment is not available yet, please try later.', paidThanks: 'Paid. The brand will ship soon.', purchaseNo: 'Payment no. {{no}}',
    paymentFailed: 'The payment did not go through (declined or cancelled) and nothing was charged. The order is held for you until {{time}}: press “Pay now” to try again, or cancel the order if you no longer want it.',
    paymentFailedCancelled: 'The payment did not go through and nothing was charged; the order is cancelled and the items are back on sale.',
    afterSaleUntil: 'After-sales until {{time}}', refunds: 'Refunds',
  },
  status: {
    pending_payment: 'Awaiting payment', paid: 'To ship', shipped: 'Shipped', received: 'Received', completed: 'Completed', cancelled: 'Cancelled',
    refunded: 'Refunded', open: 'Open', approved: 'Approved', rejected: 'Rejected', pending: 'Refund pending', succeeded: 'Refunded', failed: 'Refund failed',
  },
  afterSale: {
    title: 'Request after-sales', kind: 'Type', refund: 'Refund only', return_refund: 'Return and refund', reason: 'Reason',
    photos: 'Photos (up to 6, JPG/PNG/WebP, 5 MB each)', submit: 'Submit request', requests: 'After-sales requests',
    closed: 'After-sales are closed for this order.', opened: 'Request sent; the platform will handle it.',
    photoType: 'Photos must be JPG, PNG or WebP.', photoSize: 'Each photo must be 5 MB or less.', tooManyPhotos: 'At most 6 photos.',
    which: 'Which items (quantities)', quantity: 'Quantity', badQuantity: 'Choose at least 1 item, and no more than can still be refunded.', covers: 'Covers',
  },
  brand: {
    title: 'Orders to ship', toShip: 'To ship', all: 'All orders', none: 'Nothing to ship.', ship: 'Ship', deadline: 'Ship by (24 h after payment)',
    csvTitle: 'Ship in bulk (CSV: order_id, carrier, tracking_no)', upload: 'Upload CSV', packingList: 'Download packing list CSV',
    csvResult: '{{ok}} rows shipped, {{failed}} rows failed', row: 'Row', error: 'Error', shipped: 'Shipped.',
    csvErrors: { bad_order_id: 'Malformed order id', bad_carrier: 'Carrier missing', bad_tracking: 'Malformed tracking number', not_found: 'No such order', not_to_ship: 'Order is not waiting for shipment', csv_unreadable: 'File could not be read' },
  },
  admin: {
    ordersTitle: 'Orders', lateTitle: 'Late shipments', noLate: 'No late orders.', allOrders: 'All orders', member: 'Member',
    afterSalesTitle: 'After-sales', noRequests: 'No open requests.', approveFull: 'Approve, refund in full', approveLines: 'Refund the chosen quantities', reject: 'Reject',
    rejectReason: 'Reason for rejecting', refundQty: 'Refund qty', photo: 'Photo', decided: 'Done.',
    bought: 'Bought', unit: 'Unit price', asked: 'Asked for',
    unsettledTitle: 'Refunds not completed', unsettledHelp: 'The payment provider failed or has not confirmed these refunds. A retry uses the same idempotency key, so it never refunds twice.', retryRefund: 'Retry refund',
  },
  settlements: {
    title: 'Settlements', none: 'No statements yet (written after the after-sale deadline).', session: 'Session', paid: 'Paid', refunds: 'Refunds',
    commission: 'Commission', payable: 'Payable to brand', orders: 'Orders', csv: 'Download CSV', brand: 'Brand', rate: 'Rate',
  },
  refusal: {
    sold_out: '{{item}} is sold out or not enough is left.', sold_out_few: '{{item}}: only {{left}} left.', cap_exceeded: '{{item}}: at most {{cap}} per member (orders and cart together).',
    session_closed: "{{item}}: the session isn't live.", unknown_item: 'This item is not for sale.', empty_checkout: 'Nothing to check out.',
    address_not_found: 'Choose one of your addresses.', order_state: "The order's state does not allow this.",
    after_sale_window: 'After-sales are closed for this order.', after_sale_open: 'This order already has an open request.',
    refund_too_large: 'More than can be refunded.', payment_unavailable: 'Online payment is not available yet, please try later.',
    ship_refused: 'The order is not waiting for shipment.', generic: 'That did not work.',
  },
  errors: {
    invalid: 'Invalid value.', quantity: 'Quantity must be a whole number 1–99.', chooseAddress: 'Choose where to ship.', required: 'Required.',
    tooLong: 'Too long.', phone: 'Enter a valid phone number.', tracking: 'Tracking numbers are 4–40 letters or digits.',
  },
}
