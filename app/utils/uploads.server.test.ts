import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkImage, detectImageType, readUploadFile, saveUploads } from './uploads.server'

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0])

describe('uploads', () => {
  let dir = ''
  const before = process.env.UPLOAD_DIR
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'up-'))
    process.env.UPLOAD_DIR = dir
  })
  afterAll(async () => {
    process.env.UPLOAD_DIR = before
    await rm(dir, { recursive: true, force: true })
  })

  it('detects the type from the bytes, not the name', () => {
    expect(detectImageType(PNG)).toBe('png')
    expect(detectImageType(JPEG)).toBe('jpeg')
    expect(detectImageType(new TextEncoder().encode('<?php'))).toBeNull()
  })

  it('refuses empty, oversized and mislabelled files; a declared type must agree only when asked', async () => {
    expect(await checkImage(new File([], 'a.png', { type: 'image/png' }))).toEqual({ ok: false, error: 'empty' })
    expect(await checkImage(new File([new Uint8Array(5 * 1024 * 1024 + 1)], 'a.png', { type: 'image/png' }))).toEqual({
      ok: false,
      error: 'size',
    })
    expect(await checkImage(new File(['<script>'], 'a.png', { type: 'image/png' }))).toEqual({
      ok: false,
      error: 'type',
    })
    const lying = new File([PNG], 'a.jpg', { type: 'image/jpeg' })
    expect(await checkImage(lying, { declaredMustMatch: true })).toEqual({ ok: false, error: 'type' })
    expect(await checkImage(lying)).toMatchObject({ ok: true, type: 'png', ext: 'png' })
  })

  it('stores under UPLOAD_DIR/<folder> and reads back only allowed names', async () => {
    const [name] = await saveUploads('x', [{ ext: 'png', bytes: PNG }])
    expect(name).toMatch(/^x\/[0-9a-f-]{36}\.png$/)
    expect(new Uint8Array(await readFile(path.join(dir, name!)))).toEqual(PNG)
    expect(await readUploadFile(name!, /^x\/[0-9a-f-]{36}\.png$/)).not.toBeNull()
    expect(await readUploadFile('../etc/passwd', /.*/)).toBeNull()
    expect(await readUploadFile(name!, /^y\//)).toBeNull()
  })
})
