import { PassThrough } from 'node:stream'
import { text } from 'node:stream/consumers'
import { createElement } from 'react'
import { renderToPipeableStream, renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { StripNulBytes } from './strip-nul.server'

// Many small text chunks with 3-byte characters, shifted by k ASCII bytes, so that for some k a
// character does not fit at the end of React's 2048-byte view.
const page = (k: number) =>
  createElement(
    'div',
    null,
    createElement('b', null, 'x'.repeat(k + 1)),
    ...Array.from({ length: 400 }, (_, i) => createElement('i', { key: i }, '授权')),
  )

function render(k: number, through: () => NodeJS.ReadWriteStream) {
  return new Promise<string>((resolve, reject) => {
    const { pipe } = renderToPipeableStream(page(k), {
      onAllReady() {
        const out = through()
        text(out as NodeJS.ReadableStream).then(resolve, reject)
        pipe(out as NodeJS.WritableStream)
      },
      onShellError: reject,
    })
  })
}

describe('StripNulBytes', () => {
  it('React 18 inserts NUL bytes at its buffer boundary (the bug this works around)', async () => {
    const outputs = await Promise.all(Array.from({ length: 12 }, (_, k) => render(k, () => new PassThrough())))
    // Still true on React 18.3.1; if React is upgraded and this fails, the workaround can go.
    expect(outputs.some((html) => html.includes('\0'))).toBe(true)
  })

  it('restores exactly what React meant to write', async () => {
    for (let k = 0; k < 12; k++) {
      const html = await render(k, () => new StripNulBytes())
      expect(html.replace(/<!-- -->/g, '')).toBe(renderToStaticMarkup(page(k)))
    }
  })

  it('drops NUL bytes and nothing else', async () => {
    const s = new StripNulBytes()
    const done = text(s)
    s.write(Buffer.from([0x61, 0, 0xe6, 0x8e]))
    s.end(Buffer.from([0x88, 0, 0x62]))
    expect(await done).toBe('a授b')
  })
})
