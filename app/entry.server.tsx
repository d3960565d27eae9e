import { createReadableStreamFromReadable, type EntryContext } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { i18nFor } from './i18n'
import { initEnv } from './utils/env.server'
import { getLocale } from './utils/locale.server'
import { StripNulBytes } from './utils/strip-nul.server'

initEnv()
const ABORT_DELAY = 5_000

export default async function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  const i18n = i18nFor(await getLocale(request))
  const waitForAll = isbot(request.headers.get('user-agent') || '')
  return new Promise((resolve, reject) => {
    let shellRendered = false
    let abortTimer: ReturnType<typeof setTimeout> | undefined
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={i18n}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />
      </I18nextProvider>,
      {
        [waitForAll ? 'onAllReady' : 'onShellReady']() {
          shellRendered = true
          const body = new StripNulBytes() // React 18.3.1 pads with NUL bytes at 2 KB boundaries (see the class)
          body.once('close', () => clearTimeout(abortTimer)) // a finished render needs no abort (it would only end an ended stream)
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          responseHeaders.set('X-Content-Type-Options', 'nosniff')
          responseHeaders.set('Referrer-Policy', 'same-origin')
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }))
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          if (shellRendered) console.error(error)
        },
      },
    )
    abortTimer = setTimeout(abort, ABORT_DELAY)
  })
}
