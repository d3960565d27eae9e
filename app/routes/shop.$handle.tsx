import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import {
  Form,
  isRouteErrorResponse,
  Link,
  useActionData,
  useLoaderData,
  useRouteError,
  useSubmit,
} from '@remix-run/react'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { Countdown } from '#app/components/countdown'
import { CustomerBag, useBag, type BagItem } from '#app/components/customer-bag'
import { useOfferSheet } from '#app/components/offer-sheet'
import { optionLabel } from '#app/components/option-label'
import { pick } from '#app/components/pick'
import { OfferCard, Storefront } from '#app/components/storefront'
import { WechatShare } from '#app/components/wechat-share'
import { i18nFor } from '#app/i18n'
import { ShopFiltersSchema } from '#app/schemas/shop'
import { cachedShop, cachedShopHandle } from '#app/services/reseller/public-pages.server'
import { shopPageOf } from '#app/services/reseller/shop.server'
import { wechatShareForRequest } from '#app/services/wechat/js-sdk.server'
import { customerClientCookie } from '#app/utils/customer-client.server'
import { customerCheckout } from '#app/utils/customer-replies.server'
import { getDb } from '#app/utils/db.server'
import { parseQuery } from '#app/utils/http.server'
import { getLocale } from '#app/utils/locale.server'
import { publicOrigin } from '#app/utils/public-url.server'
import { openGraph, type OpenGraph } from '#app/utils/meta'
import { productImageUrl } from '#app/utils/images'

// A reseller's shop, open to anyone (her customers have no account). Her page, not the platform's: no site
// header, no link to wholesale pages; nothing here is a wholesale price, her level, a floor or a stock count.
// Her customers order here as on a share link: a bag (colour, size, quantity) and a no-account checkout.
export const handle = { storefront: true }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb()
  const found = await cachedShopHandle(db, params.handle ?? '')
  if (found.status === 'missing') throw new Response('Not found', { status: 404 })
  const url = new URL(request.url)
  if (found.status === 'moved') throw redirect(`/shop/${found.handle}${url.search}`, 301)
  const filters = parseQuery(request, ShopFiltersSchema)
  const { shelves, bag: allBag } = await cachedShop(db, found.userId, new Date())
  const page = shelves ? shopPageOf(shelves, found.handle, filters) : null
  if (!page) throw new Response('Not found', { status: 404 })
  const locale = await getLocale(request)
  const t = i18nFor(locale).t
  const origin = publicOrigin()
  const first = page.sessions.flatMap((s) => s.items).find((i) => i.buyable)
  const live = page.sessions
    .filter((s) => s.phase === 'live')
    .flatMap((s) => s.items)
    .filter((i) => i.buyable)
  // Which items go in the bag and their limit; their colours and sizes (most of the data) are fetched by the picker
  // when it opens (shop.$handle.options.$itemId.ts), not carried by the page.
  const bag = Object.fromEntries(live.flatMap((i) => (allBag[i.id] ? [[i.id, { cap: allBag[i.id]!.cap }]] : [])))
  const wechat = await wechatShareForRequest(request, origin, new Date())
  const headers = new Headers({ 'Cache-Control': 'no-store' })
  // The customer's device, for the limit on unpaid orders per client.
  const cookie = customerClientCookie(request)
  if (cookie) headers.append('Set-Cookie', cookie)
  return json(
    {
      ...page,
      bag,
      wechat,
      og: {
        type: 'website',
        title: t('shop.public.title', { name: page.reseller.name }),
        description: t('shop.public.description', { name: page.reseller.name, count: page.total }),
        url: `${origin}/shop/${page.handle}`,
        image: first ? origin + productImageUrl(first) : null,
      } satisfies OpenGraph,
    },
    { headers },
  )
}

