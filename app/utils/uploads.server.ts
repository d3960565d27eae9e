import { randomUUID } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'

export const UPLOAD_LIMITS = { maxBytes: 5 * 1024 * 1024, maxFiles: 6 }
const TYPES: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' }
// Magic numbers: the declared type must match the bytes.
const MAGIC: Record<string, (b: Buffer) => boolean> = {
  jpg: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  png: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  webp: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
}

export function uploadDir() {
  return path.resolve(process.env.UPLOAD_DIR ?? '.data/uploads')
}

export type PhotoCheck = { ok: true; ext: string; bytes: Buffer } | { ok: false; error: 'type' | 'size' | 'empty' }

export async function checkPhoto(file: File): Promise<PhotoCheck> {
  if (file.size === 0) return { ok: false, error: 'empty' }
  if (file.size > UPLOAD_LIMITS.maxBytes) return { ok: false, error: 'size' }
  const ext = TYPES[file.type]
  if (!ext) return { ok: false, error: 'type' }
  const bytes = Buffer.from(await file.arrayBuffer())
  if (!MAGIC[ext](bytes)) return { ok: false, error: 'type' }
  return { ok: true, ext, bytes }
}

/** Stores checked photos under UPLOAD_DIR/<folder>/ with random names; returns the relative names. */
export async function savePhotos(folder: string, photos: { ext: string; bytes: Buffer }[]) {
  const dir = path.join(uploadDir(), folder)
  await mkdir(dir, { recursive: true })
  const names: string[] = []
  for (const p of photos) {
    const name = `${randomUUID()}.${p.ext}`
    await writeFile(path.join(dir, name), p.bytes)
    names.push(`${folder}/${name}`)
  }
  return names
}
