import compression from 'compression'
import { describe, expect, it } from 'vitest'
import { listenOnLoopback, requestLoopback } from '#tests/setup/loopback-server'
import { preferredEncoding } from './content-encoding'

describe('the encoding a client is sent', () => {
  it('is the one the `compression` middleware chooses for the same Accept-Encoding', async () => {
    const middleware = compression()
    const port = await listenOnLoopback((req, res) =>
      middleware(req as never, res as never, () => {
        res.setHeader('Content-Type', 'text/html; charset=utf-8')
        res.end('<p>page</p>'.repeat(200))
      }),
    )
    for (const header of [
      undefined,
      'gzip',
      'br',
      'gzip, deflate, br',
      'gzip, deflate, br, zstd',
      'deflate',
      'identity',
      '*',
      'gzip;q=0',
      'gzip;q=0, br;q=0',
      'br;q=0.5, gzip',
      'br;q=0.5, gzip;q=0.5',
      'gzip;q=0.5, identity',
      'gzip;q=0.5',
      'identity;q=0, *;q=0.1',
      '*;q=0',
      '*, br;q=0',
      'GZIP',
      'gzip;q=abc, br;q=0.2',
      ' br ; q=1 , gzip ; q=1 ',
    ]) {
      const answer = await requestLoopback(port, {
        path: '/',
        headers: header === undefined ? {} : { 'accept-encoding': header },
      })
      const chosen = answer.headers['content-encoding'] ?? null
      // A client that takes deflate alone is deflated there; kept pages are not kept deflated.
      expect(preferredEncoding(header), String(header)).toBe(chosen === 'deflate' ? null : chosen)
    }
  })
})
