import { threadId } from 'node:worker_threads'
import { afterAll, describe, expect, it } from 'vitest'
import { PoolFullError } from '#app/utils/bounded-pool.server'
import { createRenderPool } from './card-render-pool.server'
import { CARD_HEIGHT, CARD_WIDTH, cardRenderPool, cardSvg, renderCardPngAsync, type CardContent } from './cards.server'

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
})
