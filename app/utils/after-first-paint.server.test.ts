import { describe, expect, it } from 'vitest'
import { hydrateAfterFirstPaint } from './after-first-paint.server'

// The tail of a document as Remix 2 renders it (`<Scripts nonce>`): preloads, the context script, the module script.
const remixDocument = (nonce: string) =>
  '<html><head><link rel="icon" href="/favicon.svg"/></head><body><main>…</main>' +
  '<link rel="modulepreload" href="/build/manifest-A.js"/><link rel="modulepreload" href="/build/entry.client-B.js"/>' +
  `<script nonce="${nonce}">window.__remixContext = {"url":"/"};</script>` +
  `<script nonce="${nonce}" type="module" async="">import "/build/manifest-A.js";\n` +
  'import * as route0 from "/build/root-C.js";\nwindow.__remixRouteModules = {"root":route0};\n\n' +
  'import("/build/entry.client-B.js");</script></body></html>'

describe('hydrateAfterFirstPaint', () => {
  it('parks the preloads and inserts the same module script, with its nonce, once the first frame is painted', () => {
    const html = hydrateAfterFirstPaint(remixDocument('n0nce=='))
    expect(html).not.toContain('<link rel="modulepreload"')
    expect(html.match(/<link rel="preload-after-paint"/g)).toHaveLength(2)
    expect(html).not.toContain('type="module" async')
    expect(html).toContain('<script nonce="n0nce==">window.__remixContext')
    const loader = html.match(/<script nonce="n0nce==">(\(function[\s\S]*?)<\/script>/)![1]!
    expect(loader).toContain('requestAnimationFrame')
    expect(loader).toContain('s.nonce="n0nce=="')
    // The module's text survives as a JS string, byte for byte.
    const text = JSON.parse(loader.match(/s\.textContent=("(?:[^"\\]|\\.)*")/)![1]!)
    expect(text).toBe(remixDocument('x').match(/type="module" async="">([\s\S]*?)<\/script>/)![1])
  })

  it('turns the preloads on a few per task, then inserts the module script', () => {
    const links = Array.from({ length: 10 }, () => ({ rel: 'preload-after-paint' }))
    const appended: { type?: string; textContent?: string }[] = []
    const tasks: (() => void)[] = []
    const document = {
      querySelectorAll: () => links,
      createElement: () => ({}),
      body: { appendChild: (s: { type?: string }) => appended.push(s) },
    }
    const loader = hydrateAfterFirstPaint(remixDocument('n')).match(
      /<script nonce="n">(\(function[\s\S]*?)<\/script>/,
    )![1]!
    new Function('document', 'requestAnimationFrame', 'setTimeout', loader)(
      document,
      (f: () => void) => tasks.push(f),
      (f: () => void) => tasks.push(f),
    )
    const on = () => links.filter((l) => l.rel === 'modulepreload').length
    const run = () => tasks.shift()!()
    run() // the frame
    run() // the first task after it
    expect(on()).toBe(2)
    expect(appended).toHaveLength(0)
    while (tasks.length) run()
    expect(on()).toBe(10)
    expect(appended).toHaveLength(1)
    expect(appended[0]!.type).toBe('module')
  })

  it('writes no "<" of the module text into the loader, so nothing in it can end the script element', () => {
    const html = hydrateAfterFirstPaint(
      '<link rel="modulepreload" href="/a.js"/><script nonce="n" type="module" async="">if (1 <!-- 2) import("/a.js")</script>',
    )
    expect(html).not.toContain('<!--')
    expect(html).toContain('\\u003c!--')
  })

  it('leaves a document without exactly one module script alone', () => {
    const plain = '<html><body><link rel="modulepreload" href="/x.js"/></body></html>'
    expect(hydrateAfterFirstPaint(plain)).toBe(plain)
    const two = remixDocument('a') + remixDocument('b')
    expect(hydrateAfterFirstPaint(two)).toBe(two)
  })
})
