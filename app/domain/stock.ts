import { PLATFORM_RULES } from './platform-rules'

/** `left` is there for members only; public pages get the state without the count. */
export type StockState = { kind: 'in_stock' } | { kind: 'low'; left?: number } | { kind: 'sold_out' }

/** Who is looking: members (any signed-in role) may see a count when few are left; everyone else sees states only. */
export type StockAudience = 'member' | 'public'

/** What a member may see of stock: exact counts only when few are left. */
export function stockState(available: number, lowThreshold: number = PLATFORM_RULES.lowStockThreshold): StockState {
  if (available <= 0) return { kind: 'sold_out' }
  if (available <= lowThreshold) return { kind: 'low', left: available }
  return { kind: 'in_stock' }
}

/**
 * The one rendering of a SKU's or item's stock for a page, used by the page's loader and by the live refresh
 * alike, so both tell the same story: in stock, few left (with the count for members), sold out.
 */
export function stockFor(
  available: number,
  audience: StockAudience,
  lowThreshold: number = PLATFORM_RULES.lowStockThreshold,
): StockState {
  const state = stockState(available, lowThreshold)
  return state.kind === 'low' && audience === 'public' ? { kind: 'low' } : state
}

/** Details a stock refusal may carry: never a count, unless few are left and the asker is a member. */
export function shortageDetails(available: number, audience: StockAudience): { left?: number } {
  const state = stockFor(available, audience)
  return state.kind === 'low' && state.left !== undefined ? { left: state.left } : {}
}

/** Share pages: availability only. */
export function publicAvailability(available: number): 'in_stock' | 'sold_out' {
  return available > 0 ? 'in_stock' : 'sold_out'
}
