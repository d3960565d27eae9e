// Which compression a client is sent, decided as the `compression` middleware decides it (negotiator's reading of
// Accept-Encoding with brotli, then gzip, preferred at equal quality), for the bodies the server compresses itself:
// pages rendered on a render thread, and the pages kept whole (app/services/reseller/public-documents.server.ts).

export type ContentEncoding = 'br' | 'gzip'

interface Accepted {
  name: string
  q: number
}

function accepted(header: string): Accepted[] {
  const out: Accepted[] = []
  for (const part of header.split(',')) {
    const m = /^\s*([^\s;]+)\s*(?:;(.*))?$/.exec(part.trim())
    if (!m) continue
    let q = 1
    for (const param of (m[2] ?? '').split(';')) {
      const [key, value] = param.trim().split('=')
      if (key === 'q') {
        q = parseFloat(value ?? '')
        break
      }
    }
    out.push({ name: m[1]!.toLowerCase(), q: Number.isNaN(q) ? 0 : q })
  }
  return out
}

/**
 * The encoding to send a compressible body in, or null for the body as it is: the one of brotli, gzip and the body
 * itself (`identity`) the client rates highest (a name's own entry before `*`), brotli before gzip before the body
 * at equal rating; a client that sends no Accept-Encoding gets the body. A client that takes only deflate gets the
 * body too (`compression` would deflate it; no browser asks for that alone).
 */
export function preferredEncoding(acceptEncoding: string | null | undefined): ContentEncoding | null {
  if (!acceptEncoding) return null
  const list = accepted(acceptEncoding)
  const rated = (name: string) => {
    const own = list.filter((a) => a.name === name)
    const from = own.length ? own : list.filter((a) => a.name === '*')
    return from.length ? Math.max(...from.map((a) => a.q)) : 0
  }
  // Unnamed, the body itself is acceptable at the lowest rating the client gave (negotiator's rule).
  const identity = list.some((a) => a.name === 'identity')
    ? rated('identity')
    : Math.min(1, ...list.map((a) => a.q || 1))
  const br = rated('br')
  const gzip = rated('gzip')
  const best = Math.max(br, gzip)
  if (best <= 0 || best < identity) return null
  return br === best ? 'br' : 'gzip'
}
