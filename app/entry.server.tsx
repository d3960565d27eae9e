import type { AppLoadContext, EntryContext } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { renderToString } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { StylesProvider } from './components/inline-styles'
import { NonceProvider } from './components/nonce'
import { ServerFragmentsProvider, type RenderFragment } from './components/server-fragments'
import { i18nFor } from './i18n'
import { checkoutApi, type CheckoutRequest } from './services/checkout/api.server'
import { registerPaymentPurposes } from './services/payments/register-purposes.server'
import {
  findPublicPage,
  keepRefusalRender,
  keepRendered,
  type PageRefusal,
  type PublicPageMiss,
} from './services/reseller/public-documents.server'
import { answerPoster } from './services/reseller/posters.server'
import { publicOrigin } from './utils/public-url.server'
import { answerOrderForm, type OrderFormRequest } from './utils/customer-replies.server'
import { getDb } from './utils/db.server'
import { documentCsp, newNonce } from './utils/csp.server'
import { env, initEnv, wechatConfig } from './utils/env.server'
import { getLocale } from './utils/locale.server'
import { hydrateAfterFirstPaint } from './utils/after-first-paint.server'
import { englishChunk, withModulePreload } from './utils/locale-preload.server'
import { stylesForRequest } from './utils/styles.server'
import { fragmentsFor } from './utils/fragment-cache.server'

initEnv()
registerPaymentPurposes()
const SUSPENDED = '<!--$!-->'

/**
 * POST /api/checkout for the server's node:http transport (app/server/checkout-transport.ts), which reaches it as
 * `build.entry.module.handleCheckout`: the checkout runs inside the build, with the app's pool and queue.
 */
export function handleCheckout(input: CheckoutRequest) {
  return checkoutApi(getDb(), { ...input, now: new Date() })
}

/**
 * A customer's order form for the server's order transport (app/server/checkout-transport.ts), which reaches it as
 * `build.entry.module.handleOrderForm`: the answer the share page's and shop's action would give to a valid order,
 * or null when Remix must answer (invalid input, a refusal that re-renders the page).
 */
export function handleOrderForm(input: OrderFormRequest) {
  return answerOrderForm(input)
}

/**
 * An anonymous view of a reseller's share page or shop for the server's public-page transport
 * (app/server/public-pages.ts): the kept document, or where to keep the one Remix renders.
 */
export { findPublicPage }

/** A share link's poster for the server's poster transport (app/server/posters.ts). */
export function findPoster(ask: { token: string; query: string; ifNoneMatch: string | null }) {
  return answerPoster(getDb(), {
    token: ask.token,
    query: new URLSearchParams(ask.query),
    ifNoneMatch: ask.ifNoneMatch,
    origin: publicOrigin(),
    now: new Date(),
  })
}

/** Her share page's or shop's action data when it answered a refused order form (customer-replies.server.ts). */
type RefusalReply = { formError?: PageRefusal } | undefined

/**
 * Renders the whole document to one string and answers with it. Nothing here waits for data (no defer), so a stream
 * would send the same page, only as React's 2 KB pieces, each encoded to bytes, passed through the Node
 * stream layers (and cleaned of the NUL bytes React 18.3.1 pads some of them with): for the session page that was
 * 7 % of a page's CPU. renderToString builds the text directly; it is encoded once, by the response.
 * A render error throws here, and Remix renders the error boundary instead, as it did on a shell error.
 */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext?: AppLoadContext,
) {
  const i18n = i18nFor(await getLocale(request))
  const nonce = newNonce()
  const styles = stylesForRequest(request)
  if (styles.setCookie) responseHeaders.append('Set-Cookie', styles.setCookie)
  const fragments = fragmentsFor(i18n)
  const page = (parts: RenderFragment | null) =>
    renderToString(
      <NonceProvider value={nonce}>
        <StylesProvider value={styles.css}>
          <I18nextProvider i18n={i18n}>
            <ServerFragmentsProvider value={parts}>
              <RemixServer context={remixContext} url={request.url} nonce={nonce} />
            </ServerFragmentsProvider>
          </I18nextProvider>
        </StylesProvider>
      </NonceProvider>,
    )
  const whole = () => fragments.fill(page(fragments.render)) ?? page(null)
  let body = whole()
  // A lazy part (the shop's bag checkout) whose code this process has not loaded yet suspends, and renderToString
  // sends its fallback instead (marked <!--$!-->): a form answered with its errors would lose them. Its code is in
  // the server bundle and loads within a turn, after which every render has it: wait for it and render again.
  for (let tries = 0; body.includes(SUSPENDED) && tries < 3; tries++) {
    await new Promise((resolve) => setImmediate(resolve))
    body = whole()
  }
  const rendered = '<!DOCTYPE html>' + body
  responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
  responseHeaders.set('X-Content-Type-Options', 'nosniff')
  responseHeaders.set('Referrer-Policy', 'same-origin')
  responseHeaders.set(
    'Content-Security-Policy',
    documentCsp(nonce, { development: env().NODE_ENV === 'development', wechat: wechatConfig() !== null }),
  )
  const english = i18n.language === 'en' ? englishChunk(remixContext.manifest) : null
  const html = english ? withModulePreload(rendered, english) : rendered
  const afterPaint = (env().SCRIPTS_AFTER_PAINT ?? (env().NODE_ENV === 'production' ? '1' : '0')) === '1'
  const document = afterPaint ? hydrateAfterFirstPaint(html) : html
  // A reseller's public page missed by the server's transport is kept for the next anonymous visitors; so is her
  // share page or shop answering a refused order form, which the order transport waits for.
  const miss = (loadContext as { publicPage?: PublicPageMiss | null } | undefined)?.publicPage
  const actionData = remixContext.staticHandlerContext.actionData
  const refused = ((actionData?.['routes/s.$token'] ?? actionData?.['routes/shop.$handle']) as RefusalReply)?.formError
  if (miss || refused) {
    const body = Buffer.from(document)
    try {
      if (miss) keepRendered(miss, request, responseStatusCode, responseHeaders, body)
      if (refused) keepRefusalRender(request, i18n.language, responseStatusCode, responseHeaders, body, refused)
    } catch (error) {
      console.error('keeping a public page failed', error)
    }
    return new Response(body, { headers: responseHeaders, status: responseStatusCode })
  }
  return new Response(document, { headers: responseHeaders, status: responseStatusCode })
}