/** A customer's order from her shop (no account): the bag's lines and her delivery details. */
export async function action({ request, params }: ActionFunctionArgs) {
  return customerCheckout(request, { kind: 'shop', handle: params.handle ?? '' })
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data && 'og' in data ? openGraph(data.og) : [{ title: '' }]

export default function ShopPage() {
  const data = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, i18n } = useFastTranslation()
  const submit = useSubmit()
  const bag = useBag(`bag:shop:${'og' in data ? data.handle : ''}`)
  const sheet = useOfferSheet(bag, `/shop/${'og' in data ? data.handle : ''}/options`)
  if (!('og' in data))
    return (
      <p className="form-error" role="alert">
        {t('errors.badRequest')}
      </p>
    )
  const { filters, facets } = data
  const filtered = Boolean(filters.q || filters.category || filters.size)
  // Items of live sessions can go in the bag; the bag keeps what was added even when a filter hides it.
  const bagItems: BagItem[] = data.sessions
    .flatMap((s) => s.items)
    .filter((i) => data.bag[i.id])
    .map((i) => ({
      id: i.id,
      title: i.title,
      titleEn: i.titleEn,
      priceMinor: i.priceMinor,
      currency: i.currency,
      cap: data.bag[i.id]?.cap ?? null,
    }))
  const bagSlot = Object.keys(data.bag).length ? <CustomerBag items={bagItems} bag={bag} result={result} /> : undefined
  return (
    <Storefront reseller={data.reseller} bag={bagSlot}>
      <WechatShare
        config={data.wechat}
        card={{
          title: data.og.title,
          description: data.og.description,
          link: data.og.url,
          // No buyable item, no picture: WeChat shows its default.
          image: data.og.image ?? '',
        }}
      />
      <h1 className="storefront-title">{data.og.title}</h1>
      <Form
        method="get"
        className="shop-filters"
        role="search"
        onChange={(e) => {
          if ((e.target as HTMLElement).tagName === 'SELECT') submit(e.currentTarget)
        }}
      >
        <div className="shop-search">
          <input
            type="search"
            name="q"
            defaultValue={filters.q}
            placeholder={t('shop.public.searchPlaceholder')}
            aria-label={t('shop.public.searchLabel')}
            maxLength={60}
          />
          <button type="submit" className="button">
            {t('shop.public.search')}
          </button>
        </div>
        <div className="shop-facets">
          <label>
            <span>{t('shop.public.category')}</span>
            <select name="category" defaultValue={filters.category}>
              <option value="">{t('shop.public.all')}</option>
              {facets.categories.map((c) => (
                <option key={c} value={c}>
                  {t(`categories.${c}` as 'categories.womens')}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('shop.public.size')}</span>
            <select name="size" defaultValue={filters.size}>
              <option value="">{t('shop.public.all')}</option>
              {facets.sizes.map((s) => (
                <option key={s.value} value={s.value}>
                  {optionLabel(i18n.language, s.value, s.en)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {filtered && (
          <p className="muted small">
            <span data-testid="shown">{t('shop.public.shown', { shown: data.shown })}</span> ·{' '}
            <Link to=".">{t('shop.public.clear')}</Link>
          </p>
        )}
      </Form>
      {data.total === 0 ? (
        <p className="empty">{t('shop.public.empty')}</p>
      ) : data.sessions.length === 0 ? (
        <p className="empty">{t('shop.public.noMatch')}</p>
      ) : null}
      {data.sessions.map((s, si) => (
        <section key={s.id} className="shop-session" data-testid="shop-session" aria-labelledby={`s-${s.id}`}>
          <header className="shop-session-head">
            <p className="session-brand">{pick(i18n.language, s.brandName, s.brandNameEn)}</p>
            <h2 id={`s-${s.id}`}>{pick(i18n.language, s.title, s.titleEn)}</h2>
            <p>
              <span className={`phase phase-${s.phase}`}>
                {t(s.phase === 'live' ? 'shop.public.live' : 'shop.public.upcoming')}
              </span>{' '}
              <Countdown
                to={s.phase === 'live' ? s.endsAt : s.startsAt}
                label={t(s.phase === 'live' ? 'shop.public.endsIn' : 'shop.public.startsIn')}
                starting={s.phase !== 'live'}
              />
            </p>
          </header>
          <ul className="offers">
            {s.items.map((item, i) => {
              const forBag = bagItems.find((b) => b.id === item.id)
              return (
                <OfferCard
                  key={item.id}
                  item={item}
                  eager={si === 0 && i < 2}
                  onChoose={
                    forBag
                      ? () => sheet.open({ ...forBag, imageSeed: item.imageSeed, imagePath: item.imagePath })
                      : undefined
                  }
                  onPrepare={() => sheet.prepare(item.id)}
                />
              )
            })}
          </ul>
        </section>
      ))}
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
        {status === 404
          ? t('shop.public.notFound')
          : status === 400
            ? t('errors.badRequest')
            : t('errors.genericTitle')}
      </h1>
    </section>
  )
}
