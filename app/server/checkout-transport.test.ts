import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { admissionControl } from './admission'
import { customerOrdersUnqueued, isCustomerOrderPost } from './checkout-transport'

let server: http.Server | undefined
afterEach(
  () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve()
      server.closeAllConnections()
      server.close(() => resolve())
    }),
)

const req = (method: string, url: string) => ({ method, url }) as http.IncomingMessage

describe('customer order forms', () => {
  it('are the POSTs to a share page or a shop, with or without Remix’s data query', () => {
    expect(isCustomerOrderPost(req('POST', '/s/abcDEF123'))).toBe(true)
    expect(isCustomerOrderPost(req('POST', '/s/abcDEF123?_data=routes%2Fs.%24token'))).toBe(true)
    expect(isCustomerOrderPost(req('POST', '/shop/lily'))).toBe(true)
    expect(isCustomerOrderPost(req('GET', '/s/abcDEF123'))).toBe(false)
    expect(isCustomerOrderPost(req('POST', '/s/abc/card.png'))).toBe(false)
    expect(isCustomerOrderPost(req('POST', '/shopping'))).toBe(false)
    expect(isCustomerOrderPost(req('POST', '/sessions/x'))).toBe(false)
  })

  it('are answered while admission control turns pages away', async () => {
    // Every page takes 300 ms and only one runs at a time with none queued: a second page at once is a 503.
    const app: http.RequestListener = (_req, res) => void setTimeout(() => res.end('ok'), 300)
    const admitted = admissionControl({ maxConcurrent: 1, maxQueued: 0, queueTimeoutMs: 10, minConcurrent: 1 }, app)
    server = http.createServer(customerOrdersUnqueued(app, admitted))
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const send = (method: string, path: string) =>
      new Promise<number>((resolve, reject) => {
        const r = http.request({ host: '127.0.0.1', port, path, method }, (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode!))
        })
        r.on('error', reject)
        r.end()
      })
    const [page, busy, order] = await Promise.all([send('GET', '/s/t1'), send('GET', '/s/t1'), send('POST', '/s/t1')])
    expect([page, busy].sort()).toEqual([200, 503])
    expect(order).toBe(200)
  })
})
