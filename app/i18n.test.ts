import i18next from 'i18next'
import { describe, expect, it } from 'vitest'
import { addLanguage, createI18n, hasMessages, i18nFor, loadMessages } from './i18n'

describe('translations on the server', () => {
  it('has both languages from the start, per request and in the shared instances', async () => {
    expect(hasMessages('zh-CN') && hasMessages('en')).toBe(true)
    await loadMessages('en') // nothing to fetch
    expect(createI18n('en').t('app.name')).toBe('Clearance Market')
    expect(createI18n('zh-CN').t('app.name')).toBe('清仓集市')
    expect(i18nFor('en').t('shop.public.title', { name: 'Lily' })).toBe("Lily's shop")
    const other = createI18n('zh-CN')
    expect(addLanguage(other, 'en')).toBe(true)
    await other.changeLanguage('en')
    expect(other.t('app.name')).toBe('Clearance Market')
  })

  it('formats language codes as i18next does, each code worked out once', () => {
    const plain = i18next.createInstance()
    void plain.init({ lng: 'zh-CN', initAsync: false, resources: {} })
    const utils = createI18n('zh-CN').services.languageUtils as { formatLanguageCode: (c: string) => string }
    const reference = plain.services.languageUtils as { formatLanguageCode: (c: string) => string }
    for (const code of ['zh-CN', 'zh-cn', 'en', 'en-GB', 'zh-Hant-TW', 'xx-YY', 'zh-CN'])
      expect(utils.formatLanguageCode(code)).toBe(reference.formatLanguageCode(code))
  })
})
