import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { Countdown } from '#app/components/countdown'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { searchPage } from '#app/services/catalog/search.server'
import { getDb } from '#app/utils/db.server'
import { getUser } from '#app/utils/session.server'
import { useRootData } from '#app/root'
import { localTitle } from '#app/utils/meta'
import { BottomSheet } from '#app/components/bottom-sheet'
import { imageLoading, productImageUrl } from '#app/utils/images'
import { defaultSearchSort } from '#app/schemas/search'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: localTitle(matches, (t) => (data?.input.q ? `${data.input.q} · ${t('search.nav')}` : t('search.nav'))) },
  { name: 'robots', content: 'noindex' },
]

// Public: anyone may search; prices only for signed-in viewers, at their own level (server-side).
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  const viewer = user && { role: user.role, vipLevel: user.vip_level }
  const data = await searchPage(getDb(), new URL(request.url).searchParams, viewer, new Date())
  return json(data, { status: data.unavailable ? 503 : 200, headers: { 'Cache-Control': 'private, no-store' } })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Ready = Extract<Data, { unavailable: false }>
type Multi = 'brand' | 'category' | 'size' | 'colour' | 'session'
type Single = 'tagCut' | 'inStock' | 'phase' | 'price' | 'discount' | 'sort' | 'page'

/** The URL for the current state with one change; any filter change goes back to page 1. */
function urlWith(
  input: Data['input'],
  change: {
    add?: [Multi, string]
    remove?: [Multi, string]
    set?: [Single, string | undefined]
    clear?: boolean
    dropQ?: boolean
  },
) {
  const p = new URLSearchParams()
  if (input.q && !change.dropQ) p.set('q', input.q)
  if (!change.clear) {
    for (const key of ['brand', 'category', 'size', 'colour', 'session'] as const) {
      for (const v of input[key]) if (!(change.remove?.[0] === key && change.remove[1] === v)) p.append(key, v)
      if (change.add?.[0] === key && !input[key].includes(change.add[1])) p.append(key, change.add[1])
    }
    const singles: Record<string, string | undefined> = {
      tagCut: input.tagCut === undefined ? undefined : input.tagCut ? '1' : '0',
      inStock: input.inStock ? '1' : undefined,
      phase: input.phase,
      price: input.price,
      discount: input.discount,
    }
    if (change.set && change.set[0] !== 'sort' && change.set[0] !== 'page') singles[change.set[0]] = change.set[1]
    for (const [k, v] of Object.entries(singles)) if (v !== undefined) p.set(k, v)
  }
  const sort = change.set?.[0] === 'sort' ? change.set[1] : input.sort
  if (sort && sort !== defaultSearchSort(change.dropQ ? '' : input.q)) p.set('sort', sort)
  if (change.set?.[0] === 'page' && change.set[1] && change.set[1] !== '1') p.set('page', change.set[1])
  const s = p.toString()
  return s ? `/search?${s}` : '/search'
}

export default function SearchRoute() {
  const data = useLoaderData<typeof loader>()
  const { t } = useFastTranslation()
  return (
    <div className="page search-page">
      <Form method="get" action="/search" className="search-form" role="search">
        <input
          type="search"
          name="q"
          defaultValue={data.input.q}
          placeholder={t('search.placeholder')}
          aria-label={t('search.placeholder')}
          maxLength={100}
        />
        {/* Filters and sort survive a new query. */}
        {(['brand', 'category', 'size', 'colour', 'session'] as const).flatMap((k) =>
          data.input[k].map((v) => <input key={`${k}:${v}`} type="hidden" name={k} value={v} />),
        )}
        {data.input.phase && <input type="hidden" name="phase" value={data.input.phase} />}
        {data.input.price && <input type="hidden" name="price" value={data.input.price} />}
        {data.input.discount && <input type="hidden" name="discount" value={data.input.discount} />}
        {data.input.tagCut !== undefined && <input type="hidden" name="tagCut" value={data.input.tagCut ? '1' : '0'} />}
        {data.input.inStock && <input type="hidden" name="inStock" value="1" />}
        {data.input.sort !== defaultSearchSort(data.input.q) && (
          <input type="hidden" name="sort" value={data.input.sort} />
        )}
        <button type="submit">{t('search.submit')}</button>
      </Form>
      {data.notices.length > 0 && (
        <ul className="search-notices" role="status">
          {data.notices.map((n) => (
            <li key={`${n.code}:${n.param}`}>{t(`search.notice.${n.code}`, { param: n.param })}</li>
          ))}
        </ul>
      )}
      {data.unavailable ? <p className="empty">{t('search.unavailable')}</p> : <Results data={data} />}
    </div>
  )
}

