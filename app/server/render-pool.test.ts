import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { renderThreads, rendersOnThread } from './render-pool'

const req = (method: string, url: string) => ({ method, url }) as IncomingMessage

describe('which requests a render thread answers', () => {
  it('takes GET and HEAD pages and their data requests', () => {
    for (const url of ['/', '/sessions/abc', '/sessions/abc?_data=routes%2Fsessions.%24sessionId', '/orders', '/cart'])
      expect(rendersOnThread(req('GET', url)), url).toBe(true)
    expect(rendersOnThread(req('HEAD', '/sessions/abc'))).toBe(true)
  })

  it('leaves to the main thread what a thread cannot see, writes, or files', () => {
    for (const url of [
      '/s/token',
      '/s/token/options/item',
      '/shop/lily',
      '/search?q=coat',
      '/reseller/links/1',
      '/reseller',
      '/healthz',
      '/build/entry.js',
      '/favicon.ico',
      '/admin/payouts.csv',
      '/s/token/card.png',
      '/bench/grab',
    ])
      expect(rendersOnThread(req('GET', url)), url).toBe(false)
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) expect(rendersOnThread(req(method, '/cart'))).toBe(false)
    // Paths that only start like one of those are pages.
    expect(rendersOnThread(req('GET', '/sessions/search-results'))).toBe(true)
    expect(rendersOnThread(req('GET', '/shopping'))).toBe(true)
    expect(rendersOnThread(req('GET', '/bench/bare'))).toBe(true)
  })
})

describe('how many render threads a process starts', () => {
  const one = { dev: false, processes: 1 }
  it('two on a machine of two cores or more, one on a single core', () => {
    expect(renderThreads({ ...one, cores: 2 })).toBe(2)
    expect(renderThreads({ ...one, cores: 16 })).toBe(2)
    expect(renderThreads({ ...one, cores: 1 })).toBe(1)
  })
  it('none under npm run dev or in a cluster, unless RENDER_THREADS asks', () => {
    expect(renderThreads({ dev: true, processes: 1, cores: 4 })).toBe(0)
    expect(renderThreads({ dev: false, processes: 4, cores: 4 })).toBe(0)
    expect(renderThreads({ asked: 1, dev: false, processes: 4, cores: 4 })).toBe(1)
    expect(renderThreads({ asked: 0, ...one, cores: 4 })).toBe(0)
  })
})
