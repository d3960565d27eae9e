import type { Submission } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { json } from '@remix-run/node'
import { z } from 'zod'
import { DomainError, FieldRuleError } from '#app/domain/errors'

/** Throws a 404 (or another status) Response when a condition fails, for loaders. */
export function invariantResponse(condition: unknown, message = 'Not found', status = 404): asserts condition {
  if (!condition) throw new Response(message, { status })
}

/**
 * A mutation from another site is refused: when the browser says where the form came from,
 * it must be this host. Requests without Origin (server-to-server, webhooks) fall through to their own auth.
 */
export function isCrossSiteMutation(
  method: string,
  headers: { origin?: string | null; host?: string | null; forwardedHost?: string | null },
): boolean {
  if (['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase())) return false
  const origin = headers.origin
  if (!origin || origin === 'null') return origin === 'null'
  let originHost: string
  try {
    originHost = new URL(origin).host
  } catch {
    return true
  }
  const host = headers.forwardedHost ?? headers.host
  return !host || originHost !== host
}

/**
 * The client address throttles key on: the one the server recorded in front of the app (the socket's peer, or
 * the forwarded address when that peer is a configured proxy, TRUST_PROXY), never a header the client sets.
 */
export function clientKey(request: Request): string {
  return request.headers.get('x-client-address') || 'unknown'
}

// The one reply contract of every HTML form action (app/components/README.md, "Forms: one reply contract"): bad
// input is `invalidReply` (400), a business refusal is `domainErrorReply` (its 409/422/429/503); both answer
// `{ result: submission.reply(…) }`, whose messages are i18n keys that FieldErrors and FormErrors render.

/**
 * Bad input: 400 with the field errors and the values echoed back, so the form shows both without JavaScript.
 * `fieldErrors` adds what the schema cannot see (an uploaded file's type); a request refused before its form
 * was read passes no submission.
 */
export function invalidReply(
  submission: ReplyingSubmission | null,
  {
    fieldErrors,
    body = {},
    status = 400,
  }: { fieldErrors?: Record<string, string[]>; body?: Record<string, unknown>; status?: 400 | 413 } = {},
) {
  const result = (submission ?? EMPTY_SUBMISSION).reply(fieldErrors ? { fieldErrors } : undefined)
  return json({ ...body, result }, { status })
}

/** Where a page's refusal messages are: `<prefix>.<code>` (with `<prefix>.generic` for an unknown code). */
export type RefusalMessages = string | ((error: DomainError) => string)

/**
 * A known business refusal becomes its status and the form's error: `result` is
 * `submission.reply({ formErrors: [message key] })`, and `formError` keeps the code and the details the message
 * is worded with (an item's name, a cap). A FieldRuleError also gives each of its fields `<section>.<rule>`, and
 * `formError.values[field]` words that field's message. Anything that is not a DomainError is rethrown.
 */
export function domainErrorReply(
  error: unknown,
  submission?: ReplyingSubmission | null,
  {
    messages = 'orders.refusal',
    body = {},
    details,
  }: {
    messages?: RefusalMessages
    body?: Record<string, unknown>
    /** The details this reader may see (a customer: the item's name and a cap, never counts or prices). */
    details?: readonly string[]
  } = {},
) {
  if (!(error instanceof DomainError)) throw error
  // 503: a provider we depend on is down; nothing changed and the same request may be tried again shortly.
  const headers: HeadersInit = error.status === 503 ? { 'Retry-After': '30' } : {}
  const shown = details
    ? Object.fromEntries(details.filter((k) => k in error.details).map((k) => [k, error.details[k]]))
    : { message: error.message, ...error.details }
  const key = typeof messages === 'function' ? messages(error) : refusalKey(messages, error.code, shown)
  // A refusal tied to fields also marks each field with its rule, in the same section as the form's message.
  const section = key.replace(/\.[^.]+$/, '')
  const fieldErrors =
    error instanceof FieldRuleError
      ? Object.fromEntries(Object.entries(error.fields).map(([name, rule]) => [name, [`${section}.${rule}`]]))
      : undefined
  return json(
    {
      ...body,
      result: (submission ?? EMPTY_SUBMISSION).reply({ formErrors: [key], fieldErrors }),
      formError: { code: error.code, ...shown },
    },
    { status: error.status, headers },
  )
}

function refusalKey(prefix: string, code: string, details: Record<string, unknown>) {
  // A stock refusal names the count only when few are left (and the reader may see it).
  if (code === 'sold_out' && typeof details.left === 'number') return `${prefix}.sold_out_few`
  return `${prefix}.${code}`
}

/** Whether a request says its body is above `max` bytes: refuse it (413) before reading it. */
export function bodyTooLarge(request: Request, max: number): boolean {
  return Number(request.headers.get('Content-Length') ?? 0) > max
}

/** What the replies need of a Conform submission (any schema). */
export type ReplyingSubmission = Pick<Submission<unknown>, 'reply'>

// For an action whose refusal comes before any field was read (a button without fields).
const EMPTY_SUBMISSION = parseWithZod(new FormData(), { schema: z.object({}) })

/**
 * Query-string filters of a list page: the parsed filter, or a thrown 400 with the field errors (a GET has no
 * form to show them in).
 */
export function parseQuery<S extends z.ZodTypeAny>(request: Request, schema: S): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams))
  if (!parsed.success) throw json({ fieldErrors: parsed.error.flatten().fieldErrors }, { status: 400 })
  return parsed.data
}

/**
 * Whether a loader serves someone opening the page. Remix renders the page after a form's POST by calling the
 * loaders with a GET copy of the POST's request (same headers), so a GET carrying a form's content type is that
 * re-render, not a visit.
 */
export function isPageVisit(request: Request): boolean {
  const type = request.headers.get('content-type') ?? ''
  return request.method === 'GET' && !/form|json/i.test(type)
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Per-line quantities from `qty:<order line id>` fields: the lines with a quantity above 0; null when a
 * value is not a whole number ≥ 0 or no line has one; undefined when the form has no such fields.
 */
export function lineQuantities(form: FormData): { orderLineId: string; quantity: number }[] | null | undefined {
  const entries = [...form.entries()].filter(([k]) => k.startsWith('qty:'))
  if (!entries.length) return undefined
  const lines = []
  for (const [k, v] of entries) {
    const id = k.slice(4)
    const text = typeof v === 'string' ? v.trim() : ''
    const quantity = text === '' ? 0 : Number(text)
    if (!UUID.test(id) || !Number.isSafeInteger(quantity) || quantity < 0) return null
    if (quantity > 0) lines.push({ orderLineId: id, quantity })
  }
  return lines.length ? lines : null
}
