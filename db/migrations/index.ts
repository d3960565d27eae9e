import type { Migration } from 'kysely'
import * as skeleton from './2026_11_23_0900_skeleton'

// Every migration, by name (names sort in the order they run). Add new ones here.
export const migrations: Record<string, Migration> = {
  '2026_11_23_0900_skeleton': skeleton,
}
