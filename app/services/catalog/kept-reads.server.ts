// Pages keep what they read for a moment: the session page its session and items (1 s, session-page-data.server.ts),
// a reseller's share pages and shop their whole data and document (2 s, reseller/public-page-cache.server.ts). A
// writer says here what it changed, once, after committing; this module knows which kept reads that makes stale.
// Other processes are not told: they follow within those lifetimes. The session page is rendered on the process's
// render threads too (app/server/render-pool.ts): its drop reaches every thread. Her public pages are read on the
// main thread only.
import { dropInEveryThread } from '#app/utils/thread-drops.server'
import { forgetAllPublicPages } from '../reseller/public-page-cache.server'
import { sessionPagesChanged } from './session-page-data.server'

const sessionPagesEverywhere = dropInEveryThread('session-pages', sessionPagesChanged)

/**
 * Stock moved (a sale, a release, a top-up). The session page shows stock states from its kept read, so that goes;
 * public pages keep theirs for their 2 s: dropping them at every sale would re-render a viral page at every order.
 */
export function stockChanged(): void {
  sessionPagesEverywhere()
}

/** A session, its items, prices or times changed: every kept read that shows sessions goes. */
export function sessionsChanged(): void {
  sessionPagesEverywhere()
  forgetAllPublicPages()
}
