import { DomainError, FieldRuleError } from './errors'

/** The session's phase forbids this change (e.g. prices while live). */
export class SessionLockedError extends DomainError {
  readonly code = 'session_locked'
  override readonly status = 409
}

/** Allocating more than a SKU's free stock (ring-fenced by other sessions); `values` say how many are free. */
export class AllocationExceededError extends FieldRuleError {
  override readonly code = 'allocation_exceeded'
  override readonly status = 409
}
