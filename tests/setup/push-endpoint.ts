import { createECDH, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import ece from 'http_ece'
import { generate } from 'selfsigned'

/**
 * A Web Push endpoint on loopback (HTTPS with a throw-away certificate) standing in for a browser's push service,
 * and the browser's side of one subscription: its keys, so the test can decrypt what arrived (RFC 8291 aes128gcm).
 */
export interface PushEndpoint {
  /** PEM of the certificate (the sender must trust it: PUSH_CA_FILE / pushCa). */
  ca: string
  subscription(name?: string): { endpoint: string; keys: { p256dh: string; auth: string } }
  received: Array<{ path: string; headers: Record<string, string | string[] | undefined>; body: Buffer }>
  /** Decrypts one received body with the keys of the subscription it was sent to. */
  decrypt(r: PushEndpoint['received'][number]): string
  /** Answers 410 Gone for this path from now on (an expired subscription). */
  expire(path: string): void
  waitFor(
    pred: (r: PushEndpoint['received'][number]) => boolean,
    timeoutMs?: number,
  ): Promise<PushEndpoint['received'][number]>
  close(): Promise<void>
}

export async function startPushEndpoint(port = 0): Promise<PushEndpoint> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    algorithm: 'sha256',
    days: 2,
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  } as never)
  const received: PushEndpoint['received'] = []
  const gone = new Set<string>()
  const keys = new Map<string, { ecdh: ReturnType<typeof createECDH>; auth: Buffer }>()
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = req.url ?? '/'
      if (gone.has(path)) {
        res.writeHead(410).end()
        return
      }
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks) })
      res.writeHead(201).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()))
  const p = (server.address() as AddressInfo).port
  return {
    ca: pems.cert,
    received,
    subscription(name = randomBytes(6).toString('hex')) {
      const ecdh = createECDH('prime256v1')
      ecdh.generateKeys()
      const auth = randomBytes(16)
      keys.set(`/push/${name}`, { ecdh, auth })
      return {
        endpoint: `https://127.0.0.1:${p}/push/${name}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      }
    },
    decrypt(r) {
      const k = keys.get(r.path)
      if (!k) throw new Error(`no subscription at ${r.path}`)
      return ece
        .decrypt(r.body, { version: 'aes128gcm', privateKey: k.ecdh, authSecret: k.auth.toString('base64url') })
        .toString('utf8')
    },
    expire(path) {
      gone.add(path)
    },
    async waitFor(pred, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs
      for (;;) {
        const m = received.find(pred)
        if (m) return m
        if (Date.now() > until) throw new Error(`no matching push among ${received.length} received`)
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
