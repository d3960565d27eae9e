import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { ErrorRequestHandler } from 'express'
import onHeaders from 'on-headers'
import { RESOURCE_CSP } from '#app/utils/csp.server'
import type { Env } from '#app/utils/env.server'

// What the server answers before any route: security headers on every response, the Host names it serves,
// the methods and URLs it understands, and its own short error pages (never a stack trace).

const SECURITY_HEADERS: readonly [string, string][] = [
  ['Content-Security-Policy', RESOURCE_CSP],
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'same-origin'],
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
]
const PRODUCTION_SECURITY_HEADERS: readonly [string, string][] = [
  ...SECURITY_HEADERS,
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
]

/** The security headers every response carries, unless it sets its own of the same name. */
export const securityHeaders = (production: boolean) => (production ? PRODUCTION_SECURITY_HEADERS : SECURITY_HEADERS)

export function setSecurityHeaders(res: ServerResponse, production: boolean) {
  for (const [name, value] of securityHeaders(production)) if (!res.hasHeader(name)) res.setHeader(name, value)
}

/** Host names (with port) the server answers to: PUBLIC_URL's, ALLOWED_HOSTS, and this machine's loopback names on PORT. */
export function allowedHosts(env: Pick<Env, 'PUBLIC_URL' | 'ALLOWED_HOSTS' | 'PORT'>): Set<string> {
  const hosts = new Set([`localhost:${env.PORT}`, `127.0.0.1:${env.PORT}`, `[::1]:${env.PORT}`])
  if (env.PUBLIC_URL) hosts.add(new URL(env.PUBLIC_URL).host.toLowerCase())
  for (const h of env.ALLOWED_HOSTS?.split(',') ?? []) if (h.trim()) hosts.add(h.trim().toLowerCase())
  return hosts
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

/** Why a request is refused before routing, or null. */
export function refusal(
  req: IncomingMessage,
  hosts: Set<string>,
): { status: number; text: string; headers?: Record<string, string> } | null {
  const url = req.url ?? ''
  if (!url.startsWith('/')) return { status: 400, text: 'Bad request: the path must start with /' }
  const pathname = url.split('?')[0]!
  if (pathname === '/healthz') return null
  const host = String(req.headers.host ?? '').toLowerCase()
  if (!hosts.has(host)) return { status: 421, text: 'Unknown host' }
  if (!METHODS.has(req.method ?? ''))
    return { status: 405, text: 'Method not allowed', headers: { Allow: 'GET, HEAD, POST' } }
  try {
    decodeURIComponent(pathname)
  } catch {
    return { status: 400, text: 'Bad request: malformed percent-encoding in the path' }
  }
  if (req.method === 'OPTIONS') return { status: 204, text: '', headers: { Allow: 'GET, HEAD, POST' } }
  return null
}

/** In front of everything: security headers on every response, then refusals; `next` gets the rest. */
export function guardRequests(
  env: Pick<Env, 'PUBLIC_URL' | 'ALLOWED_HOSTS' | 'PORT' | 'NODE_ENV'>,
  next: RequestListener,
): RequestListener {
  const hosts = allowedHosts(env)
  const production = env.NODE_ENV === 'production'
  return (req, res) => {
    onHeaders(res, () => setSecurityHeaders(res, production))
    const refused = refusal(req, hosts)
    if (refused) {
      req.resume()
      return plain(res, refused.status, refused.text, refused.headers)
    }
    next(req, res)
  }
}

/** Express's last error handler: our short page instead of Express's (which prints the stack outside production). */
export const errorPage: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  const status =
    typeof error === 'object' && error && 'status' in error && Number((error as { status: unknown }).status) >= 400
      ? Number((error as { status: number }).status)
      : 500
  if (status >= 500) console.error(error)
  if (res.headersSent) return res.end()
  res
    .status(status)
    .type('text/plain')
    .send(status >= 500 ? 'Something went wrong' : 'Bad request')
}
