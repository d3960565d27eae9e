import { randomUUID } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { FieldRuleError } from '#app/domain/errors'
import { CATALOG_RULES } from '#app/domain/platform-rules'
import { checkImage, readUploadFile, uploadDir } from '#app/utils/uploads.server'

export { detectImageType, hasFile, uploadDir, uploadMaxBytes, type ImageType } from '#app/utils/uploads.server'

/** A stored photo's id is a UUID; files are <id>.webp (max 1200 px) and <id>-thumb.webp. */
export const UPLOAD_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(-thumb)?\.webp$/

/**
 * Checks type (magic bytes) and size, resizes to the display size and a thumbnail (WebP), and
 * returns the new photo's id. Refusals are field errors on `field`.
 */
export async function storeImage(file: File, field = 'image'): Promise<string> {
  const checked = await checkImage(file)
  if (!checked.ok && checked.error === 'size')
    throw new FieldRuleError('image too large', { [field]: 'image_too_large' })
  if (!checked.ok) throw new FieldRuleError('not a JPEG, PNG or WebP image', { [field]: 'image_bad_type' })
  const { bytes } = checked
  const id = randomUUID()
  const dir = uploadDir()
  await mkdir(dir, { recursive: true })
  try {
    const source = sharp(bytes, { failOn: 'error' }).rotate()
    const [main, thumb] = await Promise.all([
      source
        .clone()
        .resize(CATALOG_RULES.imageMaxPx, CATALOG_RULES.imageMaxPx, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 82 })
        .toBuffer(),
      source
        .clone()
        .resize(CATALOG_RULES.thumbMaxPx, CATALOG_RULES.thumbMaxPx, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 78 })
        .toBuffer(),
    ])
    await writeFile(path.join(dir, `${id}.webp`), main)
    await writeFile(path.join(dir, `${id}-thumb.webp`), thumb)
  } catch {
    throw new FieldRuleError('image could not be read', { [field]: 'image_unreadable' })
  }
  return id
}

/**
 * Decodes a checked image and encodes it afresh as WebP (at most `maxPx` on the long side, EXIF rotation applied,
 * metadata dropped): whatever a file carried besides its pixels — trailing HTML after a JPEG header, say — is not
 * stored. Null when the pixels cannot be decoded.
 */
export async function reencodeImage(
  bytes: Uint8Array,
  maxPx: number = CATALOG_RULES.imageMaxPx,
): Promise<{ ext: 'webp'; bytes: Buffer } | null> {
  try {
    const out = await sharp(bytes, { failOn: 'error' })
      .rotate()
      .resize(maxPx, maxPx, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer()
    return { ext: 'webp', bytes: out }
  } catch {
    return null
  }
}

/** The bytes of a stored file, or null for unknown or unsafe names. */
export function readUpload(name: string): Promise<Buffer | null> {
  return readUploadFile(name, UPLOAD_FILE)
}