function Results({ data }: { data: Ready }) {
  const { t, i18n } = useFastTranslation()
  const { input, facets } = data
  const chips: { key: string; label: string; href: string }[] = []
  if (input.q) chips.push({ key: 'q', label: `“${input.q}”`, href: urlWith(input, { dropQ: true }) })
  for (const id of input.brand) {
    const [zh, en] = data.selectedLabels.brand[id]
    chips.push({ key: `b${id}`, label: pick(i18n.language, zh, en), href: urlWith(input, { remove: ['brand', id] }) })
  }
  for (const c of input.category)
    chips.push({
      key: `c${c}`,
      label: t(`categories.${c}` as 'categories.womens'),
      href: urlWith(input, { remove: ['category', c] }),
    })
  for (const s of input.size)
    chips.push({
      key: `s${s}`,
      label: `${t('search.facets.size')} ${pick(i18n.language, ...data.selectedLabels.size[s]!)}`,
      href: urlWith(input, { remove: ['size', s] }),
    })
  for (const c of input.colour)
    chips.push({
      key: `co${c}`,
      label: pick(i18n.language, ...data.selectedLabels.colour[c]!),
      href: urlWith(input, { remove: ['colour', c] }),
    })
  for (const id of input.session) {
    const [zh, en] = data.selectedLabels.session[id]
    chips.push({
      key: `se${id}`,
      label: pick(i18n.language, zh, en),
      href: urlWith(input, { remove: ['session', id] }),
    })
  }
  if (input.tagCut !== undefined)
    chips.push({
      key: 'tc',
      label: input.tagCut ? t('search.tagCutYes') : t('search.tagCutNo'),
      href: urlWith(input, { set: ['tagCut', undefined] }),
    })
  if (input.inStock)
    chips.push({ key: 'is', label: t('search.inStockOnly'), href: urlWith(input, { set: ['inStock', undefined] }) })
  if (input.phase)
    chips.push({
      key: 'ph',
      label: t(`search.phase.${input.phase}`),
      href: urlWith(input, { set: ['phase', undefined] }),
    })
  if (input.price)
    chips.push({
      key: 'pr',
      label: t(`search.priceBucket.${input.price}` as 'search.priceBucket.0-100'),
      href: urlWith(input, { set: ['price', undefined] }),
    })
  if (input.discount)
    chips.push({
      key: 'di',
      label: t(`search.discountBucket.${input.discount}` as 'search.discountBucket.0-30'),
      href: urlWith(input, { set: ['discount', undefined] }),
    })

  const sorts = (['relevance', 'price_asc', 'price_desc', 'discount', 'newest', 'ending_soon'] as const)
    .filter((s) => data.pricesVisible || !['price_asc', 'price_desc', 'discount'].includes(s))
    .filter((s) => s !== 'relevance' || input.q)

  const sortNav = (
    <nav className="sorts" aria-label={t('search.sort.label')}>
      <span className="label">{t('search.sort.label')}</span>
      {sorts.map((s) => (
        <Link
          key={s}
          to={urlWith(input, { set: ['sort', s] })}
          aria-current={input.sort === s ? 'true' : undefined}
          className={input.sort === s ? 'active' : undefined}
        >
          {t(`search.sort.${s}`)}
        </Link>
      ))}
    </nav>
  )

  return (
    <div className="search-layout">
      <h1 className="sr-only">{t('search.title')}</h1>
      <BottomSheet
        id="filters"
        className="facets"
        title={t('phone.sheet.sortAndFilter')}
        toggleLabel={chips.length ? t('phone.sheet.filtersCount', { count: chips.length }) : t('phone.sheet.filters')}
      >
        {sortNav}
        <FacetList
          title={t('search.facets.phase')}
          items={(['live', 'upcoming'] as const).map((p) => ({
            key: p,
            label: t(`search.phase.${p}`),
            selected: input.phase === p,
            href: urlWith(input, { set: ['phase', input.phase === p ? undefined : p] }),
          }))}
        />
        <FacetList
          title={t('search.facets.brand')}
          items={facets.brand.map((f) =>
            multi(input, 'brand', f.value, pick(i18n.language, f.label, f.labelEn), f.count),
          )}
        />
        <FacetList
          title={t('search.facets.category')}
          items={facets.category.map((f) =>
            multi(input, 'category', f.value, t(`categories.${f.value}` as 'categories.womens'), f.count),
          )}
        />
        <FacetList
          title={t('search.facets.size')}
          items={facets.size.map((f) =>
            multi(input, 'size', f.value, pick(i18n.language, f.label, f.labelEn), f.count),
          )}
        />
        <FacetList
          title={t('search.facets.colour')}
          items={facets.colour.map((f) =>
            multi(input, 'colour', f.value, pick(i18n.language, f.label, f.labelEn), f.count),
          )}
        />
        <FacetList
          title={t('search.facets.tagCut')}
          items={facets.tagCut.map((f) => ({
            key: f.value,
            label: f.value === 'true' ? t('search.tagCutYes') : t('search.tagCutNo'),
            count: f.count,
            selected: input.tagCut === (f.value === 'true'),
            href: urlWith(input, {
              set: ['tagCut', input.tagCut === (f.value === 'true') ? undefined : f.value === 'true' ? '1' : '0'],
            }),
          }))}
        />
        <FacetList
          title={t('search.facets.inStock')}
          items={[
            {
              key: 'in',
              label: t('search.inStockOnly'),
              selected: !!input.inStock,
              href: urlWith(input, { set: ['inStock', input.inStock ? undefined : '1'] }),
            },
          ]}
        />
        {data.pricesVisible ? (
          <>
            <FacetList
              title={t('search.facets.price')}
              items={facets.price
                .filter((f) => f.count > 0 || input.price === f.value)
                .map((f) => ({
                  key: f.value,
                  label: t(`search.priceBucket.${f.value}` as 'search.priceBucket.0-100'),
                  count: f.count,
                  selected: input.price === f.value,
                  href: urlWith(input, { set: ['price', input.price === f.value ? undefined : f.value] }),
                }))}
            />
            <FacetList
              title={t('search.facets.discount')}
              items={facets.discount
                .filter((f) => f.count > 0 || input.discount === f.value)
                .map((f) => ({
                  key: f.value,
                  label: t(`search.discountBucket.${f.value}` as 'search.discountBucket.0-30'),
                  count: f.count,
                  selected: input.discount === f.value,
                  href: urlWith(input, { set: ['discount', input.discount === f.value ? undefined : f.value] }),
                }))}
            />
          </>
        ) : (
          <p className="muted small">{t('search.signInForPriceFilters')}</p>
        )}
        <FacetList
          title={t('search.facets.session')}
          items={facets.session.map((f) =>
            multi(input, 'session', f.value, pick(i18n.language, f.label, f.labelEn), f.count),
          )}
        />
      </BottomSheet>
      <section className="search-results">
        <div className="search-summary">
          <p data-testid="search-total">
            {input.q ? <strong>{t('search.resultsFor', { q: input.q })}</strong> : null}{' '}
            {t('search.results', { count: data.total })}
          </p>
        </div>
        {chips.length > 0 && (
          <div className="chips" aria-label={t('search.active')}>
            {chips.map((c) => (
              <Link key={c.key} to={c.href} className="chip" aria-label={t('search.remove', { label: c.label })}>
                {c.label} <span aria-hidden>×</span>
              </Link>
            ))}
            <Link to={urlWith(input, { clear: true, dropQ: true })} className="chip clear">
              {t('search.clearAll')}
            </Link>
          </div>
        )}
        {data.hits.length ? (
          <ul className="item-grid">
            {data.hits.map((h, i) => (
              <HitCard key={h.id} hit={h} first={i < 2} />
            ))}
          </ul>
        ) : data.total > 0 ? (
          <div className="empty">
            <p>{t('search.pastLastPage')}</p>
            <Link to={urlWith(input, { set: ['page', '1'] })}>{t('search.backToFirst')}</Link>
          </div>
        ) : (
          <div className="empty" data-testid="search-empty">
            <p>{t('search.empty')}</p>
            {chips.length ? (
              <>
                <p>{t('search.emptyWithFilters')}</p>
                <div className="chips">
                  {chips.map((c) => (
                    <Link key={c.key} to={c.href} className="chip">
                      {c.label} ×
                    </Link>
                  ))}
                </div>
              </>
            ) : (
              <p>
                <Link to="/">{t('search.emptyTry')}</Link>
              </p>
            )}
          </div>
        )}
        {data.pageCount > 1 && data.hits.length > 0 && (
          <nav className="pagination" aria-label="pagination">
            {data.page > 1 ? (
              <Link rel="prev" to={urlWith(input, { set: ['page', String(data.page - 1)] })}>
                {t('search.prev')}
              </Link>
            ) : (
              <span />
            )}
            <span>{t('search.page', { page: data.page, pages: data.pageCount })}</span>
            {data.page < data.pageCount ? (
              <Link rel="next" to={urlWith(input, { set: ['page', String(data.page + 1)] })}>
                {t('search.next')}
              </Link>
            ) : (
              <span />
            )}
          </nav>
        )}
      </section>
    </div>
  )
}

