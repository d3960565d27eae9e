import { redirect } from '@remix-run/node'
import { FieldRuleError } from '#app/domain/errors'
import { CATALOG_RULES } from '#app/domain/platform-rules'
import { movePhoto } from '#app/domain/product-photos'
import type { Db } from '#db/client'
import { findBrandProduct } from '#db/queries/brand-catalog'
import { listProductPhotos, lockProductPhotos, replaceProductPhotos } from '#db/queries/product-photos'
import { getDb } from '#app/utils/db.server'
import { bodyTooLarge, domainErrorReply, invalidReply, UUID } from '#app/utils/http.server'
import { hasFile, storeImage, uploadMaxBytes } from './uploads.server'

/**
 * Adds photos to one of the brand's products, after the ones it has, up to nine. Each is checked (type and
 * size), re-encoded and resized by sharp before the product changes; the first photo is the cover.
 */
export async function addProductPhotos(
  db: Db,
  brandId: string,
  productId: string,
  files: File[],
  now: Date,
): Promise<string[]> {
  await requireOwned(db, brandId, productId)
  const have = await listProductPhotos(db, productId)
  if (!files.length) throw new FieldRuleError('no photo', { photos: 'photos_none' })
  if (have.length + files.length > CATALOG_RULES.maxPhotos)
    throw new FieldRuleError('too many photos', { photos: 'photos_too_many' })
  const stored: string[] = []
  for (const file of files) stored.push(await storeImage(file, 'photos'))
  return db.transaction().execute(async (trx) => {
    await lockProductPhotos(trx, productId)
    const current = await listProductPhotos(trx, productId)
    const next = [...current, ...stored]
    if (next.length > CATALOG_RULES.maxPhotos)
      throw new FieldRuleError('too many photos', { photos: 'photos_too_many' })
    await replaceProductPhotos(trx, productId, next, now)
    return next
  })
}

/** Moves one photo (by id) to another place in the order: `first` makes it the cover, `earlier`/`later` step. */
export async function reorderProductPhoto(
  db: Db,
  brandId: string,
  productId: string,
  photo: string,
  move: 'first' | 'earlier' | 'later' | 'remove',
  now: Date,
): Promise<string[]> {
  await requireOwned(db, brandId, productId)
  return db.transaction().execute(async (trx) => {
    await lockProductPhotos(trx, productId)
    const current = await listProductPhotos(trx, productId)
    if (!current.includes(photo)) throw new Response('Not found', { status: 404 })
    const next = movePhoto(current, photo, move)
    await replaceProductPhotos(trx, productId, next, now)
    return next
  })
}

async function requireOwned(db: Db, brandId: string, productId: string) {
  if (!(await findBrandProduct(db, brandId, productId))) throw new Response('Not found', { status: 404 })
}

/** The cover uploaded through the product form replaces the first photo. */
export async function replaceCoverPhoto(db: Db, productId: string, photo: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockProductPhotos(trx, productId)
    const current = await listProductPhotos(trx, productId)
    await replaceProductPhotos(trx, productId, [photo, ...current.slice(1)], now)
  })
}

const MOVES = ['first', 'earlier', 'later', 'remove'] as const

/**
 * The photo manager's action on the product edit page: add photos, or move / remove one. Its replies carry
 * `form: 'photos'`, so the page shows them at the photos and not at the product form.
 */
export async function handlePhotoForm(request: Request, brandId: string, productId: string) {
  const body = { form: 'photos' }
  const bad = (rule: string, status: 400 | 413 = 400) =>
    invalidReply(null, { fieldErrors: { photos: [`phone.photos.errors.${rule}`] }, body, status })
  if (bodyTooLarge(request, uploadMaxBytes() * CATALOG_RULES.maxPhotos + 1024 * 1024))
    return bad('image_too_large', 413)
  const form = await request.formData().catch(() => null)
  if (!form) return bad('bad_request')
  const intent = String(form.get('intent') ?? '')
  try {
    if (intent === 'add') {
      const files = form.getAll('photos').filter(hasFile)
      await addProductPhotos(getDb(), brandId, productId, files, new Date())
      return redirect(`/brand/products/${productId}?photos=1`)
    }
    const photo = String(form.get('photo') ?? '')
    const move = MOVES.find((m) => m === intent)
    if (!move || !UUID.test(photo)) return bad('bad_request')
    await reorderProductPhoto(getDb(), brandId, productId, photo, move, new Date())
    return redirect(`/brand/products/${productId}?photos=1`)
  } catch (e) {
    return domainErrorReply(e, null, { messages: 'phone.photos.errors', body })
  }
}

/** A product's photos in order (ids; the first is the cover). */
export function productPhotos(db: Db, productId: string): Promise<string[]> {
  return listProductPhotos(db, productId)
}
