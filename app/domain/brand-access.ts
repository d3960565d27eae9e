// What a brand may do in its console by its status (pure; no I/O). The rule: "an approved brand is live only
// once the deposit is paid". While the deposit is due the brand may already prepare its catalog (products,
// CSV import, draft sessions with their items), but may not schedule a session: scheduling puts it in
// front of members, which only a live brand may do.
import { DomainError } from './errors'

export type BrandStatus = 'awaiting_deposit' | 'live' | 'suspended'
export type BrandConsoleAction = 'prepare_catalog' | 'schedule_session'

/** Why the action is refused, or null when it is allowed. */
export function brandActionRefusal(
  brand: { status: BrandStatus },
  action: BrandConsoleAction,
): 'deposit_required' | null {
  if (action === 'schedule_session' && brand.status === 'awaiting_deposit') return 'deposit_required'
  return null
}

/** True while an approved brand still owes its deposit (the console shows a banner to /brand/deposit). */
export function depositOutstanding(brand: { status: BrandStatus }): boolean {
  return brand.status === 'awaiting_deposit'
}

/** Scheduling refused until the deposit is paid: 422 with a message that links to /brand/deposit. */
export class DepositRequiredError extends DomainError {
  readonly code = 'deposit_required'
}
