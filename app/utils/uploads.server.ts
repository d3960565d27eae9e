import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { CATALOG_RULES } from '#app/domain/platform-rules'
import { setting } from './env.server'

/**
 * The one place for uploaded files: type by magic bytes (never the name or the browser's claim),
 * size limits, and storage under UPLOAD_DIR (default .data/uploads, git-ignored).
 * Catalog images and after-sale photos (operator-only) both go through here, and both are stored
 * re-encoded by sharp (app/services/catalog/uploads.server.ts): only the decoded pixels, never the bytes as sent.
 */
export function uploadDir(): string {
  return path.resolve(setting('UPLOAD_DIR') ?? '.data/uploads')
}

/** Per-file limit: UPLOAD_MAX_BYTES, default 5 MB. */
export function uploadMaxBytes(): number {
  return setting('UPLOAD_MAX_BYTES') ?? CATALOG_RULES.uploadMaxBytes
}

/** After-sale photos: at most this many per request, each within uploadMaxBytes(). */
export const UPLOAD_LIMITS = {
  get maxBytes() {
    return uploadMaxBytes()
  },
  maxFiles: 6,
}

export type ImageType = 'jpeg' | 'png' | 'webp'
export const IMAGE_MIME: Record<ImageType, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' }
const EXT: Record<ImageType, string> = { jpeg: 'jpg', png: 'png', webp: 'webp' }

/** The real type from the first bytes (magic numbers). */
export function detectImageType(b: Uint8Array): ImageType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg'
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v)) return 'png'
  if (
    b.length >= 12 &&
    String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' &&
    String.fromCharCode(...b.subarray(8, 12)) === 'WEBP'
  )
    return 'webp'
  return null
}

/** True when the form carried a non-empty file. */
export function hasFile(value: FormDataEntryValue | null): value is File {
  return typeof value === 'object' && value !== null && 'arrayBuffer' in value && value.size > 0
}

export type ImageCheck =
  { ok: true; type: ImageType; ext: string; bytes: Buffer } | { ok: false; error: 'empty' | 'size' | 'type' }

/**
 * Size first (no read of an oversized file), then the magic bytes. With `declaredMustMatch` the
 * browser's declared type must also name the same image type (after-sale evidence).
 */
export async function checkImage(file: File, opts: { declaredMustMatch?: boolean } = {}): Promise<ImageCheck> {
  if (file.size === 0) return { ok: false, error: 'empty' }
  if (file.size > uploadMaxBytes()) return { ok: false, error: 'size' }
  const bytes = Buffer.from(await file.arrayBuffer())
  const type = detectImageType(bytes)
  if (!type) return { ok: false, error: 'type' }
  if (opts.declaredMustMatch && file.type !== IMAGE_MIME[type]) {
    return { ok: false, error: 'type' }
  }
  return { ok: true, type, ext: EXT[type], bytes }
}

/** Writes checked files under UPLOAD_DIR/<folder>/ with random names; returns the names relative to UPLOAD_DIR. */
export async function saveUploads(folder: string, files: { ext: string; bytes: Uint8Array }[]): Promise<string[]> {
  const dir = path.join(uploadDir(), folder)
  await mkdir(dir, { recursive: true })
  const names: string[] = []
  for (const f of files) {
    const name = `${randomUUID()}.${f.ext}`
    await writeFile(path.join(dir, name), f.bytes)
    names.push(folder ? `${folder}/${name}` : name)
  }
  return names
}

/** Deletes stored files (names as returned by saveUploads); missing files are fine. */
export async function removeUploads(names: readonly string[]): Promise<void> {
  await Promise.all(
    names.filter((n) => !n.split('/').includes('..')).map((n) => rm(path.join(uploadDir(), n), { force: true })),
  )
}

/** Bytes of a stored file whose relative name passes `allowed`; null for unknown or unsafe names. */
export async function readUploadFile(rel: string, allowed: RegExp): Promise<Buffer | null> {
  if (!allowed.test(rel) || rel.split('/').some((p) => p === '..' || p === '')) return null
  try {
    return await readFile(path.join(uploadDir(), rel))
  } catch {
    return null
  }
}

/** Content-Type for a stored file by its extension. */
export function mimeForUpload(rel: string): string {
  const ext = rel.split('.').pop()
  return ext === 'jpg' ? 'image/jpeg' : ext === 'png' ? 'image/png' : 'image/webp'
}
