import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { PosterReply } from '#app/services/reseller/posters.server'
import { hasControlCharacters } from './input-guard'

// A share link's poster (/s/<token>/card.png), answered on plain node:http before admission control, Express and
// Remix: a poster is bytes, not a page. A drawn one is a lookup in memory and one write, where the page queue and
// Remix's request cost more than the answer; a poster not drawn yet waits for the bounded render pool, which
// refuses past its queue (503 with Retry-After) as before. HEAD and anything unusual go on to Remix's route.

/** The server build's `findPoster` (app/entry.server.tsx). */
export type FindPoster = (ask: { token: string; query: string; ifNoneMatch: string | null }) => Promise<PosterReply>

const POSTER = /^\/s\/([A-Za-z0-9_-]{1,64})\/card\.png(?:\?(.*))?$/

const single = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)

/** Control characters, even escaped, and broken escapes are the input guard's to refuse, in Remix. */
function clean(url: string): boolean {
  try {
    return !hasControlCharacters(decodeURIComponent(url))
  } catch {
    return false
  }
}

function send(res: ServerResponse, reply: PosterReply) {
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value)
  res.writeHead(reply.status)
  res.end(reply.body ?? undefined)
}

export function postersFirst(find: FindPoster, rest: RequestListener): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const m = req.method === 'GET' ? POSTER.exec(req.url ?? '') : null
    if (!m || !clean(req.url ?? '')) return rest(req, res)
    find({ token: m[1]!, query: m[2] ?? '', ifNoneMatch: single(req.headers['if-none-match']) ?? null }).then(
      (reply) => send(res, reply),
      (error: unknown) => {
        console.error(`GET ${req.url?.split('?')[0]} failed`, error)
        rest(req, res)
      },
    )
  }
}
