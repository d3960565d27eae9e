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