function multi(input: Data['input'], key: Multi, value: string, label: string, count: number) {
  const selected = input[key].includes(value)
  return {
    key: value,
    label,
    count,
    selected,
    href: urlWith(input, selected ? { remove: [key, value] } : { add: [key, value] }),
  }
}

function FacetList({
  title,
  items,
}: {
  title: string
  items: { key: string; label: string; count?: number; selected: boolean; href: string }[]
}) {
  if (!items.length) return null
  return (
    <section className="facet">
      <h3>{title}</h3>
      <ul>
        {items.map((i) => (
          <li key={i.key}>
            <Link
              to={i.href}
              className={i.selected ? 'selected' : undefined}
              aria-current={i.selected ? 'true' : undefined}
              rel="nofollow"
            >
              <span className="box" aria-hidden>
                {i.selected ? '✓' : ''}
              </span>
              <span className="facet-label">{i.label}</span>
              {i.count !== undefined && <span className="count">{i.count}</span>}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  )
}

function HitCard({ hit, first }: { hit: Ready['hits'][number]; first: boolean }) {
  const { t, i18n } = useFastTranslation()
  const user = useRootData()?.user
  return (
    <li className="item-card search-hit" data-testid="search-hit">
      <Link to={`/products/${hit.productId}`}>
        <div className="item-image">
          <img src={productImageUrl(hit, true)} alt="" width={300} height={400} {...imageLoading(first)} />
          {hit.tagCut && <span className="tag-cut">{t('product.tagCut')}</span>}
          {!hit.inStock && <span className="sold-out-overlay">{t('search.soldOut')}</span>}
        </div>
        <h2>{pick(i18n.language, hit.title, hit.titleEn)}</h2>
      </Link>
      <div className="item-prices">
        {hit.priceMinor !== null ? (
          <span className="wholesale">
            <span className="label">{user?.role === 'member' ? t('search.yourPrice') : t('search.staffPrice')}</span>{' '}
            <Price minor={hit.priceMinor} currency={hit.currency} />
          </span>
        ) : (
          <span className="muted">{t('product.signInForPrice')}</span>
        )}
        {hit.tagPriceMinor !== null && (
          <span className="tag-price">
            <span className="label">{t('product.tagPrice')}</span>{' '}
            <Price minor={hit.tagPriceMinor} currency={hit.currency} className="strike" />
          </span>
        )}
      </div>
      <p className="hit-session">
        <span className="hit-brand">{pick(i18n.language, hit.brandName, hit.brandNameEn)}</span>
        <Link to={`/sessions/${hit.sessionId}`}>{pick(i18n.language, hit.sessionTitle, hit.sessionTitleEn)}</Link>
        <span className={`phase phase-${hit.phase}`}>
          {t(`search.phase.${hit.phase === 'upcoming' ? 'upcoming' : 'live'}`)}
        </span>
        {hit.phase === 'live' ? (
          <Countdown to={hit.endsAt} label={t('home.endsIn')} />
        ) : (
          <Countdown to={hit.startsAt} label={t('home.startsIn')} starting />
        )}
      </p>
    </li>
  )
}
