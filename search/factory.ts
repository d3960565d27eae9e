import { MeilisearchEngine } from './meilisearch'
import { OramaSearchEngine } from './orama'
import type { SearchEngine } from './engine'

/** Meilisearch when MEILISEARCH_URL is set, else the embedded Orama engine. */
export function createSearchEngine(env: Record<string, string | undefined> = process.env): SearchEngine {
  if (env.MEILISEARCH_URL) {
    return new MeilisearchEngine({ host: env.MEILISEARCH_URL, apiKey: env.MEILISEARCH_KEY, indexUid: env.MEILISEARCH_INDEX ?? 'session_items' })
  }
  return new OramaSearchEngine()
}
