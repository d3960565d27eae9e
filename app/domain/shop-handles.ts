// The handle of a reseller's shop: the last part of /shop/<handle>, chosen by her. Pure: no I/O.
// Handles are lower-case ASCII so they survive being typed on a phone, read aloud and pasted into WeChat.
import { DomainError } from './errors'

export const HANDLE_LIMITS = { min: 3, max: 30 } as const

/**
 * Words a reseller may not take: the platform's own paths and names, and words that would let a shop pass
 * itself off as the platform or its staff.
 */
export const RESERVED_HANDLES: ReadonlySet<string> = new Set([
  'admin',
  'administrator',
  'api',
  'app',
  'apply',
  'account',
  'accounts',
  'art',
  'assets',
  'auth',
  'bench',
  'brand',
  'brands',
  'build',
  'cart',
  'checkout',
  'clearance',
  'clearance-market',
  'customer',
  'customers',
  'dashboard',
  'demo',
  'edit',
  'favicon',
  'help',
  'healthz',
  'home',
  'index',
  'login',
  'logout',
  'me',
  'member',
  'members',
  'new',
  'null',
  'official',
  'operator',
  'order',
  'orders',
  'pay',
  'payment',
  'payments',
  'platform',
  'products',
  'public',
  'qingcang',
  'register',
  'reseller',
  'resellers',
  'root',
  'search',
  'service',
  'sessions',
  'set-password',
  'settings',
  'settlements',
  'shop',
  'shops',
  'signin',
  'signup',
  'skus',
  'staff',
  'static',
  'support',
  'system',
  'test',
  'undefined',
  'uploads',
  'webhooks',
  'www',
])

export type HandleProblem = 'too_short' | 'too_long' | 'characters' | 'shape' | 'reserved'

export class InvalidHandleError extends DomainError {
  readonly code = 'invalid_handle'
  override readonly status = 422
  constructor(readonly problem: HandleProblem) {
    super(`invalid shop handle: ${problem}`, { problem })
  }
}

export class HandleTakenError extends DomainError {
  readonly code = 'handle_taken'
  override readonly status = 409
}

/** What she typed, as it will be stored: trimmed and lower-cased (she may type "Lily-HZ"). */
export function normalizeHandle(input: string): string {
  return input.trim().toLowerCase()
}

/** Null when the (normalised) handle is acceptable; otherwise the first problem found. */
export function handleProblem(handle: string): HandleProblem | null {
  if (!/^[a-z0-9-]*$/.test(handle)) return 'characters'
  if (handle.length < HANDLE_LIMITS.min) return 'too_short'
  if (handle.length > HANDLE_LIMITS.max) return 'too_long'
  // Starts with a letter (never looks like an id or a phone number), no leading/trailing or doubled hyphen.
  if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(handle)) return 'shape'
  if (RESERVED_HANDLES.has(handle)) return 'reserved'
  return null
}

/** The normalised handle, or an InvalidHandleError naming the problem. */
export function validateHandle(input: string): string {
  const handle = normalizeHandle(input)
  const problem = handleProblem(handle)
  if (problem) throw new InvalidHandleError(problem)
  return handle
}

/** A suggestion built from a display name or e-mail ("Lily.HZ@x" → "lily-hz"); null when nothing usable remains. */
export function suggestHandle(source: string): string | null {
  const base = source
    .split('@')[0]
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, HANDLE_LIMITS.max)
    .replace(/-+$/, '')
  if (handleProblem(base) === null) return base
  const padded = `shop-${base}`.replace(/-+$/, '').slice(0, HANDLE_LIMITS.max).replace(/-+$/, '')
  return handleProblem(padded) === null ? padded : null
}

export class ShopSessionError extends DomainError {
  readonly code = 'session_not_listable'
}

export class NoShopError extends DomainError {
  readonly code = 'no_shop'
  override readonly status = 409
}

export class ShopFullError extends DomainError {
  readonly code = 'shop_full'
}
