import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { hydrateAfterFirstPaint } from './after-first-paint.server'
import { englishChunk, withModulePreload } from './locale-preload.server'

describe("an English page's translations, preloaded with its scripts", () => {
  it("finds the English chunk the entry's chunks import, once per build", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'public-'))
    mkdirSync(path.join(dir, 'build/_shared'), { recursive: true })
    writeFileSync(path.join(dir, 'build/entry.client-B.js'), 'import "/build/_shared/chunk-A.js";')
    writeFileSync(
      path.join(dir, 'build/_shared/chunk-A.js'),
      'l==="en"?import("/build/_shared/en-5TWV.js"):import("/build/_shared/zh-CN-5ZU6.js")',
    )
    const manifest = {
      version: 'v1',
      entry: { module: '/build/entry.client-B.js', imports: ['/build/_shared/chunk-A.js'] },
    }
    expect(englishChunk(manifest, dir)).toBe('/build/_shared/en-5TWV.js')
    // Read once per build: the files are not read again.
    writeFileSync(path.join(dir, 'build/_shared/chunk-A.js'), '')
    expect(englishChunk(manifest, dir)).toBe('/build/_shared/en-5TWV.js')
    // A build whose chunks do not say: no preload.
    expect(englishChunk({ ...manifest, version: 'v2' }, dir)).toBeNull()
  })

  it("puts the preload last in the body, where it waits for the first paint with the page's own", () => {
    const page =
      '<html><body><main>…</main><link rel="modulepreload" href="/build/entry.client-B.js"/>' +
      '<script nonce="n" type="module" async="">import("/build/entry.client-B.js");</script></body></html>'
    const html = withModulePreload(page, '/build/_shared/en-5TWV.js')
    expect(html).toContain('</script><link rel="modulepreload" href="/build/_shared/en-5TWV.js"/></body></html>')
    const parked = hydrateAfterFirstPaint(html)
    expect(parked).toContain('<link rel="preload-after-paint" href="/build/_shared/en-5TWV.js"/></body>')
    expect(parked).not.toContain('<link rel="modulepreload"')
  })
})
