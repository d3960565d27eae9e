import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useMemo, useRef } from 'react'
import type { StockState } from '#app/domain/stock'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { Countdown } from '#app/components/countdown'
import { ItemGrid } from '#app/components/item-grid'
import { ItemCard } from '#app/components/item-card'
import { SessionFilters, useSessionFilters } from '#app/components/session-filters'
import { useStockPoll } from '#app/components/use-stock-poll'
import { pick } from '#app/components/pick'
import { sessionPage } from '#app/services/catalog/storefront.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { invariantResponse, UUID } from '#app/utils/http.server'
import { getUser } from '#app/utils/session.server'
import { FollowButton } from '#app/components/catalog/follow-button'
import { bannerImageUrl, imageLoading } from '#app/utils/images'
import { localTitle } from '#app/utils/meta'
import { useServerFragment } from '#app/components/server-fragments'
import { useRootData } from '#app/root'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: localTitle(matches, (_t, locale) => data && pick(locale, data.session.title, data.session.titleEn)) },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  invariantResponse(UUID.test(params.sessionId ?? ''))
  const user = await getUser(request)
  const page = await sessionPage(
    getDb(),
    params.sessionId!,
    user && { role: user.role, vipLevel: user.vip_level },
    new Date(),
  )
  invariantResponse(page)
  // members can follow the brand (the brands she follows come with her session's lookup)
  const following = user?.role === 'member' ? user.followed_brand_ids.includes(page.session.brandId) : null
  return json({ ...page, following })
}

/**
 * The items with the latest polled stock. An item whose stock did not change keeps its object, so its (memoised)
 * card does not render again: a poll every few seconds re-renders only the cards whose stock moved.
 */
function useLiveStock<I extends { id: string; stock: StockState }>(items: I[], live?: Record<string, StockState>) {
  const shown = useRef(new Map<string, { base: I; out: I }>())
  return useMemo(() => {
    const next = new Map<string, { base: I; out: I }>()
    const list = items.map((item) => {
      const stock = live?.[item.id]
      let out = item
      if (stock && !sameStock(stock, item.stock)) {
        const before = shown.current.get(item.id)
        out = before && before.base === item && sameStock(before.out.stock, stock) ? before.out : { ...item, stock }
      }
      next.set(item.id, { base: item, out })
      return out
    })
    shown.current = next
    return list
  }, [items, live])
}

const sameStock = (a: StockState, b: StockState) =>
  a.kind === b.kind && (a.kind === 'low' ? a.left : undefined) === (b.kind === 'low' ? b.left : undefined)

export default function SessionPage() {
  const { session, items, cardsKey, following } = useLoaderData<typeof loader>()
  const { t, i18n } = useFastTranslation()
  const live = useStockPoll(session.phase === 'live' ? session.id : null)
  const withLiveStock = useLiveStock(items, live?.items)
  const filters = useSessionFilters(withLiveStock)
  const user = useRootData()?.user
  // One object while the user stays the same, so the memoised cards are skipped when only stock was polled.
  const role = user?.role
  const vipLevel = user?.vipLevel
  const viewer = useMemo(() => (role ? { role, vipLevel: vipLevel ?? 0 } : null), [role, vipLevel])
  const cards = filters.shown.map((item, i) => <ItemCard key={item.id} item={item} eager={i < 2} viewer={viewer} />)
  // Members of one level see the same cards: their markup is kept per level, language and the cards' own data
  // (prices and stock states included), so any change of either is a new entry, never a stale one. Cards shown
  // exactly as loaded are named by the loader's hash of their data; any others by their data itself.
  const asLoaded = filters.shown.length === items.length && filters.shown.every((item, i) => item === items[i])
  const keptCards = useServerFragment(
    filters.panel.active ? null : JSON.stringify([viewer, asLoaded ? cardsKey : filters.shown]),
    () => <>{cards}</>,
  )
  return (
    <div className="page session-page">
      <header className="session-hero">
        {/* An image, not a CSS background: the browser finds it in the document and fetches it first. */}
        <img className="session-hero-banner" src={bannerImageUrl(session)} alt="" {...imageLoading(true)} />
        <p className="session-brand">{pick(i18n.language, session.brandName, session.brandNameEn)}</p>
        {following !== null && <FollowButton brandId={session.brandId} following={following} />}
        <h1>{pick(i18n.language, session.title, session.titleEn)}</h1>
        <p>
          <span className={`phase phase-${session.phase}`}>
            {t(`session.phase.${session.phase}` as 'session.phase.live')}
          </span>{' '}
          {session.phase === 'live' && <Countdown to={session.endsAt} label={t('home.endsIn')} />}
          {session.phase === 'upcoming' && <Countdown to={session.startsAt} label={t('home.startsIn')} starting />}
        </p>
        <p className="session-window">
          {t('session.window', {
            start: formatDateTime(session.startsAt, i18n.language),
            end: formatDateTime(session.endsAt, i18n.language),
          })}
        </p>
      </header>
      {items.length ? (
        <>
          <SessionFilters panel={filters.panel} pricesVisible={items.some((i) => i.priceMinor !== null)} />
          <ItemGrid serverHtml={keptCards}>{cards}</ItemGrid>
        </>
      ) : (
        <p className="empty">{t('session.empty')}</p>
      )}
    </div>
  )
}
