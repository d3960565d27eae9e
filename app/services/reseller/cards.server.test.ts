import { describe, expect, it } from 'vitest'
import { cardHash, cardSvg, textWidth, wrapText, type CardContent } from './cards.server'

describe('poster text layout', () => {
  it('wraps a long Chinese title into two lines that fit, ending in an ellipsis', () => {
    const lines = wrapText(
      '沐岚 藏青羊毛混纺连衣裙 超长标题测试一下会不会溢出到二维码或者别的地方去呀呀呀呀呀',
      48,
      960,
      2,
    )
    expect(lines).toHaveLength(2)
    for (const l of lines) expect(textWidth(l, 48)).toBeLessThanOrEqual(960)
    expect(lines[1].endsWith('…')).toBe(true)
  })

  it('breaks English between words and keeps short titles whole', () => {
    const lines = wrapText(
      'MULAN navy wool-blend dress with an extraordinarily long title that should wrap nicely',
      48,
      960,
      2,
    )
    expect(lines[0]).toBe('MULAN navy wool-blend dress with an')
    expect(lines[1].endsWith('…')).toBe(true)
    expect(wrapText('北岸 黑色经典夹克', 48, 960, 2)).toEqual(['北岸 黑色经典夹克'])
    expect(wrapText('A'.repeat(100), 48, 300, 1)[0].endsWith('…')).toBe(true)
  })
})

describe('card content', () => {
  const content: CardContent = {
    kind: 'single',
    locale: 'zh-CN',
    endsAt: '2026-12-01T10:00:00Z',
    resellerName: 'Lily <&>',
    shareUrl: 'http://x/s/abc',
    items: [
      {
        title: '剪标 T恤',
        priceMinor: 12900,
        currency: 'CNY',
        tagCut: true,
        sizesLeft: ['S', 'M'],
        imageSeed: 'womens:dress:0:x',
      },
    ],
  }

  it('hashes everything drawn, so a new price or stock state gives a new card', () => {
    expect(cardHash(content)).toBe(cardHash({ ...content }))
    expect(cardHash({ ...content, items: [{ ...content.items[0], priceMinor: 13900 }] })).not.toBe(cardHash(content))
    expect(cardHash({ ...content, items: [{ ...content.items[0], sizesLeft: ['M'] }] })).not.toBe(cardHash(content))
  })

  it('escapes text and discloses the cut label', () => {
    const svg = cardSvg(content)
    expect(svg).toContain('Lily &lt;&amp;&gt;')
    expect(svg).toContain('剪标')
    expect(svg).toContain('尚有尺码：S / M')
  })
})
