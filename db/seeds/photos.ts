// Product photos for the demo: each product gets a studio shot and a close-up, uploaded through the same pipeline
// brands use (`storeImage`: type check, sharp re-encode, display size and thumbnail as WebP). The repository ships
// no photographs (no freely licensed product photos could be had as a package), so the "camera" is sharp: the
// product's silhouette and colours from its art seed, lit like a studio shot (backdrop and floor, key light, drape,
// a soft cast and contact shadow, lens vignette) with sensor grain, rendered to a 600×800 JPEG. These are pictures
// made to behave like photos (size, weight, decoding cost), not photographs. Products of one silhouette and colour
// share their stored photos, and a later seed reuses the files an earlier one stored, so seeding stays quick.
import { createHash } from 'node:crypto'
import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import type { Db } from '../client'
import { productLook, type ProductLook } from '#app/utils/product-art'
import { storeImage, UPLOAD_FILE, uploadDir } from '#app/services/catalog/uploads.server'
import { replaceProductPhotos } from '../queries/product-photos'

export const PHOTO_PX = { width: 600, height: 800 } as const

/** Darker or lighter shade of a #rrggbb colour (amount -1 … 1). */
function shade(hex: string, amount: number): string {
  const n = parseInt(hex.slice(1), 16)
  const ch = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) =>
    Math.round(amount < 0 ? c * (1 + amount) : c + (255 - c) * amount),
  )
  return `#${ch.map((c) => c.toString(16).padStart(2, '0')).join('')}`
}

/** A studio shot of the look as SVG (600×800 box, rendered at 900×1200). */
export function studioSvg(look: ProductLook): string {
  const { shape, fill, accent, backdrop, pattern, angle, metal, hash: h } = look
  const wall = shade(backdrop, -0.04)
  const floor = shade(backdrop, -0.12)
  const patternDef =
    pattern === 1
      ? `<pattern id="p" width="26" height="26" patternUnits="userSpaceOnUse" patternTransform="rotate(${angle})"><rect width="11" height="26" fill="${accent}" opacity="0.32"/></pattern>`
      : pattern === 2
        ? `<pattern id="p" width="28" height="28" patternUnits="userSpaceOnUse"><circle cx="14" cy="14" r="4.5" fill="${accent}" opacity="0.4"/></pattern>`
        : pattern === 3
          ? `<pattern id="p" width="36" height="36" patternUnits="userSpaceOnUse"><path d="M0 18H36M18 0V36" stroke="${accent}" stroke-width="5" opacity="0.28"/></pattern>`
          : ''
  // Drape: soft vertical bands of shade and light across the garment, different per product.
  const drape = Array.from({ length: 9 }, (_, i) => {
    const at = (i / 8) * 100
    const o = i % 2 ? 0.1 + ((h >>> i) % 10) / 60 : 0
    return `<stop offset="${at}%" stop-color="${i % 4 === 1 ? '#fff' : '#000'}" stop-opacity="${o.toFixed(2)}"/>`
  }).join('')
  const body = metal
    ? `<path d="${shape}" fill="url(#metal)" fill-rule="evenodd"/><path d="${shape}" fill="url(#light)" fill-rule="evenodd"/>` +
      `<circle cx="300" cy="${h % 2 ? 500 : 290}" r="16" fill="${fill}"/><circle cx="295" cy="${h % 2 ? 495 : 285}" r="5" fill="#fff" opacity="0.8"/>`
    : `<path d="${shape}" fill="${fill}" fill-rule="evenodd"/>` +
      (pattern ? `<path d="${shape}" fill="url(#p)" fill-rule="evenodd"/>` : '') +
      `<path d="${shape}" fill="url(#drape)" fill-rule="evenodd"/><path d="${shape}" fill="url(#light)" fill-rule="evenodd"/>` +
      `<path d="${shape}" fill="none" stroke="${shade(fill, -0.45)}" stroke-opacity="0.5" stroke-width="2.5" fill-rule="evenodd"/>`
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 800" width="${PHOTO_PX.width}" height="${PHOTO_PX.height}">` +
    `<defs>${patternDef}` +
    `<linearGradient id="drape" x1="0.2" y1="0" x2="0.8" y2="0.1">${drape}</linearGradient>` +
    `<radialGradient id="contact" cx="0.5" cy="0.5" r="0.5"><stop offset="0" stop-color="#000" stop-opacity="0.3"/><stop offset="1" stop-color="#000" stop-opacity="0"/></radialGradient>` +
    `<linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${shade(backdrop, 0.35)}"/><stop offset="1" stop-color="${wall}"/></linearGradient>` +
    `<linearGradient id="floor" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${floor}"/><stop offset="1" stop-color="${shade(floor, 0.25)}"/></linearGradient>` +
    `<linearGradient id="light" x1="0.15" y1="0" x2="0.9" y2="1"><stop offset="0" stop-color="#fff" stop-opacity="0.28"/><stop offset="0.45" stop-color="#fff" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.32"/></linearGradient>` +
    `<linearGradient id="metal" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#f9e7a6"/><stop offset="0.35" stop-color="#c9982f"/><stop offset="0.55" stop-color="#fbeeb8"/><stop offset="1" stop-color="#a87b1d"/></linearGradient>` +
    `<radialGradient id="key" cx="0.3" cy="0.2" r="0.75"><stop offset="0" stop-color="#fff" stop-opacity="0.45"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient>` +
    `<radialGradient id="vignette" cx="0.5" cy="0.45" r="0.75"><stop offset="0.6" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.28"/></radialGradient>` +
    `</defs>` +
    `<rect width="600" height="800" fill="url(#wall)"/><rect y="660" width="600" height="140" fill="url(#floor)"/>` +
    `<rect width="600" height="800" fill="url(#key)"/>` +
    `<ellipse cx="300" cy="${metal ? 640 : 688}" rx="250" ry="34" fill="url(#contact)"/>` +
    // A soft shadow cast to the lower right: the silhouette offset a few times, faintly (blur filters are slow).
    [22, 16, 10]
      .map(
        (d) =>
          `<path d="${shape}" transform="translate(${d} ${d * 0.8})" fill="#000" opacity="0.07" fill-rule="evenodd"/>`,
      )
      .join('') +
    body +
    `<rect width="600" height="800" fill="url(#vignette)"/></svg>`
  )
}

