import { readFileSync } from 'node:fs'
import path from 'node:path'
import { STYLESHEETS } from '#app/components/inline-styles'

// The build writes the stylesheets under public/build, which the server serves from its working directory too
// (app/server/http.ts). Their hashed names change with their content: they are the version the cookie names.
const VERSION = STYLESHEETS.map((href) => path.basename(href, '.css')).join('.')
const COOKIE = 'styles'

let text: string | undefined

/** The site's CSS as one text, read from the build once per process. */
function stylesText(): string {
  text ??= STYLESHEETS.map((href) => readFileSync(path.join('public', href), 'utf8')).join('\n')
  return text
}

/**
 * What the document's head carries for this request: the CSS itself on a visitor's first page, with a cookie that
 * says her browser now has these stylesheets (the page prefetches them when idle); `null` (links to them) on her
 * later pages. Inlined on every page, the CSS would cost each page ~60 KB more to render and compress.
 */
export function stylesForRequest(request: Request): { css: string | null; setCookie: string | null } {
  const { inline, setCookie } = stylesVariant(request.headers.get('Cookie'))
  return { css: inline ? stylesText() : null, setCookie }
}

/** Whether a page for this Cookie header carries the CSS inline, and the cookie that then goes with it. */
export function stylesVariant(cookie: string | null): { inline: boolean; setCookie: string | null } {
  if ((cookie ?? '').split(/;\s*/).includes(`${COOKIE}=${VERSION}`)) return { inline: false, setCookie: null }
  return { inline: true, setCookie: `${COOKIE}=${VERSION}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly` }
}
