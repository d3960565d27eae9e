import { spawn } from 'node:child_process'
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { LISTEN_BACKLOG } from './http'

// A server whose event loop is busy (here: blocked for good) accepts nothing; the kernel completes connections
// into the listen backlog meanwhile and drops the SYNs past it, which clients retry only after a second.
async function connectedWithin(backlog: number, clients: number, windowMs: number): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s = require('node:http').createServer(() => {});
       s.listen({ port: 0, host: '127.0.0.1', backlog: ${backlog} }, () => {
         process.stdout.write(s.address().port + '\\n');
         for (;;) {}
       });`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())))
      child.once('exit', () => reject(new Error('the listening process ended')))
    })
    const sockets: net.Socket[] = []
    let connected = 0
    for (let i = 0; i < clients; i++) {
      const socket = net.connect({ port, host: '127.0.0.1' }, () => connected++)
      socket.on('error', () => {})
      sockets.push(socket)
    }
    await new Promise((resolve) => setTimeout(resolve, windowMs))
    for (const s of sockets) s.destroy()
    return connected
  } finally {
    child.kill('SIGKILL')
  }
}

describe('the listen backlog', () => {
  it('lets a thousand connections arrive at once while the server is busy, where Node’s default drops half', async () => {
    expect(LISTEN_BACKLOG).toBeGreaterThanOrEqual(1000)
    expect(await connectedWithin(LISTEN_BACKLOG, 1000, 700)).toBe(1000)
    // Node's default backlog (511): the rest wait for a SYN retry, a second or more.
    expect(await connectedWithin(511, 1000, 700)).toBeLessThan(1000)
  }, 20_000)
})
