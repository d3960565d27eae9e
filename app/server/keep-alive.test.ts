import { once } from 'node:events'
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createAppServer, KEEP_ALIVE_TIMEOUT_MS } from './http'

// A client (a balancer, a browser, a test's request context) reuses an idle connection whenever it likes; if the
// server closes idle ones sooner than the client does, a reuse at that instant is reset.
const servers: ReturnType<typeof createAppServer>[] = []
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    s.close()
  }
})

describe('keep-alive connections', () => {
  it('stay open past Node’s 5 s default and nginx’s 60 s: a request after 6 s idle goes on the same connection', async () => {
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000)
    const server = createAppServer((_req, res) => res.end('ok'))
    servers.push(server)
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1')
    await once(socket, 'connect')
    let text = ''
    let ended = false
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')))
    socket.on('end', () => (ended = true))
    const ask = async (n: number) => {
      socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
      while (text.split('HTTP/1.1 200').length - 1 < n && !ended) await new Promise((r) => setTimeout(r, 10))
    }
    await ask(1)
    await new Promise((r) => setTimeout(r, 6000))
    expect(ended).toBe(false)
    await ask(2)
    expect(text.split('HTTP/1.1 200').length - 1).toBe(2)
    socket.destroy()
  }, 15_000)
})
