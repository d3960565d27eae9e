// Product card posters (PNG, 3:4, 1080×1440) and the 3×3 grid poster (九宫格).
//
// Rendering: we compose the SVG ourselves and rasterise it with @resvg/resvg-js, which shapes the text
// with a CJK font loaded from the system at runtime (Noto Sans CJK, package fonts-noto-cjk; path in
// CARD_FONT_FILES). Satori was tried first: it cannot read the .ttc collection the distribution ships
// ("Unsupported OpenType signature ttcf"), and handing it a 16 MB CJK font per render would be slow anyway.
// Cards are cached on disk under CARDS_DIR by a hash of everything drawn on them, so a new price or a
// change of the sizes in stock gives a new file, and an unchanged card is served from disk.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { LRUCache } from 'lru-cache'
import QRCode from 'qrcode'
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js'
import { i18nFor, type Locale } from '#app/i18n'
import { formatMoney, type Currency } from '#app/domain/money'
import { formatDateTime } from '#app/utils/format'
import { uploadDir } from '#app/services/catalog/uploads.server'
import { setting } from '#app/utils/env.server'
import { productArtSvg } from '#app/utils/product-art'
import sharp from 'sharp'
import { createRenderPool, type RenderPool } from './card-render-pool.server'

export const CARD_WIDTH = 1080
export const CARD_HEIGHT = 1440
const CARD_VERSION = 4
const DEFAULT_FONTS = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc',
]
const FONT_FAMILY = 'Noto Sans CJK SC'

export interface CardItem {
  title: string
  priceMinor: number
  currency: string
  tagCut: boolean
  sizesLeft: string[]
  imageSeed: string
  /** The product's cover photo (an upload id); the generated art stands in when there is none. */
  imagePath?: string | null
}

export interface CardContent {
  kind: 'single' | 'grid'
  locale: Locale
  items: CardItem[]
  endsAt: string
  resellerName: string
  shareUrl: string
  /** For grids: the session title shown in the header. */
  heading?: string
  /** The sale is over: the card says so instead of the end time. */
  ended?: boolean
}

let warned = false
export function cardFonts(): string[] {
  const configured = setting('CARD_FONT_FILES')?.split(':').filter(Boolean)
  const found = (configured ?? DEFAULT_FONTS).filter((f) => existsSync(f))
  if (!found.length && !warned) {
    warned = true
    console.warn(
      'No CJK font for product cards: install fonts-noto-cjk or set CARD_FONT_FILES (posters will have no text).',
    )
  }
  return found
}

export function cardsDir(): string {
  return setting('CARDS_DIR') ?? path.join(process.cwd(), '.data', 'cards')
}

