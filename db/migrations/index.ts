import type { Migration } from 'kysely'
import * as skeleton from './2026_11_23_0900_skeleton'

// [import:onboarding]

// [import:payments]

// [import:catalog]

// [import:membership]

// [import:orders]

// [import:search]
import * as search from './2026_11_30_1050_search'

// [import:reseller]

// [import:bench]

// Every migration, by name (names sort in the order they run). Add new ones here.
export const migrations: Record<string, Migration> = {
  '2026_11_23_0900_skeleton': skeleton,

  // [migration:onboarding]

  // [migration:payments]

  // [migration:catalog]

  // [migration:membership]

  // [migration:orders]

  // [migration:search]
  '2026_11_30_1050_search': search,

  // [migration:reseller]

  // [migration:bench]
}
