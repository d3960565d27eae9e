import { DomainError } from './errors'

/** A refusal tied to form fields: `fields` maps a field name to a message key. */
export class FieldRuleError extends DomainError {
  readonly code = 'field_rule'
  override readonly status = 422
  constructor(
    message: string,
    readonly fields: Record<string, string>,
  ) {
    super(message, { fields })
  }
}

/** The session's phase forbids this change (e.g. prices while live). */
export class SessionLockedError extends DomainError {
  readonly code = 'session_locked'
  override readonly status = 409
}

/** Allocating more than the SKU's free stock (ring-fenced by other sessions). */
export class AllocationExceededError extends DomainError {
  readonly code = 'allocation_exceeded'
  override readonly status = 409
}
