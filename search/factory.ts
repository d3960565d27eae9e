import { setting, type Env } from '#app/utils/env.server'
import { MeilisearchEngine } from './meilisearch'
import { OramaSearchEngine } from './orama'
import type { SearchEngine } from './engine'

/** Meilisearch when MEILISEARCH_URL is set, else the embedded Orama engine. */
export function createSearchEngine(
  env: Partial<Pick<Env, 'MEILISEARCH_URL' | 'MEILISEARCH_KEY' | 'MEILISEARCH_INDEX'>> = {
    MEILISEARCH_URL: setting('MEILISEARCH_URL'),
    MEILISEARCH_KEY: setting('MEILISEARCH_KEY'),
    MEILISEARCH_INDEX: setting('MEILISEARCH_INDEX'),
  },
): SearchEngine {
  if (env.MEILISEARCH_URL) {
    return new MeilisearchEngine({
      host: env.MEILISEARCH_URL,
      apiKey: env.MEILISEARCH_KEY,
      indexUid: env.MEILISEARCH_INDEX ?? 'session_items',
    })
  }
  return new OramaSearchEngine()
}
