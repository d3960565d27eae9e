import { threadId } from 'node:worker_threads'
import { PNG } from 'pngjs'
import { afterAll, describe, expect, it } from 'vitest'
import { PoolFullError } from '#app/utils/bounded-pool.server'
import { createRenderPool } from './card-render-pool.server'
import {
  CARD_HEIGHT,
  CARD_WIDTH,
  cardRenderPool,
  cardSvg,
  renderCardPng,
  renderCardPngAsync,
  type CardContent,
} from './cards.server'

const content: CardContent = {
  kind: 'single',
  locale: 'zh-CN',
  endsAt: '2026-12-01T10:00:00Z',
  resellerName: '杭州Lily',
  shareUrl: 'http://x/s/abc',
  items: [
    { title: '剪标 T恤', priceMinor: 12900, currency: 'CNY', tagCut: true, sizesLeft: ['S'], imageSeed: 'a:b:0:x' },
  ],
}
const options = { fitTo: { mode: 'width' as const, value: CARD_WIDTH } }
const size = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) })

describe('the poster render threads', () => {
  const pools = [createRenderPool({ threads: 1, maxQueue: 1, warm: { svg: cardSvg(content), options } })]
  afterAll(() => Promise.all(pools.map((p) => p.stop())))

  it('draws a whole poster PNG on a thread that is not the event loop', async () => {
    const drawn = await cardRenderPool().render(cardSvg(content), options)
    expect(drawn.threadId).not.toBe(threadId)
    expect(drawn.png.subarray(1, 4).toString()).toBe('PNG')
    expect(size(drawn.png)).toEqual({ width: CARD_WIDTH, height: CARD_HEIGHT })
    expect(size(await renderCardPngAsync(content))).toEqual({ width: CARD_WIDTH, height: CARD_HEIGHT })
  })

  it('refuses at once past its threads and queue, and draws what it took', async () => {
    const pool = pools[0]!
    const svg = cardSvg(content)
    const taken = [pool.render(svg, options), pool.render(svg, options)]
    await expect(pool.render(svg, options)).rejects.toBeInstanceOf(PoolFullError)
    for (const drawn of await Promise.all(taken)) expect(size(drawn.png).width).toBe(CARD_WIDTH)
    expect(pool.running + pool.waiting).toBe(0)
  })

  it('fails a render that cannot be drawn and keeps drawing the next', async () => {
    const pool = pools[0]!
    await expect(pool.render('<svg', options)).rejects.toThrow(/poster render failed/)
    expect(size((await pool.render(cardSvg(content), options)).png).width).toBe(CARD_WIDTH)
  })

  it('draws texts from the outlines it kept: the same poster as resvg draws with the fonts, shaping only new texts', async () => {
    const grid: CardContent = {
      ...content,
      kind: 'grid',
      heading: '沐岚 冬季女装清仓',
      items: Array.from({ length: 9 }, (_, i) => ({
        ...content.items[0]!,
        title: `羊毛大衣 ${i}`,
        priceMinor: 10_000 + i,
      })),
    }
    const options = () =>
      cardRenderPool().render(cardSvg(grid), { fitTo: { mode: 'width', value: CARD_WIDTH }, font: fonts })
    const fonts = (await import('./cards.server')).cardFontOptions()
    const first = await options()
    expect(first.shapedTexts).toBeGreaterThan(20)
    const again = await options()
    expect(again.shapedTexts).toBe(0)
    expect(again.keptTexts).toBe(first.shapedTexts + first.keptTexts)
    // One price changed: only its text is shaped.
    grid.items[4] = { ...grid.items[4]!, priceMinor: 99_900 }
    const changed = await options()
    expect(changed.shapedTexts).toBe(1)
    // Pixel for pixel what resvg draws from the SVG with the fonts (outlines written to 0.01 px: edges may shade).
    const direct = PNG.sync.read(renderCardPng(grid))
    const pooled = PNG.sync.read(changed.png)
    let differ = 0
    let ink = 0
    for (let i = 0; i < direct.data.length; i += 4) {
      const delta = Math.max(...[0, 1, 2].map((c) => Math.abs(direct.data[i + c]! - pooled.data[i + c]!)))
      if (delta > 48) differ++
      if (direct.data[i]! < 128) ink++
    }
    expect(ink).toBeGreaterThan(10_000)
    expect(differ / (CARD_WIDTH * CARD_HEIGHT)).toBeLessThan(0.001)
  })
})
