import { readFileSync } from 'node:fs'
import path from 'node:path'
import appStylesHref from '#app/styles/app.css'
import phoneStylesHref from '#app/styles/phone.css'

// The built stylesheets, in cascade order (the phone layer after the wide-screen look). The build writes them under
// public/build, which the server serves from its working directory too (app/server/http.ts).
const SHEETS = [appStylesHref, phoneStylesHref]

let text: string | undefined

/** The site's CSS as one text, read from the build once per process. */
export function stylesText(): string {
  text ??= SHEETS.map((href) => readFileSync(path.join('public', href), 'utf8')).join('\n')
  return text
}
