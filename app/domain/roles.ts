export type Role = 'operator' | 'brand_staff' | 'member'

/** Where each role lands after signing in. */
export function homeFor(role: Role): string {
  return role === 'operator' ? '/admin' : role === 'brand_staff' ? '/brand' : '/account'
}

/** A safe in-app path to return to after sign-in; anything else goes home. */
export function safeRedirect(to: unknown, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//')) return fallback
  // Browsers drop tabs and newlines and read a backslash as a slash (`/\t/evil.example` is `//evil.example`);
  // control characters would also break the Location header. None belongs in a path of ours.
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u0020\u007f\\]/.test(to)) return fallback
  const base = 'http://same-origin.invalid'
  try {
    if (new URL(to, base).origin !== base) return fallback
  } catch {
    return fallback
  }
  return to
}

/**
 * Where sign-in sends someone: back to the page that asked them to sign in, else where they work. Members start on
 * the sessions (the home page); brand staff and operators on their console.
 */
export function landingAfterSignIn(role: Role, redirectTo: unknown): string {
  return safeRedirect(redirectTo, role === 'member' ? '/' : homeFor(role))
}
