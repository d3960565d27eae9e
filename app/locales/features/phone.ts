// Phone layout: bottom sheets, the sticky action bar, the payment countdown, busy buttons.
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }

export const phoneZh = {
  sheet: { filters: '筛选', filtersCount: '筛选（{{count}}）', sortAndFilter: '筛选与排序', close: '关闭', show: '查看 {{count}} 件商品', all: '全部', reset: '重置' },
  session: { category: '品类', size: '尺码', inStockOnly: '只看有货', sort: '排序', sortDefault: '默认', priceAsc: '价格从低到高', priceDesc: '价格从高到低', discount: '折扣最大', shown: '{{shown}} / {{total}} 款' },
  buy: { buyNow: '立即抢购', forward: '转发', total: '合计' },
  pay: { countdown: '付款剩余', expired: '已超时，订单即将自动取消' },
  busy: '处理中…',
  photos: {
    title: '商品图片（{{count}}/{{max}}）', hint: '最多 9 张，第一张为封面；上传后自动压缩为适合手机的尺寸。', cover: '封面', makeCover: '设为封面',
    earlier: '第 {{n}} 张前移', later: '第 {{n}} 张后移', remove: '删除第 {{n}} 张', add: '添加图片（可多选）', upload: '上传', alt: '商品图 {{n}}',
    saved: '图片已更新。', gallery: '商品图片', of: '第 {{n}} 张，共 {{total}} 张',
    errors: { photos_too_many: '每件商品最多 {{max}} 张图片。', photos_none: '请选择要上传的图片。', image_too_large: '图片太大。', image_bad_type: '只支持 JPG、PNG、WebP 图片。', image_unreadable: '图片无法读取。', bad_request: '请求无效。' },
  },
} as const

export const phoneEn: Widen<typeof phoneZh> = {
  sheet: { filters: 'Filter', filtersCount: 'Filter ({{count}})', sortAndFilter: 'Filter and sort', close: 'Close', show: 'Show {{count}} items', all: 'All', reset: 'Reset' },
  session: { category: 'Category', size: 'Size', inStockOnly: 'In stock only', sort: 'Sort', sortDefault: 'Default', priceAsc: 'Price: low to high', priceDesc: 'Price: high to low', discount: 'Biggest discount', shown: '{{shown}} of {{total}} items' },
  buy: { buyNow: 'Buy now', forward: 'Forward', total: 'Total' },
  pay: { countdown: 'Time left to pay', expired: 'Time is up; the order is being cancelled' },
  busy: 'Working…',
  photos: {
    title: 'Product photos ({{count}}/{{max}})', hint: 'Up to 9; the first is the cover. Photos are resized for phones when uploaded.', cover: 'Cover', makeCover: 'Make cover',
    earlier: 'Move photo {{n}} earlier', later: 'Move photo {{n}} later', remove: 'Remove photo {{n}}', add: 'Add photos (several at once)', upload: 'Upload', alt: 'Product photo {{n}}',
    saved: 'Photos updated.', gallery: 'Product photos', of: 'Photo {{n}} of {{total}}',
    errors: { photos_too_many: 'A product has at most {{max}} photos.', photos_none: 'Choose the photos to upload.', image_too_large: 'The photo is too large.', image_bad_type: 'Only JPG, PNG and WebP photos.', image_unreadable: 'The photo could not be read.', bad_request: 'The request is malformed.' },
  },
}
