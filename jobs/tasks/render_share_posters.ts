import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { cardRenderPool } from '#app/services/reseller/cards.server'
import { prerenderSharePosters } from '#app/services/reseller/forwarding.server'
import { publicOrigin } from '#app/utils/public-url.server'
import { RenderSharePostersPayload } from '../payloads-posters'

/** Right after a reseller forwards: her links' posters drawn before the first visitor asks for one. */
export function renderSharePostersTask(db: Db): Task {
  // The render thread starts with the worker (and shapes a text, reading the fonts), not with the first link.
  cardRenderPool().prestart()
  return async (payload) => {
    const { tokens } = RenderSharePostersPayload.parse(payload)
    await prerenderSharePosters(db, tokens, { origin: publicOrigin(), now: new Date() })
  }
}