export function cardHash(content: CardContent): string {
  return createHash('sha256')
    .update(JSON.stringify({ v: CARD_VERSION, ...content }))
    .digest('hex')
    .slice(0, 32)
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Rough advance width in em: CJK and full-width glyphs are 1em, Latin about 0.58em in Noto Sans CJK. */
function charWidth(ch: string): number {
  const c = ch.codePointAt(0)!
  if (c >= 0x2e80 || (c >= 0xff00 && c <= 0xffef)) return 1
  if (/[A-Z0-9]/.test(ch)) return 0.64
  if (/[mw]/.test(ch)) return 0.82
  if (/[il.,'|: ]/.test(ch)) return 0.3
  return 0.55
}

export function textWidth(text: string, fontSize: number): number {
  let w = 0
  for (const ch of text) w += charWidth(ch)
  return w * fontSize
}

/**
 * Wraps into at most `maxLines` lines of `maxWidth`, breaking between words for Latin text; the last line ends in …
 * when cut.
 */
export function wrapText(text: string, fontSize: number, maxWidth: number, maxLines: number): string[] {
  const tokens = text.trim().match(/[A-Za-z0-9'’\-.]+\s*|\s+|./gu) ?? []
  const fits = (s: string) => textWidth(s.trimEnd(), fontSize) <= maxWidth
  const lines: string[] = []
  let line = ''
  let truncated = false
  outer: for (const tok of tokens) {
    if (fits(line + tok)) {
      line += tok
      continue
    }
    if (line.trim()) {
      lines.push(line.trimEnd())
      line = ''
      if (lines.length === maxLines) {
        truncated = true
        break
      }
    }
    let piece = tok.trimStart()
    while (!fits(piece)) {
      let cut = ''
      for (const ch of piece) {
        if (!fits(cut + ch)) break
        cut += ch
      }
      lines.push(cut)
      piece = piece.slice(cut.length)
      if (lines.length === maxLines) {
        truncated = true
        break outer
      }
    }
    line = piece
  }
  if (!truncated && line.trim()) {
    if (lines.length < maxLines) lines.push(line.trimEnd())
    else truncated = true
  }
  if (truncated && lines.length) {
    let last = lines[lines.length - 1]
    while (last && !fits(last + '…')) last = [...last].slice(0, -1).join('')
    lines[lines.length - 1] = last.trimEnd() + '…'
  }
  return lines
}

function fitText(text: string, fontSize: number, maxWidth: number): string {
  return wrapText(text, fontSize, maxWidth, 1)[0] ?? ''
}

function qrPath(url: string, x: number, y: number, size: number): string {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' })
  const n = qr.modules.size
  const quiet = 2
  const cell = size / (n + quiet * 2)
  let d = ''
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      if (qr.modules.data[r * n + c])
        d += `M${(x + (c + quiet) * cell).toFixed(2)} ${(y + (r + quiet) * cell).toFixed(2)}h${cell.toFixed(2)}v${cell.toFixed(2)}h-${cell.toFixed(2)}z`
    }
  return `<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="#fff"/><path d="${d}" fill="#111" shape-rendering="crispEdges"/>`
}

/** Cover photos as JPEG data URIs by upload id (resvg draws JPEG and PNG, not the WebP we store). */
export type CardPhotos = ReadonlyMap<string, string>

function art(item: CardItem, photos: CardPhotos, x: number, y: number, w: number, h: number): string {
  const photo = item.imagePath ? photos.get(item.imagePath) : undefined
  // A photo fills its box (cropped at the edges); the generated art is drawn whole.
  if (photo)
    return `<image x="${x}" y="${y}" width="${w}" height="${h}" preserveAspectRatio="xMidYMid slice" href="${photo}"/>`
  const data = Buffer.from(productArtSvg(item.imageSeed)).toString('base64')
  return `<image x="${x}" y="${y}" width="${w}" height="${h}" preserveAspectRatio="xMidYMid meet" href="data:image/svg+xml;base64,${data}"/>`
}

/**
 * Reads the cover photos a card shows, scaled to what a poster needs; a photo that cannot be read falls back to the
 * art.
 */
export async function loadCardPhotos(content: CardContent): Promise<CardPhotos> {
  const photos = new Map<string, string>()
  const ids = [
    ...new Set(
      content.items
        .slice(0, 9)
        .map((i) => i.imagePath)
        .filter((p): p is string => !!p),
    ),
  ]
  await Promise.all(
    ids.map(async (id) => {
      try {
        const jpeg = await sharp(path.join(uploadDir(), `${id}.webp`))
          .resize(840, 840, { fit: 'inside', withoutEnlargement: true })
          .jpeg({ quality: 85 })
          .toBuffer()
        photos.set(id, `data:image/jpeg;base64,${jpeg.toString('base64')}`)
      } catch (e) {
        console.warn(`[cards] photo ${id} unreadable, drawing the art instead`, (e as Error).message)
      }
    }),
  )
  return photos
}

const money = (minor: number, currency: string, locale: string) =>
  formatMoney({ amountMinor: minor, currency: currency as Currency }, locale)

function text(x: number, y: number, size: number, content: string, attrs = ''): string {
  return `<text x="${x}" y="${y}" font-size="${size}" ${attrs}>${esc(content)}</text>`
}

function badge(x: number, y: number, label: string, size: number, anchor: 'start' | 'end' = 'start'): string {
  const w = textWidth(label, size) + size * 1.1
  const left = anchor === 'end' ? x - w : x
  return (
    `<rect x="${left}" y="${y}" width="${w}" height="${size * 1.6}" rx="${size * 0.4}" fill="#d0312d"/>` +
    text(left + size * 0.55, y + size * 1.13, size, label, 'fill="#fff" font-weight="700"')
  )
}

function endLine(c: CardContent): string {
  const t = i18nFor(c.locale).t
  return c.ended ? t('reseller.card.ended') : t('reseller.card.endsAt', { time: formatDateTime(c.endsAt, c.locale) })
}

function singleSvg(c: CardContent, photos: CardPhotos): string {
  const t = i18nFor(c.locale).t
  const item = c.items[0]
  const W = CARD_WIDTH
  const parts: string[] = []
  parts.push(`<rect width="${W}" height="${CARD_HEIGHT}" fill="#fffaf5"/>`)
  parts.push(`<rect width="${W}" height="840" fill="#f4efe9"/>`)
  parts.push(art(item, photos, (W - 630) / 2, 0, 630, 840))
  if (item.tagCut) parts.push(badge(48, 40, t('reseller.card.tagCut'), 34))
  if (!item.sizesLeft.length) parts.push(badge(W - 48, 40, t('reseller.card.soldOut'), 34, 'end'))
  // Title: up to two lines across the whole width.
  const titleLines = wrapText(item.title, 48, 960, 2)
  titleLines.forEach((l, i) => parts.push(text(60, 912 + i * 62, 48, l, 'font-weight="700" fill="#1d1d1f"')))
  const price = money(item.priceMinor, item.currency, c.locale)
  parts.push(text(60, 1120, 100, price, 'font-weight="700" fill="#d0312d"'))
  const sizes = item.sizesLeft.length
    ? t('reseller.card.sizes', { sizes: item.sizesLeft.join(' / ') })
    : t('reseller.card.soldOut')
  const infoW = 680
  parts.push(text(60, 1196, 32, fitText(sizes, 32, infoW), 'fill="#333"'))
  parts.push(
    text(60, 1250, 32, fitText(endLine(c), 32, infoW), c.ended ? 'fill="#d0312d" font-weight="700"' : 'fill="#333"'),
  )
  const qs = 230
  parts.push(qrPath(c.shareUrl, W - 50 - qs, 1030, qs))
  parts.push(text(W - 50 - qs / 2, 1296, 24, t('reseller.card.scan'), 'fill="#666" text-anchor="middle"'))
  parts.push(`<rect x="0" y="${CARD_HEIGHT - 96}" width="${W}" height="96" fill="#1d1d1f"/>`)
  parts.push(
    text(60, CARD_HEIGHT - 36, 36, fitText(t('reseller.card.from', { name: c.resellerName }), 36, 960), 'fill="#fff"'),
  )
  return wrap(parts)
}

function gridSvg(c: CardContent, photos: CardPhotos): string {
  const t = i18nFor(c.locale).t
  const W = CARD_WIDTH
  const parts: string[] = [`<rect width="${W}" height="${CARD_HEIGHT}" fill="#fffaf5"/>`]
  parts.push(
    text(W / 2, 84, 52, fitText(c.heading ?? '', 52, 960), 'font-weight="700" fill="#1d1d1f" text-anchor="middle"'),
  )
  parts.push(
    text(
      W / 2,
      134,
      30,
      fitText(endLine(c), 30, 960),
      c.ended ? 'fill="#d0312d" font-weight="700" text-anchor="middle"' : 'fill="#8a6b5a" text-anchor="middle"',
    ),
  )
  const gap = 18,
    left = 42,
    top = 166
  const items = c.items.slice(0, 9)
  // Up to 4 items in two columns, more in three; the cells grow to fill the poster.
  const cols = items.length <= 1 ? 1 : items.length <= 4 ? 2 : 3
  const rows = Math.ceil(items.length / cols)
  const gridBottom = CARD_HEIGHT - 200
  const cw = (W - left * 2 - gap * (cols - 1)) / cols
  const textH = cols === 3 ? 100 : 130
  const ch = Math.min(((cw * 4) / 3) * 0.85 + textH, (gridBottom - top - gap * (rows - 1)) / rows)
  const artH = ch - textH
  const [titleSize, priceSize] = cols === 3 ? [24, 36] : [30, 46]
  const gridH = rows * ch + (rows - 1) * gap
  const y0 = top + Math.max(0, (gridBottom - top - gridH) / 2)
  items.forEach((item, i) => {
    const x = left + (i % cols) * (cw + gap)
    const y = y0 + Math.floor(i / cols) * (ch + gap)
    parts.push(`<rect x="${x}" y="${y}" width="${cw}" height="${ch}" rx="14" fill="#fff" stroke="#eadfd6"/>`)
    parts.push(`<clipPath id="c${i}"><rect x="${x}" y="${y}" width="${cw}" height="${artH}" rx="14"/></clipPath>`)
    parts.push(
      `<g clip-path="url(#c${i})"><rect x="${x}" y="${y}" width="${cw}" height="${artH}" fill="#f4efe9"/>${art(item, photos, x, y, cw, artH)}</g>`,
    )
    const note = !item.sizesLeft.length ? t('reseller.card.soldOutShort') : item.tagCut ? t('reseller.card.tagCut') : ''
    if (note) parts.push(badge(x + cw - 10, y + 10, note, cols === 3 ? 20 : 26, 'end'))
    parts.push(
      text(x + 14, y + artH + titleSize + 12, titleSize, fitText(item.title, titleSize, cw - 28), 'fill="#333"'),
    )
    parts.push(
      text(
        x + 14,
        y + ch - (cols === 3 ? 18 : 26),
        priceSize,
        fitText(money(item.priceMinor, item.currency, c.locale), priceSize, cw - 28),
        'font-weight="700" fill="#d0312d"',
      ),
    )
  })
  const footY = gridBottom + 20
  const qs = CARD_HEIGHT - footY - 16
  parts.push(qrPath(c.shareUrl, W - left - qs, footY, qs))
  parts.push(
    text(
      left,
      footY + 70,
      38,
      fitText(t('reseller.card.from', { name: c.resellerName }), 38, W - left * 2 - qs - 30),
      'font-weight="700" fill="#1d1d1f"',
    ),
  )
  parts.push(
    text(
      left,
      footY + 124,
      28,
      fitText(t('reseller.card.scanAll', { count: c.items.length }), 28, W - left * 2 - qs - 30),
      'fill="#666"',
    ),
  )
  return wrap(parts)
}

function wrap(parts: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_WIDTH}" height="${CARD_HEIGHT}" viewBox="0 0 ${CARD_WIDTH} ${CARD_HEIGHT}" font-family="${FONT_FAMILY}">${parts.join('')}</svg>`
}

export function cardSvg(content: CardContent, photos: CardPhotos = new Map()): string {
  return content.kind === 'grid' ? gridSvg(content, photos) : singleSvg(content, photos)
}

export function cardFontOptions(): NonNullable<ResvgRenderOptions['font']> {
  return { fontFiles: cardFonts(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY }
}

function renderOptions(): ResvgRenderOptions {
  return { fitTo: { mode: 'width', value: CARD_WIDTH }, font: cardFontOptions() }
}

/** Synchronous render (scripts and tests); photos only when given. */
export function renderCardPng(content: CardContent, photos?: CardPhotos): Buffer {
  return new Resvg(cardSvg(content, photos), renderOptions()).render().asPng()
}

// One render thread (on two cores the other is the event loop's); a few renders may wait, the rest are refused at
// once (PoolFullError → 503) rather than queued behind work nobody will wait for.
let pool: RenderPool | null = null
export function cardRenderPool(): RenderPool {
  pool ??= createRenderPool({
    threads: 1,
    maxQueue: 8,
    warm: {
      svg: wrap([text(0, 40, 32, '预热 Warm', 'font-weight="700"'), text(0, 80, 32, '预热')]),
      options: renderOptions(),
    },
  })
  return pool
}

/** Renders on the render thread, so a poster never blocks the server's event loop. */
export async function renderCardPngAsync(content: CardContent): Promise<Buffer> {
  const drawn = await cardRenderPool().render(
    async () => cardSvg(content, await loadCardPhotos(content)),
    renderOptions(),
  )
  return drawn.png
}

const inFlight = new Map<string, Promise<Buffer>>()
/**
 * The posters served lately, in memory: a forwarded poster is asked for by every phone its chat reaches, and a
 * read from disk is a trip through libuv's pool per ask. Named by the hash of what is drawn, so never stale.
 */
const recent = new LRUCache<string, Buffer>({ maxSize: 64 << 20, sizeCalculation: (png) => png.length })
/** The disk cache's size bound: past it, the least recently written posters go first. */
const cacheMaxBytes = () => setting('CARDS_CACHE_MAX_BYTES')
let pruning: Promise<void> | null = null

/**
 * The PNG for a card, from memory or the disk cache when the same content was drawn before; one render per content
 * at a time.
 */
export async function cachedCardPng(content: CardContent): Promise<{ png: Buffer; hash: string }> {
  const hash = cardHash(content)
  const kept = recent.get(hash)
  if (kept) return { png: kept, hash }
  const file = path.join(cardsDir(), `${hash}.png`)
  try {
    const png = await readFile(file)
    recent.set(hash, png)
    return { png, hash }
  } catch {
    let rendering = inFlight.get(hash)
    if (!rendering) {
      rendering = renderCardPngAsync(content)
        .then(async (png) => {
          await mkdir(cardsDir(), { recursive: true })
          const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
          await writeFile(tmp, png)
          await rename(tmp, file)
          pruning ??= pruneCardCache(cardsDir(), cacheMaxBytes()).finally(() => {
            pruning = null
          })
          recent.set(hash, png)
          return png
        })
        .finally(() => inFlight.delete(hash))
      inFlight.set(hash, rendering)
    }
    return { png: await rendering, hash }
  }
}

/** Deletes the oldest posters until the directory holds at most `maxBytes`. */
export async function pruneCardCache(dir: string, maxBytes: number): Promise<void> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.png'))
  const files = (
    await Promise.all(
      names.map(async (name) => {
        const s = await stat(path.join(dir, name)).catch(() => null)
        return s && { name, size: s.size, mtime: s.mtimeMs }
      }),
    )
  )
    .filter((f) => f !== null)
    .sort((a, b) => a.mtime - b.mtime)
  let total = files.reduce((sum, f) => sum + f.size, 0)
  for (const f of files) {
    if (total <= maxBytes) break
    await unlink(path.join(dir, f.name)).catch(() => {})
    total -= f.size
  }
}
