import { DomainError } from './errors'

export class SessionNotForwardableError extends DomainError {
  readonly code = 'session_not_forwardable'
}

export class ForwardSelectionError extends DomainError {
  readonly code = 'bad_selection'
}
