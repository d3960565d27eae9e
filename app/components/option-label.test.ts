import { describe, expect, it } from 'vitest'
import { createI18n } from '#app/i18n'
import { optionLabel } from './option-label'

describe('optionLabel', () => {
  it('names seeded colours and one-size in English, keeps Chinese as entered, passes unknown values through', () => {
    const en = createI18n('en').t
    const zh = createI18n('zh-CN').t
    expect(optionLabel(en, '湖蓝')).toBe('Teal')
    expect(optionLabel(en, '均码')).toBe('One size')
    expect(optionLabel(zh, '湖蓝')).toBe('湖蓝')
    expect(optionLabel(en, 'XL')).toBe('XL')
    expect(optionLabel(en, '雾霾蓝')).toBe('雾霾蓝')
  })
})
