import { describe, expect, it } from 'vitest'
import { displayOptionName, englishNames, optionNameEn, suggestOptionNameEn } from './option-names'

describe('suggestOptionNameEn', () => {
  it.each([
    ['均码', 'One size'],
    ['砖红', 'Brick red'],
    ['黑色', 'Black'],
    ['黑', 'Black'],
    ['卡其色', 'Khaki'],
    ['S', 'S'],
    ['XXL', 'XXL'],
    ['38', '38'],
    ['160/84A', '160/84A'],
    [' M ', 'M'],
    ['雾霾蓝', ''],
    ['', ''],
  ])('%s → %s', (value, en) => expect(suggestOptionNameEn(value)).toBe(en))
})

describe('optionNameEn', () => {
  it('keeps the brand’s own name over the dictionary', () => {
    expect(optionNameEn('砖红', 'Terracotta')).toBe('Terracotta')
    expect(optionNameEn('雾霾蓝', ' Haze blue ')).toBe('Haze blue')
  })
  it('falls back to the dictionary when none is given', () => {
    expect(optionNameEn('砖红', '')).toBe('Brick red')
    expect(optionNameEn('砖红', null)).toBe('Brick red')
    expect(optionNameEn('雾霾蓝')).toBe('')
  })
})

describe('displayOptionName', () => {
  it('shows the English name to English readers, the value as written otherwise', () => {
    expect(displayOptionName('en', '均码', 'One size')).toBe('One size')
    expect(displayOptionName('zh-CN', '均码', 'One size')).toBe('均码')
    expect(displayOptionName('en', '雾霾蓝', '')).toBe('雾霾蓝')
  })
})

describe('englishNames', () => {
  it('names each value from the first row that has an English name', () => {
    const rows = [
      { value: '均码', en: '' },
      { value: '均码', en: 'One size' },
      { value: 'M', en: 'M' },
    ]
    expect(englishNames(['M', '均码', '雾霾蓝'], rows)).toEqual(['M', 'One size', '雾霾蓝'])
  })
})
