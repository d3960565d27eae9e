// Notifications: the inbox, preferences, unsubscribe, the operator's delivery log, and the text of every event
// (keys under `events` are the catalogue's event names; {{placeholders}} are the event's data).
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }

export const notificationsZh = {
  nav: { inbox: '消息', unread: '{{count}} 条未读', settings: '通知设置', admin: '通知记录', mailbox: '开发邮箱' },
  inbox: {
    title: '消息', empty: '还没有消息。', markAll: '全部标为已读', markRead: '标为已读', open: '查看', unread: '未读', settings: '通知设置',
  },
  settings: {
    title: '通知设置', intro: '选择每种通知用邮件或手机推送提醒你；站内消息始终保留。营销类提醒（开抢、到货）在免打扰时段内会推迟发送，每天最多 {{cap}} 条；交易类通知（订单、售后、等级）随时发送。',
    event: '通知', email: '邮件', push: '推送', marketing: '营销提醒', transactional: '交易通知', noEmail: '你的账号没有邮箱，邮件不会发送。',
    quiet: '免打扰时段（北京时间）', quietOn: '开启免打扰', from: '从', to: '到', save: '保存设置', saved: '设置已保存。',
    device: {
      title: '手机推送', on: '此浏览器已开启推送。', off: '此浏览器未开启推送。', enable: '开启推送', disable: '关闭推送', unsupported: '此浏览器不支持推送（微信内置浏览器请用系统浏览器打开）。',
      denied: '推送权限被拒绝，请在浏览器设置中允许通知。', count: '已开启推送的设备：{{count}} 台',
    },
    badClock: '请输入 HH:MM 格式的时间',
  },
  unsubscribe: {
    title: '退订邮件', confirm: '不再通过邮件接收「{{event}}」？', button: '退订', done: '已退订「{{event}}」邮件。可以随时在通知设置中重新开启。', invalid: '退订链接无效。',
  },
  remind: { set: '开抢提醒我', cancel: '取消提醒', isSet: '已设置开抢提醒', restock: '到货提醒我', restockSet: '有货时会通知你' },
  admin: {
    title: '通知发送记录', status: '状态', all: '全部', event: '事件', channel: '渠道', recipient: '收件人', attempts: '尝试', due: '计划时间', finished: '完成时间', outcome: '结果',
    statuses: { pending: '待发送', sending: '发送中', sent: '已发送', failed: '失败', skipped: '未发送' }, none: '没有记录。', filter: '筛选',
  },
  mailbox: { title: '开发邮箱', intro: '未配置 SMTP_URL 时，邮件保存在这里。', none: '还没有邮件。', to: '收件人' },
  channels: { inbox: '站内', email: '邮件', push: '推送' },
  mail: { open: '查看详情', unsubscribe: '退订此类邮件' },
  events: {
    session_soon: { title: '{{brand}} 档期 10 分钟后开抢', body: '你关注的「{{session}}」马上开始，准备好抢货吧。', name: '关注品牌开抢前 10 分钟' },
    session_open: { title: '{{brand}} 开抢了', body: '「{{session}}」现在开始，限量库存先到先得。', name: '关注品牌开抢' },
    item_open: { title: '{{item}} 开抢了', body: '你设置提醒的商品（{{brand}}）现在可以抢购。', name: '商品开抢提醒' },
    restock: { title: '{{item}} 有货了', body: '你想要的 {{colour}} {{size}} 又有库存了，手慢无。', name: '到货提醒' },
    order_paid: { title: '订单 {{orderNo}} 已付款', body: '{{brand}} 将在 24 小时内发货。', name: '订单付款' },
    order_shipped: { title: '订单 {{orderNo}} 已发货', body: '{{brand}} 已通过 {{carrier}} 发货，运单号 {{trackingNo}}。', name: '订单发货' },
    order_auto_received: { title: '订单 {{orderNo}} 已自动确认收货', body: '发货 10 天后系统自动确认收货（{{brand}}）。', name: '自动确认收货' },
    after_sale_decided: { title: '订单 {{orderNo}} 的售后申请已处理', body: '处理结果：{{decision}}。{{note}}', name: '售后处理结果' },
    keep_level_reminder: { title: '{{level}} 保级提醒', body: '本月还差 {{missing}} 成长值即可保住 {{level}}（每月需 {{keep}}），月底前下单即可。', name: '保级提醒' },
    level_changed: { title: '会员等级变更：{{to}}', body: '你的会员等级从 {{from}} 变为 {{to}}。', name: '等级变更' },
    reseller_price_broken: { title: '有 {{count}} 个零售价需要调整', body: '品牌限价、会员价格表或你的等级变化后，「{{item}}」等商品的零售价已低于最低可售价，顾客暂时不能购买。在小店页面一键调价即可。', name: '零售价低于限价' },
    reseller_payout_sent: { title: '{{amount}} 已打款', body: '你的收益 {{amount}} 已转出，请留意收款账户。', name: '收益打款' },
    reseller_payout_failed: { title: '{{amount}} 打款失败', body: '你的收益 {{amount}} 转账未成功，平台会处理后重试。请检查收款信息。', name: '收益打款失败' },
    order_late_soon: { title: '订单 {{orderNo}} 2 小时内需发货', body: '发货截止 {{shipBy}}，逾期将被标记为延迟。', name: '即将超时发货' },
    settlement_ready: { title: '「{{session}}」结算单已生成', body: '应结金额 {{payable}}。', name: '结算单' },
    payout_sent: { title: '「{{session}}」货款 {{amount}} 已打款', body: '{{amount}} 已转出，请留意收款账户。', name: '货款打款' },
    payout_failed: { title: '「{{session}}」货款打款失败', body: '{{amount}} 转账未成功，平台会处理后重试。请检查收款信息。', name: '货款打款失败' },
    application_waiting: { title: '新的品牌入驻申请', body: '{{company}} 提交了入驻申请，等待审核。', name: '待审核入驻申请' },
    after_sale_waiting: { title: '新的售后申请', body: '订单 {{orderNo}} 申请售后，等待处理。', name: '待处理售后' },
    payout_failed_operator: { title: '打款失败：{{payee}}', body: '{{amount}} 转账失败（{{error}}），等待重试。', name: '打款失败' },
  },
}

