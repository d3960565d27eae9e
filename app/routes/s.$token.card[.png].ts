import type { LoaderFunctionArgs } from '@remix-run/node'
import { answerPoster } from '#app/services/reseller/posters.server'
import { getDb } from '#app/utils/db.server'
import { publicOrigin } from '#app/utils/public-url.server'

// The card PNG of a share link: ?item=<session item id> for one item of a list, ?lang=en for English. The server
// answers most asks before Remix (app/server/posters.ts); this route answers the rest (HEAD, a signed-in visitor's
// data request) the same way.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const reply = await answerPoster(getDb(), {
    token: params.token ?? '',
    query: new URL(request.url).searchParams,
    ifNoneMatch: request.headers.get('If-None-Match'),
    origin: publicOrigin(),
    now: new Date(),
  })
  return new Response(
    reply.body === null ? null : typeof reply.body === 'string' ? reply.body : new Uint8Array(reply.body),
    {
      status: reply.status,
      headers: reply.headers,
    },
  )
}