const GRAIN_SIGMA = 8

/** Sensor grain, the same for every shot (deterministic, generated once per process). */
let grain: Promise<Buffer> | null = null
function grainLayer(): Promise<Buffer> {
  grain ??= sharp({
    create: {
      ...PHOTO_PX,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: GRAIN_SIGMA },
    },
  })
    .png({ compressionLevel: 1 })
    .toBuffer()
  return grain
}

/** The studio shot and a close-up of the same look, as JPEGs straight off the "camera". */
export async function shootLook(look: ProductLook): Promise<[Buffer, Buffer]> {
  const rendered = await sharp(Buffer.from(studioSvg(look)))
    .composite([{ input: await grainLayer(), blend: 'soft-light' }])
    .jpeg({ quality: 90 })
    .toBuffer()
  // The close-up: the middle of the garment, as a second shot framed tighter.
  const closeUp = await sharp(rendered)
    .extract({ left: 150, top: 220, width: 300, height: 400 })
    .resize(PHOTO_PX.width, PHOTO_PX.height)
    .modulate({ brightness: 1.03 })
    .jpeg({ quality: 88 })
    .toBuffer()
  return [rendered, closeUp]
}

/** One look per silhouette and colour: products that share both share their photos. */
const lookKey = (look: ProductLook) => `${look.shapeName}|${look.fill}`

const MANIFEST = 'demo-photos.json'

/** Photos stored by an earlier seed for the same shot (keyed by its content), when their files are all still there. */
async function storedBefore(shot: string): Promise<string[] | null> {
  try {
    const manifest = JSON.parse(await readFile(path.join(uploadDir(), MANIFEST), 'utf8')) as Record<string, string[]>
    const ids = manifest[shot]
    if (!Array.isArray(ids) || !ids.length) return null
    for (const id of ids) {
      if (!UPLOAD_FILE.test(`${id}.webp`)) return null
      await access(path.join(uploadDir(), `${id}.webp`))
      await access(path.join(uploadDir(), `${id}-thumb.webp`))
    }
    return ids
  } catch {
    return null
  }
}

/**
 * Gives products of the demo catalogue that have no photo their studio shot and close-up (all of them, or those in
 * `productIds`). The first run on a machine shoots each look and uploads it through `storeImage`; later runs (a
 * fresh database, the same upload folder) find the stored files by the shot's content hash and reuse them. Each
 * look's products change in one short transaction, so pages and the search index pick photos up as they come.
 */
export async function seedProductPhotos(
  db: Db,
  options: { now?: Date; productIds?: readonly string[] } = {},
): Promise<{ looks: number; shot: number }> {
  if (options.productIds?.length === 0) return { looks: 0, shot: 0 }
  let q = db.selectFrom('products').select(['id', 'image_seed']).where('image_path', 'is', null).orderBy('image_seed')
  if (options.productIds) q = q.where('id', 'in', options.productIds)
  const products = await q.execute()
  const byLook = new Map<string, { look: ProductLook; ids: string[] }>()
  for (const p of products) {
    const look = productLook(p.image_seed)
    const key = lookKey(look)
    const entry = byLook.get(key) ?? { look, ids: [] }
    entry.ids.push(p.id)
    byLook.set(key, entry)
  }
  const fresh: Record<string, string[]> = {}
  for (const { look, ids: productIds } of byLook.values()) {
    const shot = createHash('sha256')
      .update(`${studioSvg(look)}|${GRAIN_SIGMA}`)
      .digest('hex')
      .slice(0, 32)
    let ids = await storedBefore(shot)
    if (!ids) {
      const files = (await shootLook(look)).map(
        (bytes, i) => new File([new Uint8Array(bytes)], `${look.shapeName}-${i}.jpg`, { type: 'image/jpeg' }),
      )
      ids = []
      for (const f of files) ids.push(await storeImage(f, 'photos'))
      fresh[shot] = ids
    }
    const photos = ids
    await db.transaction().execute(async (trx) => {
      for (const id of productIds) await replaceProductPhotos(trx, id, photos, options.now ?? new Date())
    })
  }
  if (Object.keys(fresh).length) await remember(fresh)
  return { looks: byLook.size, shot: Object.keys(fresh).length }
}

async function remember(fresh: Record<string, string[]>) {
  await mkdir(uploadDir(), { recursive: true })
  const file = path.join(uploadDir(), MANIFEST)
  const before = await readFile(file, 'utf8')
    .then((t) => JSON.parse(t) as Record<string, string[]>)
    .catch(() => ({}))
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, JSON.stringify({ ...before, ...fresh }))
  await rename(tmp, file)
}
