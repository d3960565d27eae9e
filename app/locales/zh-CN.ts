// Feature section imports (one per feature, at its marker).
import { onboardingZh } from './features/onboarding'

import { paymentsZh } from './features/payments'

import { catalogZh } from './features/catalog'

import { membershipZh } from './features/membership'

import { ordersZh } from './features/orders'

import { searchZh } from './features/search'

import { resellerZh } from './features/reseller'
import { shopZh } from './features/shop'

import { payoutsZh } from './features/payouts'

import { phoneZh } from './features/phone'
import { addressesZh } from './features/addresses'
import { discountsZh } from './features/discounts'
import { brandConsoleZh } from './features/brand-console'
import { customerOrdersZh } from './features/customer-orders'
import { notificationsZh } from './features/notifications'

// zh-CN is the default language; en.ts must carry the same keys (checked by the type below).
const zhCN = {
  app: {
    name: '清仓集市',
    tagline: '品牌库存 · 48小时特卖 · 代购拿货',
    skipToContent: '跳到正文',
  },
  nav: {
    home: '首页',
    signIn: '登录',
    signOut: '退出',
    admin: '运营后台',
    brand: '品牌后台',
    account: '会员中心',
    language: '语言',
  },
  roles: { operator: '运营', brand_staff: '品牌员工', member: '会员' },
  levels: { 0: '试用会员', 1: 'VIP1', 2: 'VIP2', 3: 'VIP3', 4: 'VIP4', 5: 'VIP5' },
  categories: { womens: '女装', mens: '男装', kids: '童装', shoes_bags: '鞋包', jewellery: '珠宝配饰' },
  home: {
    title: '今日特卖',
    live: '正在抢购',
    upcoming: '预告',
    ended: '已结束',
    noLive: '现在没有进行中的档期，看看预告吧。',
    noUpcoming: '暂无预告档期。',
    endsIn: '距结束',
    startsIn: '距开抢',
    items: '{{count}} 款',
    viewSession: '进入档期',
  },
  countdown: { dhms: '{{d}}天 {{h}}:{{m}}:{{s}}', hms: '{{h}}:{{m}}:{{s}}', over: '已结束', starting: '开抢中…' },
  session: {
    brand: '品牌',
    window: '{{start}} 至 {{end}}（北京时间）',
    phase: { upcoming: '预告', live: '抢购中', ended: '已结束', draft: '草稿', cancelled: '已取消' },
    empty: '这个档期还没有商品。',
    notFound: '找不到这个档期。',
  },
  product: {
    tagPrice: '吊牌价',
    wholesalePrice: '拿货价',
    trialPrice: '试用会员价',
    signInForPrice: '登录后查看拿货价',
    tagCut: '剪标',
    tagCutNote: '本商品为剪标货品，吊牌已剪。',
    skus: '规格',
    size: '尺码',
    colour: '颜色',
    barcode: '条码',
    stock: '库存',
    inStock: '有货',
    lowStock: '仅剩 {{count}} 件',
    soldOut: '已抢光',
    notInSession: '这件商品目前不在任何档期中。',
    inSession: '所在档期',
    notFound: '找不到这件商品。',
    description: '商品描述',
  },
  signIn: {
    title: '登录',
    identifier: '邮箱或手机号',
    password: '密码',
    submit: '登录',
    invalid: '账号或密码不正确。',
    throttled: '失败次数过多，请在 {{time}} 之后再试。',
    required: '请填写此项。',
    tooLong: '内容过长。',
    demoHint: '演示账号见启动时终端输出的列表。',
  },
  dashboards: {
    adminTitle: '运营后台',
    adminIntro: '品牌申请、VIP等级表、佣金与售后都在这里处理。',
    pendingApplications: '待审核的品牌申请：{{count}} 个',
    brandTitle: '{{brand}} · 品牌后台',
    brandIntro: '管理商品、档期与发货。',
    brandSessions: '本品牌档期：{{count}} 个',
    accountTitle: '会员中心',
    accountLevel: '当前等级：{{level}}',
  },
  errors: {
    notFoundTitle: '页面不存在',
    notFoundBody: '你要找的页面不存在或已被移除。',
    forbiddenTitle: '无权访问',
    forbiddenBody: '你的账号没有权限查看这个页面。',
    genericTitle: '出错了',
    genericBody: '页面加载时出现问题，请稍后再试。',
    backHome: '返回首页',
    badRequest: '请求格式不正确。',
    badInput: {
      control_characters: '输入中含有不允许的控制字符（如 NUL），请删除后重试。',
      out_of_range: '输入的数值或日期超出允许范围。',
      malformed: '输入的格式不正确（例如编号或日期）。',
    },
  },
  // Feature sections live in ./features/<feature>.ts (the English in <feature>.en.ts); spread each below.
  onboarding: onboardingZh,

  payments: paymentsZh,

  catalog: catalogZh,

  membership: membershipZh,

  orders: ordersZh,

  search: searchZh,

  reseller: resellerZh,
  shop: shopZh,

  payouts: payoutsZh,

  phone: phoneZh,
  addresses: addressesZh,
  discounts: discountsZh,

  brandConsole: brandConsoleZh,

  notifications: notificationsZh,

  // SKU option display names (colours, one size)
  customerOrders: customerOrdersZh,

  time: { zoneNote: '时间均为北京时间' },
} as const

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }
export type Messages = Widen<typeof zhCN>
export default zhCN as Messages
