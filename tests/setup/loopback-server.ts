import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach } from 'vitest'

// A node:http listener served on a free loopback port, for the tests of what sits in front of Remix (admission
// control, kept public pages, the order-form transport). Every server a test starts is closed after it, open
// keep-alive connections included.

const open = new Set<http.Server>()

afterEach(async () => {
  const servers = [...open]
  open.clear()
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections()
          server.close(() => resolve())
        }),
    ),
  )
})

/** Serves `listener` on 127.0.0.1 until the test ends; returns the port. */
export async function listenOnLoopback(listener: http.RequestListener): Promise<number> {
  const server = http.createServer(listener)
  open.add(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

export interface LoopbackAnswer {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
}

/** One request to a loopback port; resolves with the whole answer once its body has ended. */
export function requestLoopback(
  port: number,
  v: {
    path: string
    method?: string
    headers?: http.OutgoingHttpHeaders
    body?: string
    agent?: http.Agent | false
  },
): Promise<LoopbackAnswer> {
  return new Promise((resolve, reject) => {
    const { path, method = 'GET', headers = {}, agent } = v
    http
      .request({ host: '127.0.0.1', port, path, method, headers, agent }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
      })
      .on('error', reject)
      .end(v.body)
  })
}
