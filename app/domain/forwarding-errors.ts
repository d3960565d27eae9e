import { DomainError } from './errors'

/** The session has ended (or is not hers to see): nothing of it can be forwarded any more. */
export class SessionNotForwardableError extends DomainError {
  readonly code = 'session_not_forwardable'
  override readonly status = 409
}

export class ForwardSelectionError extends DomainError {
  readonly code = 'bad_selection'
}
