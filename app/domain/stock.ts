import { PLATFORM_RULES } from './platform-rules'

export type StockState = { kind: 'in_stock' } | { kind: 'low'; left: number } | { kind: 'sold_out' }

/** What a member may see of stock: exact counts only when few are left. */
export function stockState(available: number, lowThreshold: number = PLATFORM_RULES.lowStockThreshold): StockState {
  if (available <= 0) return { kind: 'sold_out' }
  if (available <= lowThreshold) return { kind: 'low', left: available }
  return { kind: 'in_stock' }
}

/** Public pages never show counts. */
export function publicAvailability(available: number): 'in_stock' | 'sold_out' {
  return available > 0 ? 'in_stock' : 'sold_out'
}