export const notificationsEn: Widen<typeof notificationsZh> = {
  nav: { inbox: 'Inbox', unread: '{{count}} unread', settings: 'Notification settings', admin: 'Notifications', mailbox: 'Dev mailbox' },
  inbox: {
    title: 'Inbox', empty: 'No messages yet.', markAll: 'Mark all as read', markRead: 'Mark as read', open: 'Open', unread: 'Unread', settings: 'Notification settings',
  },
  settings: {
    title: 'Notification settings', intro: 'Choose which notifications reach you by e-mail or push; the inbox always keeps them. Marketing reminders (openings, restocks) wait until quiet hours end and are capped at {{cap}} a day; transactional ones (orders, after-sales, level) are sent at any time.',
    event: 'Notification', email: 'E-mail', push: 'Push', marketing: 'Marketing', transactional: 'Transactional', noEmail: 'Your account has no e-mail address, so no e-mail is sent.',
    quiet: 'Quiet hours (Beijing time)', quietOn: 'Quiet hours on', from: 'From', to: 'To', save: 'Save settings', saved: 'Settings saved.',
    device: {
      title: 'Push notifications', on: 'Push is on for this browser.', off: 'Push is off for this browser.', enable: 'Turn on push', disable: 'Turn off push', unsupported: 'This browser does not support push (inside WeChat, open the page in the system browser).',
      denied: 'Notifications are blocked; allow them in the browser settings.', count: 'Devices with push on: {{count}}',
    },
    badClock: 'Enter a time as HH:MM',
  },
  unsubscribe: {
    title: 'Unsubscribe', confirm: 'Stop receiving “{{event}}” by e-mail?', button: 'Unsubscribe', done: 'You will no longer receive “{{event}}” by e-mail. You can turn it back on in notification settings.', invalid: 'This unsubscribe link is not valid.',
  },
  remind: { set: 'Remind me', cancel: 'Cancel reminder', isSet: 'Reminder set', restock: 'Tell me when back', restockSet: 'We will tell you when it is back' },
  admin: {
    title: 'Notification deliveries', status: 'Status', all: 'All', event: 'Event', channel: 'Channel', recipient: 'Recipient', attempts: 'Attempts', due: 'Due', finished: 'Finished', outcome: 'Outcome',
    statuses: { pending: 'Pending', sending: 'Sending', sent: 'Sent', failed: 'Failed', skipped: 'Not sent' }, none: 'Nothing here.', filter: 'Filter',
  },
  mailbox: { title: 'Dev mailbox', intro: 'Without SMTP_URL, e-mails are kept here.', none: 'No mail yet.', to: 'To' },
  channels: { inbox: 'Inbox', email: 'E-mail', push: 'Push' },
  mail: { open: 'Open', unsubscribe: 'Unsubscribe from these e-mails' },
  events: {
    session_soon: { title: '{{brand}} opens in 10 minutes', body: '“{{session}}”, from a brand you follow, is about to start. Get ready.', name: 'Followed brand opens in 10 minutes' },
    session_open: { title: '{{brand}} is open now', body: '“{{session}}” has started: limited stock, first come first served.', name: 'Followed brand opens' },
    item_open: { title: '{{item}} is on sale now', body: 'The item you asked about ({{brand}}) can be grabbed now.', name: 'Item opens' },
    restock: { title: '{{item}} is back', body: 'The {{colour}} {{size}} you wanted has stock again. Be quick.', name: 'Back in stock' },
    order_paid: { title: 'Order {{orderNo}} is paid', body: '{{brand}} ships within 24 hours.', name: 'Order paid' },
    order_shipped: { title: 'Order {{orderNo}} has shipped', body: '{{brand}} shipped it with {{carrier}}, tracking number {{trackingNo}}.', name: 'Order shipped' },
    order_auto_received: { title: 'Order {{orderNo}} marked received', body: 'Receipt was confirmed automatically 10 days after shipping ({{brand}}).', name: 'Received automatically' },
    after_sale_decided: { title: 'After-sale request for order {{orderNo}} decided', body: 'Decision: {{decision}}. {{note}}', name: 'After-sale decision' },
    keep_level_reminder: { title: 'Keep your {{level}}', body: '{{missing}} more growth points this month keep your {{level}} ({{keep}} a month). Order before the month ends.', name: 'Keep-level reminder' },
    level_changed: { title: 'Your level is now {{to}}', body: 'Your membership level changed from {{from}} to {{to}}.', name: 'Level changed' },
    reseller_price_broken: { title: '{{count}} retail prices to fix', body: 'After a brand floor, the VIP table or your level changed, “{{item}}” and others are priced below the lowest allowed price, so customers cannot buy them for now. Re-price them in one step on your shop page.', name: 'Retail price below a floor' },
    reseller_payout_sent: { title: '{{amount}} paid out', body: 'Your earnings of {{amount}} have been transferred to your payout account.', name: 'Earnings paid out' },
    reseller_payout_failed: { title: 'Payout of {{amount}} failed', body: 'The transfer of your earnings of {{amount}} did not go through; it will be retried. Please check your payout details.', name: 'Earnings payout failed' },
    order_late_soon: { title: 'Order {{orderNo}} must ship within 2 hours', body: 'Ship by {{shipBy}}, or it is flagged late.', name: 'Order about to be late' },
    settlement_ready: { title: 'Settlement for “{{session}}” is ready', body: 'Payable: {{payable}}.', name: 'Settlement ready' },
    payout_sent: { title: '{{amount}} paid out for “{{session}}”', body: '{{amount}} has been transferred to your payout account.', name: 'Payout sent' },
    payout_failed: { title: 'Payout for “{{session}}” failed', body: 'The transfer of {{amount}} did not go through; it will be retried. Please check your payout details.', name: 'Payout failed' },
    application_waiting: { title: 'New brand application', body: '{{company}} applied and is waiting for review.', name: 'Application waiting' },
    after_sale_waiting: { title: 'New after-sale request', body: 'Order {{orderNo}} has an after-sale request waiting.', name: 'After-sale waiting' },
    payout_failed_operator: { title: 'Payout failed: {{payee}}', body: 'The transfer of {{amount}} failed ({{error}}) and waits for a retry.', name: 'Payout failed' },
  },
}
