import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { prerenderSharePosters } from '#app/services/reseller/forwarding.server'
import { publicOrigin } from '#app/utils/public-url.server'
import { RenderSharePostersPayload } from '../payloads-posters'

/** Right after a reseller forwards: her links' posters drawn before the first visitor asks for one. */
export function renderSharePostersTask(db: Db): Task {
  return async (payload) => {
    const { tokens } = RenderSharePostersPayload.parse(payload)
    await prerenderSharePosters(db, tokens, { origin: publicOrigin(), now: new Date() })
  }
}
