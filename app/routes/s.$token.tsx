import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { isRouteErrorResponse, useActionData, useLoaderData, useRouteError } from '@remix-run/react'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { Countdown } from '#app/components/countdown'
import { CustomerBag, useBag, type BagItem } from '#app/components/customer-bag'
import { useOfferSheet } from '#app/components/offer-sheet'
import { pick } from '#app/components/pick'
import { OfferCard, Storefront } from '#app/components/storefront'
import { WechatShare } from '#app/components/wechat-share'
import { formatMoney, type Currency } from '#app/domain/money'
import { i18nFor } from '#app/i18n'
import { cardUrl, shareUrl } from '#app/services/reseller/forwarding.server'
import { cachedShare } from '#app/services/reseller/public-pages.server'
import { countShareViewSoon } from '#app/services/reseller/share-views.server'
import { wechatShareForRequest } from '#app/services/wechat/js-sdk.server'
import { customerClientCookie } from '#app/utils/customer-client.server'
import { customerCheckout } from '#app/utils/customer-replies.server'
import { getDb } from '#app/utils/db.server'
import { isPageVisit } from '#app/utils/http.server'
import { getLocale } from '#app/utils/locale.server'
import { publicOrigin } from '#app/utils/public-url.server'
import { getUser } from '#app/utils/session.server'
import { localTitle, openGraph, type OpenGraph } from '#app/utils/meta'

// The public share page of a reseller's item or list. Consumers are not signed in; nothing here is a
// wholesale price, a level, a stock count or the brand's minimum price. Her page: no platform header.
// Her customers order here: a bag (colour, size, quantity) and a no-account checkout.
export const handle = { storefront: true }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token ?? ''
  const viewer = await getUser(request)
  const { lookup: page, bag, linkId, ownerId } = await cachedShare(getDb(), token, new Date())
  if (page.status === 'ok' && linkId && isPageVisit(request) && viewer?.id !== ownerId)
    countShareViewSoon(getDb(), linkId)
  if (page.status === 'missing') throw new Response('Not found', { status: 404 })
  if (page.status === 'revoked') throw new Response('Gone', { status: 410 })
  const locale = await getLocale(request)
  const origin = publicOrigin()
  const { content } = page
  const t = i18nFor(locale).t
  const first = content.items[0]
  const title =
    page.kind === 'list'
      ? t('reseller.share.listTitle', {
          name: content.reseller.name,
          session: pick(locale, content.session.title, content.session.titleEn),
        })
      : pick(locale, first.title, first.titleEn)
  const description = t('reseller.share.description', {
    name: content.reseller.name,
    title: pick(locale, first.title, first.titleEn),
    price: formatMoney({ amountMinor: first.priceMinor, currency: first.currency as Currency }, locale),
  })
  const wechat = await wechatShareForRequest(request, origin, new Date())
  const headers = new Headers({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' })
  // The customer's device, for the limit on unpaid orders per client.
  const cookie = customerClientCookie(request)
  if (cookie) headers.append('Set-Cookie', cookie)
  return json(
    {
      ...content,
      kind: page.kind,
      // Each item's limit; its colours and sizes are fetched by the picker when it opens (s.$token.options.$itemId.ts).
      bag: Object.fromEntries(Object.entries(bag).map(([id, b]) => [id, { cap: b.cap }])),
      token: page.token,
      wechat,
      og: {
        type: 'product',
        title,
        description,
        url: shareUrl(origin, page.token),
        noindex: true,
        image: cardUrl(origin, page.token, { locale }),
        imageSize: { width: 1080, height: 1440 },
      } satisfies OpenGraph,
    },
    { headers },
  )
}

/** A customer's order from this page (no account): the bag's lines and her delivery details. */
export async function action({ request, params }: ActionFunctionArgs) {
  return customerCheckout(request, { kind: 'share', token: params.token ?? '' })
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data ? openGraph(data.og) : [{ title: localTitle(matches, () => null) }]

export default function SharePage() {
  const data = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, i18n } = useFastTranslation()
  const ended = data.session.phase === 'ended'
  const live = data.session.phase === 'live'
  const bag = useBag(`bag:${data.og.url}`)
  const sheet = useOfferSheet(bag, `/s/${data.token}/options`)
  const bagItems: BagItem[] = data.items
    .filter((i) => i.buyable)
    .map((i) => ({
      id: i.id,
      title: i.title,
      titleEn: i.titleEn,
      priceMinor: i.priceMinor,
      currency: i.currency,
      cap: data.bag[i.id]?.cap ?? null,
    }))
  const bagSlot = live ? <CustomerBag items={bagItems} bag={bag} result={result} /> : undefined
  return (
    <Storefront reseller={data.reseller} bag={bagSlot}>
      <WechatShare
        config={data.wechat}
        card={{ title: data.og.title, description: data.og.description, link: data.og.url, image: data.og.image }}
      />
      <header className="share-head">
        <p className="session-brand">{pick(i18n.language, data.session.brandName, data.session.brandNameEn)}</p>
        <h1>{pick(i18n.language, data.session.title, data.session.titleEn)}</h1>
        {ended ? (
          <p className="form-error" role="alert" data-testid="sale-ended">
            {t('reseller.share.ended')}
          </p>
        ) : (
          <p>
            {data.session.phase === 'live' ? (
              <Countdown to={data.session.endsAt} label={t('reseller.share.endsIn')} />
            ) : (
              <Countdown to={data.session.startsAt} label={t('reseller.share.startsIn')} starting />
            )}
          </p>
        )}
      </header>
      <ul className="offers share-items">
        {data.items.map((item, i) => {
          const forBag = bagItems.find((b) => b.id === item.id)
          return (
            <OfferCard
              key={item.id}
              item={{ ...item, buyable: item.buyable && !ended }}
              eager={i < 2}
              heading="h2"
              onChoose={
                live && forBag
                  ? () => sheet.open({ ...forBag, imageSeed: item.imageSeed, imagePath: item.imagePath })
                  : undefined
              }
              onPrepare={() => sheet.prepare(item.id)}
            />
          )
        })}
      </ul>
      {data.items.some((i) => i.tagCut) && <p className="muted small">{t('reseller.share.tagCut')}</p>}
      {sheet.sheet}
    </Storefront>
  )
}

export function ErrorBoundary() {
  const error = useRouteError()
  const { t } = useFastTranslation()
  const status = isRouteErrorResponse(error) ? error.status : 500
  return (
    <section className="error-page" data-status={status}>
      <p className="error-code">{status}</p>
      <h1>
        {status === 410
          ? t('reseller.share.revoked')
          : status === 404
            ? t('reseller.share.notFound')
            : t('errors.genericTitle')}
      </h1>
    </section>
  )
}
