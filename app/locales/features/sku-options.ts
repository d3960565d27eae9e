/** Display names for SKU option values that brands enter in Chinese (colours, "one size"). Unknown values show as entered. */
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }

export const skuOptionsZh = {
  options: {} as Record<string, string>,
}

export const skuOptionsEn: Widen<typeof skuOptionsZh> = {
  options: {
    藏青: 'Navy',
    酒红: 'Crimson',
    墨绿: 'Forest green',
    姜黄: 'Mustard',
    紫罗兰: 'Violet',
    黑色: 'Black',
    米白: 'Ivory',
    砖红: 'Terracotta',
    湖蓝: 'Teal',
    玫粉: 'Rose',
    卡其: 'Khaki',
    灰色: 'Grey',
    白色: 'White',
    红色: 'Red',
    蓝色: 'Blue',
    均码: 'One size',
  },
}
