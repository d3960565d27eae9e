import { json, type ServerBuild } from '@remix-run/node'

// Every loader and action of the build runs behind this guard: input no handler could store (NUL and other
// control characters) is refused before the handler runs, and the database's own refusals of malformed or
// out-of-range values become a 400 that names the reason instead of a 500.

export type BadInputReason = 'control_characters' | 'out_of_range' | 'malformed'

/** C0 control characters other than tab, line feed and carriage return (which text areas legitimately send), and DEL. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

export function badInput(reason: BadInputReason): Response {
  return json({ error: 'bad_input', reason }, { status: 400 })
}

/** PostgreSQL's data exceptions (class 22) that only bad input can cause. */
function reasonForDatabaseError(error: unknown): BadInputReason | null {
  const code = typeof error === 'object' && error && 'code' in error ? String((error as { code: unknown }).code) : ''
  if (code === '22021' || code === '22P05') return 'control_characters'
  if (code === '22008' || code === '22003' || code === '22009') return 'out_of_range'
  if (code === '22P02' || code === '22007' || code === '22023') return 'malformed'
  if (error instanceof RangeError && /Invalid time value|Invalid array length/.test(error.message))
    return 'out_of_range'
  return null
}

/** The database's refusal of a value only bad input can cause, as the 400 that names it; null for other errors. */
export function badInputFor(error: unknown): Response | null {
  const reason = reasonForDatabaseError(error)
  return reason ? badInput(reason) : null
}

export const hasControlCharacters = (text: string) => CONTROL.test(text)

/** Form fields or a query string (names or values) hold a control character. */
export function paramsHaveControlCharacters(params: URLSearchParams): boolean {
  for (const [k, v] of params) if (CONTROL.test(k) || CONTROL.test(v)) return true
  return false
}

function hasControl(value: unknown): boolean {
  if (typeof value === 'string') return CONTROL.test(value)
  if (Array.isArray(value)) return value.some(hasControl)
  if (value && typeof value === 'object')
    return Object.entries(value).some(([k, v]) => CONTROL.test(k) || hasControl(v))
  return false
}

/** The request's URL, and its body when it is a form or JSON, hold a control character. */
export async function requestHasControlCharacters(request: Request): Promise<boolean> {
  const url = new URL(request.url)
  let path = url.pathname
  try {
    path = decodeURIComponent(path)
  } catch {
    /* refused in front of the app */
  }
  if (CONTROL.test(path) || paramsHaveControlCharacters(url.searchParams)) return true
  if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return false
  const type = request.headers.get('content-type') ?? ''
  try {
    if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
      for (const [k, v] of await request.clone().formData())
        if (CONTROL.test(k) || (typeof v === 'string' && CONTROL.test(v))) return true
    } else if (type.startsWith('application/json')) {
      return hasControl(await request.clone().json())
    }
  } catch {
    return false // an unreadable body is the handler's to refuse
  }
  return false
}

type Handler = (args: { request: Request }) => Promise<unknown>

export function guardHandler<H extends Handler>(handler: H): H {
  return (async (args: { request: Request }) => {
    if (await requestHasControlCharacters(args.request)) throw badInput('control_characters')
    try {
      return await handler(args)
    } catch (error) {
      const reason = reasonForDatabaseError(error)
      if (reason) throw badInput(reason)
      throw error
    }
  }) as H
}

/** The build with every route's loader and action behind the guard. */
export function guardBuild(build: ServerBuild): ServerBuild {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const mod = route.module
      const module = {
        ...mod,
        ...(mod.loader ? { loader: guardHandler(mod.loader as Handler) } : {}),
        ...(mod.action ? { action: guardHandler(mod.action as Handler) } : {}),
      }
      return [id, { ...route, module }]
    }),
  )
  return { ...build, routes } as ServerBuild
}
