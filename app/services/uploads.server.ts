import { randomUUID } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { FieldRuleError } from '#app/domain/catalog-errors'
import { CATALOG_RULES } from '#app/domain/platform-rules'

/** Where photos live: UPLOAD_DIR, default .data/uploads (git-ignored). */
export function uploadDir(): string {
  return path.resolve(process.env.UPLOAD_DIR ?? '.data/uploads')
}

export function uploadMaxBytes(): number {
  const n = Number(process.env.UPLOAD_MAX_BYTES)
  return Number.isSafeInteger(n) && n > 0 ? n : CATALOG_RULES.uploadMaxBytes
}

export type ImageType = 'jpeg' | 'png' | 'webp'

/** The real type from the first bytes (magic numbers), never from the name or the browser's claim. */
export function detectImageType(bytes: Uint8Array): ImageType | null {
  const b = bytes
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg'
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v)) return 'png'
  if (b.length >= 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') return 'webp'
  return null
}

/** A stored photo's id is a UUID; files are <id>.webp (max 1200 px) and <id>-thumb.webp. */
export const UPLOAD_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(-thumb)?\.webp$/

/** True when the form carried a non-empty file in `field`. */
export function hasFile(value: FormDataEntryValue | null): value is File {
  return typeof value === 'object' && value !== null && 'arrayBuffer' in value && value.size > 0
}

/**
 * Checks type (magic bytes) and size, resizes to the display size and a thumbnail (WebP), and
 * returns the new photo's id. Refusals are field errors on `field`.
 */
export async function storeImage(file: File, field = 'image'): Promise<string> {
  if (file.size > uploadMaxBytes()) throw new FieldRuleError('image too large', { [field]: 'image_too_large' })
  const bytes = new Uint8Array(await file.arrayBuffer())
  if (!detectImageType(bytes)) throw new FieldRuleError('not a JPEG, PNG or WebP image', { [field]: 'image_bad_type' })
  const id = randomUUID()
  const dir = uploadDir()
  await mkdir(dir, { recursive: true })
  try {
    const source = sharp(bytes, { failOn: 'error' }).rotate()
    const [main, thumb] = await Promise.all([
      source.clone().resize(CATALOG_RULES.imageMaxPx, CATALOG_RULES.imageMaxPx, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 82 }).toBuffer(),
      source.clone().resize(CATALOG_RULES.thumbMaxPx, CATALOG_RULES.thumbMaxPx, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 78 }).toBuffer(),
    ])
    await writeFile(path.join(dir, `${id}.webp`), main)
    await writeFile(path.join(dir, `${id}-thumb.webp`), thumb)
  } catch {
    throw new FieldRuleError('image could not be read', { [field]: 'image_unreadable' })
  }
  return id
}

/** The bytes of a stored file, or null for unknown or unsafe names. */
export async function readUpload(name: string): Promise<Buffer | null> {
  if (!UPLOAD_FILE.test(name)) return null
  try {
    return await readFile(path.join(uploadDir(), name))
  } catch {
    return null
  }
}
