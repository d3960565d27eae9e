import type { Generated } from 'kysely'
import type { CreatedAt } from '../schema'

/** One "rebuild this session item's search document" request, written by triggers. */
export interface SearchOutboxTable {
  id: Generated<number>
  session_item_id: string
  reason: string
  created_at: CreatedAt
}
