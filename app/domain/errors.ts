/** A business refusal with a stable code; routes map `status` to the HTTP answer. */
export abstract class DomainError extends Error {
  abstract readonly code: string
  readonly status: 409 | 422 | 429 | 503 = 422
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = new.target.name
  }
}

export class InvalidCredentialsError extends DomainError {
  readonly code = 'invalid_credentials'
}

export class TooManyAttemptsError extends DomainError {
  readonly code = 'too_many_attempts'
  override readonly status = 429
}

/**
 * A refusal that belongs to form fields: `fields` names the rule each field broke (field name → rule code), and
 * `values` the numbers a field's message is worded with (e.g. how many units are still free).
 */
export class FieldRuleError extends DomainError {
  readonly code: string = 'field_rule'
  constructor(
    message: string,
    readonly fields: Record<string, string>,
    readonly values: Record<string, Record<string, string | number>> = {},
  ) {
    super(message, { fields, values })
  }
}
