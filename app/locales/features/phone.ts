// Phone layout: bottom sheets, the sticky action bar, the payment countdown, busy buttons.
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }

export const phoneZh = {
  sheet: { filters: '筛选', filtersCount: '筛选（{{count}}）', sortAndFilter: '筛选与排序', close: '关闭', show: '查看 {{count}} 件商品', all: '全部', reset: '重置' },
  session: { category: '品类', size: '尺码', inStockOnly: '只看有货', sort: '排序', sortDefault: '默认', priceAsc: '价格从低到高', priceDesc: '价格从高到低', discount: '折扣最大', shown: '{{shown}} / {{total}} 款' },
  buy: { buyNow: '立即抢购', forward: '转发', total: '合计' },
  pay: { countdown: '付款剩余', expired: '已超时，订单即将自动取消' },
  busy: '处理中…',
} as const

export const phoneEn: Widen<typeof phoneZh> = {
  sheet: { filters: 'Filter', filtersCount: 'Filter ({{count}})', sortAndFilter: 'Filter and sort', close: 'Close', show: 'Show {{count}} items', all: 'All', reset: 'Reset' },
  session: { category: 'Category', size: 'Size', inStockOnly: 'In stock only', sort: 'Sort', sortDefault: 'Default', priceAsc: 'Price: low to high', priceDesc: 'Price: high to low', discount: 'Biggest discount', shown: '{{shown}} of {{total}} items' },
  buy: { buyNow: 'Buy now', forward: 'Forward', total: 'Total' },
  pay: { countdown: 'Time left to pay', expired: 'Time is up; the order is being cancelled' },
  busy: 'Working…',
}
