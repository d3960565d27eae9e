import { DomainError } from './errors'
import type { CodeRefusal } from './membership'

export class InvitationCodeError extends DomainError {
  readonly code = 'invitation_code'
  constructor(readonly refusal: CodeRefusal) {
    super(`invitation code ${refusal}`, { refusal })
  }
}

export class AccountExistsError extends DomainError {
  readonly code = 'account_exists'
  override readonly status = 409
}

export class NotAMemberError extends DomainError {
  readonly code = 'not_a_member'
}

export class LedgerConflictError extends DomainError {
  readonly code = 'ledger_conflict'
  override readonly status = 409
}

export class CodeTakenError extends DomainError {
  readonly code = 'code_taken'
  override readonly status = 409
}
