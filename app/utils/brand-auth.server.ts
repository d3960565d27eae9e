import { json } from '@remix-run/node'
import { DomainError } from '#app/domain/errors'
import { FieldRuleError } from '#app/domain/catalog-errors'
import { requireUser } from './session.server'
import { UUID } from './http.server'

/** Every brand route: signed in as brand staff (others 403, signed out → sign-in); returns the staff's brand. */
export async function requireBrand(request: Request) {
  const user = await requireUser(request, ['brand_staff'])
  if (!user.brand_id) throw new Response('Forbidden', { status: 403 })
  return { user, brandId: user.brand_id }
}

/** A path id that is not a UUID is an unknown id: 404. */
export function requireUuid(value: string | undefined): string {
  if (!value || !UUID.test(value)) throw new Response('Not found', { status: 404 })
  return value
}

/**
 * Business refusals as JSON the forms understand: `fieldErrors` (field → message key, optionally
 * "key:param") and `formError` (message key). Unknown errors are rethrown.
 */
export function refusal(error: unknown) {
  if (error instanceof FieldRuleError)
    return json({ fieldErrors: error.fields, formError: null }, { status: error.status })
  if (error instanceof DomainError) {
    const fields = (error.details.fields as Record<string, string> | undefined) ?? {}
    return json({ fieldErrors: fields, formError: error.code }, { status: error.status })
  }
  throw error
}

/** Zod/Conform errors as field → first message key, 400. */
export function badRequest(error: Record<string, string[] | null> | undefined) {
  const fieldErrors: Record<string, string> = {}
  for (const [k, v] of Object.entries(error ?? {})) if (v?.length) fieldErrors[k || 'form'] = v[0]
  return json({ fieldErrors, formError: 'bad_request' }, { status: 400 })
}

/** Rejects bodies above `max` bytes before reading them (413). */
export function assertBodySize(request: Request, max: number) {
  const len = Number(request.headers.get('Content-Length') ?? 0)
  if (len > max)
    throw json(
      { fieldErrors: { image: 'image_too_large', file: 'file_too_large' }, formError: 'too_large' },
      { status: 413 },
    )
}

export type ActionErrors = { fieldErrors?: Record<string, string>; formError?: string | null }
