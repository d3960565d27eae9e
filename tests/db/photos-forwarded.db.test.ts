import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cachedCardPng, cardSvg, loadCardPhotos } from '#app/services/reseller/cards.server'
import { forwardItems, shareCard, sharePage } from '#app/services/reseller/forwarding.server'
import { shopAction, shopPage } from '#app/services/reseller/shop.server'
import { storeImage } from '#app/services/catalog/uploads.server'
import { productImageUrl } from '#app/utils/images'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { BASE } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// What a reseller forwards shows the brand's photo where the product has one, and the generated art only where it
// has none: her share page, her shop, and the poster she saves.

let t: TestDatabase
let dirs: string[] = []
const now = new Date()
const ids: Record<string, string> = {}
let cover = ''

/** A solid-colour JPEG, so the poster's pixels can be checked for it. */
async function jpeg(rgb: { r: number; g: number; b: number }) {
  const buf = await sharp({ create: { width: 900, height: 1200, channels: 3, background: rgb } })
    .jpeg({ quality: 95 })
    .toBuffer()
  return new File([new Uint8Array(buf)], 'photo.jpg', { type: 'image/jpeg' })
}

beforeAll(async () => {
  const uploads = await mkdtemp(path.join(os.tmpdir(), 'cm-fwd-photos-'))
  const cards = await mkdtemp(path.join(os.tmpdir(), 'cm-fwd-cards-'))
  dirs = [uploads, cards]
  process.env.UPLOAD_DIR = uploads
  process.env.CARDS_DIR = cards
  t = await createTestDatabase()
  const brand = await createBrand(t.db)
  const live = await createSession(t.db, {
    brandId: brand.id,
    startsAt: new Date(now.getTime() - 3_600_000),
    title: '沐岚 冬季清仓',
  })
  const shot = await createProduct(t.db, { brandId: brand.id, title: '真丝连衣裙', sizes: ['M'] })
  const drawn = await createProduct(t.db, { brandId: brand.id, title: '羊毛衫', sizes: ['M'] })
  cover = await storeImage(await jpeg({ r: 20, g: 160, b: 40 }))
  await t.db.updateTable('products').set({ image_path: cover }).where('id', '=', shot.product.id).execute()
  const a = await addSessionItem(t.db, {
    sessionId: live.id,
    productId: shot.product.id,
    skuIds: shot.skus.map((s) => s.id),
    basePriceMinor: 10000,
    quantity: 9,
  })
  const b = await addSessionItem(t.db, {
    sessionId: live.id,
    productId: drawn.product.id,
    skuIds: drawn.skus.map((s) => s.id),
    basePriceMinor: 10000,
    quantity: 9,
    position: 1,
  })
  const lily = await createUser(t.db, { vipLevel: 3, displayName: '杭州Lily' })
  await t.db
    .insertInto('reseller_profiles')
    .values({ user_id: lily.id, display_name: '杭州Lily', wechat_id: 'lily_photos', phone: null })
    .execute()
  Object.assign(ids, {
    live: live.id,
    shot: a.id,
    drawn: b.id,
    lily: lily.id,
    shotSeed: shot.product.image_seed,
    drawnSeed: drawn.product.image_seed,
  })
})

afterAll(async () => {
  await t.drop()
  for (const d of dirs) await rm(d, { recursive: true, force: true })
  delete process.env.UPLOAD_DIR
  delete process.env.CARDS_DIR
})

const member = () => ({ id: ids.lily!, role: 'member' as const, vip_level: 3, display_name: '杭州Lily' })

describe('photos on what a reseller forwards', () => {
  it('share page and shop carry the photo of a product that has one, the art of one that has none', async () => {
    const [link] = await forwardItems(t.db, member(), {
      mode: 'list',
      sessionId: ids.live!,
      itemIds: [ids.shot!, ids.drawn!],
      prices: new Map([
        [ids.shot!, 19900],
        [ids.drawn!, 19900],
      ]),
      rule: null,
      now,
    })
    const page = await sharePage(t.db, link!.token, now, { count: false })
    if (page.status !== 'ok') throw new Error('no share page')
    const urls = page.content.items.map((i) => productImageUrl(i, true))
    expect(urls).toEqual([`/uploads/${cover}-thumb.webp`, `/art/product/${encodeURIComponent(ids.drawnSeed!)}`])

    await shopAction(t.db, ids.lily!, { intent: 'handle', handle: 'lily-photos' }, null, now)
    await shopAction(
      t.db,
      ids.lily!,
      {
        intent: 'addSession',
        sessionId: ids.live!,
        markupKind: 'percent',
        markupValue: '30',
        rounding: 'nine',
      } as never,
      { kind: 'percent', value: 3000, rounding: 'nine' },
      now,
    )
    const shop = await shopPage(t.db, ids.lily!, 'lily-photos', { q: '', category: '', size: '' }, now)
    const shelf = shop!.sessions.flatMap((s) => s.items)
    expect(shelf.map((i) => [i.id, i.imagePath])).toEqual([
      [ids.shot, cover],
      [ids.drawn, null],
    ])
  })

  it('the poster draws the photo: its pixels are the photo colour, and its QR code still leads to the share page', async () => {
    const [link] = await forwardItems(t.db, member(), {
      mode: 'single',
      sessionId: ids.live!,
      itemIds: [ids.shot!],
      prices: new Map([[ids.shot!, 19900]]),
      rule: null,
      now,
    })
    const card = await shareCard(t.db, link!.token, { locale: 'zh-CN', origin: BASE, now })
    if (card.status !== 'ok') throw new Error('no card')
    expect(card.content.items[0]!.imagePath).toBe(cover)
    expect(cardSvg(card.content, await loadCardPhotos(card.content))).toContain('data:image/jpeg;base64,')
    const png = PNG.sync.read(card.png)
    // The middle of the picture area (x 540, y 420 of 1080×1440) is the photo's green, not the art's paper colour.
    const at = (x: number, y: number) => {
      const i = (png.width * y + x) * 4
      return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!]
    }
    const [r, g, b] = at(540, 420)
    expect(g).toBeGreaterThan(130)
    expect(r).toBeLessThan(60)
    expect(b).toBeLessThan(80)
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)
    expect(qr?.data).toBe(`${BASE}/s/${link!.token}`)
  })

  it('a photo file that is gone falls back to the art instead of failing the poster', async () => {
    const [link] = await forwardItems(t.db, member(), {
      mode: 'single',
      sessionId: ids.live!,
      itemIds: [ids.shot!],
      prices: new Map([[ids.shot!, 19800]]),
      rule: null,
      now,
    })
    const card = await shareCard(t.db, link!.token, { locale: 'zh-CN', origin: BASE, now })
    if (card.status !== 'ok') throw new Error('no card')
    const missing = {
      ...card.content,
      items: card.content.items.map((i) => ({ ...i, imagePath: '00000000-0000-4000-8000-000000000000' })),
    }
    expect((await loadCardPhotos(missing)).size).toBe(0)
    const { png } = await cachedCardPng(missing)
    expect(PNG.sync.read(png).width).toBe(1080)
  })
})
