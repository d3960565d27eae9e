// English names for the sizes and colours brands type in Chinese. A brand may give its own English name per
// option value; this dictionary only pre-fills one (product form, CSV import) when none is given.

/** Common sizes and colours as brands write them, with the English a buyer abroad expects. */
export const OPTION_NAMES_EN: Readonly<Record<string, string>> = {
  // sizes
  均码: 'One size',
  均碼: 'One size',
  免费尺码: 'One size',
  特小码: 'XS',
  小码: 'Small',
  中码: 'Medium',
  大码: 'Large',
  加大码: 'Plus size',
  // colours
  黑色: 'Black',
  白色: 'White',
  米白: 'Ivory',
  米色: 'Beige',
  杏色: 'Apricot',
  灰色: 'Grey',
  浅灰: 'Light grey',
  深灰: 'Charcoal',
  红色: 'Red',
  酒红: 'Burgundy',
  砖红: 'Brick red',
  粉色: 'Pink',
  玫粉: 'Rose pink',
  橙色: 'Orange',
  黄色: 'Yellow',
  姜黄: 'Mustard',
  绿色: 'Green',
  墨绿: 'Forest green',
  军绿: 'Army green',
  蓝色: 'Blue',
  藏青: 'Navy',
  湖蓝: 'Teal',
  天蓝: 'Sky blue',
  浅蓝: 'Light blue',
  牛仔蓝: 'Denim blue',
  紫色: 'Purple',
  紫罗兰: 'Violet',
  卡其: 'Khaki',
  驼色: 'Camel',
  棕色: 'Brown',
  咖啡色: 'Coffee',
  焦糖色: 'Caramel',
  金色: 'Gold',
  银色: 'Silver',
  玫瑰金: 'Rose gold',
  花色: 'Floral',
  彩色: 'Multicolour',
  透明: 'Clear',
}

/** True when a value needs no translation: Latin letters, digits and size punctuation (S, XL, 38, 160/84A). */
function readsInEnglish(value: string): boolean {
  return /^[\x20-\x7e]+$/.test(value)
}

/**
 * The English name to pre-fill for an option value: as written when it already reads in English (S, M, 38),
 * the dictionary's name (also with or without a trailing 色, "黑" = "黑色"), else '' (the brand must say).
 */
export function suggestOptionNameEn(value: string): string {
  const v = value.trim()
  if (!v) return ''
  if (readsInEnglish(v)) return v
  const hit = OPTION_NAMES_EN[v] ?? (v.endsWith('色') ? OPTION_NAMES_EN[v.slice(0, -1)] : OPTION_NAMES_EN[`${v}色`])
  return hit ?? ''
}

/** The English name to store: the brand's own when given, else the dictionary's suggestion. */
export function optionNameEn(value: string, given?: string | null): string {
  const own = given?.trim()
  return own ? own.slice(0, 32) : suggestOptionNameEn(value)
}

/** What a reader sees: the English name in English when there is one, the value as written otherwise. */
export function displayOptionName(language: string, value: string, en: string | null | undefined): string {
  return language.startsWith('en') && en ? en : value
}

/** The English names of some values, from rows that carry them (SKUs), each value as written when none has one. */
export function englishNames(values: readonly string[], rows: readonly { value: string; en: string }[]): string[] {
  const en = new Map<string, string>()
  for (const r of rows) if (r.en && !en.has(r.value)) en.set(r.value, r.en)
  return values.map((v) => en.get(v) ?? v)
}
