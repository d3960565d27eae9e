import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { Price } from '#app/components/price'
import { pick } from '#app/components/pick'
import { brandProductList, PAGE_SIZE } from '#app/services/catalog/brand-catalog.server'
import { requireBrand } from '#app/utils/brand-auth.server'
import { getDb } from '#app/utils/db.server'
import { productImageUrl } from '#app/utils/images'

const Query = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
})

export async function loader({ request }: LoaderFunctionArgs) {
  const { brandId } = await requireBrand(request)
  const query = Query.parse(Object.fromEntries(new URL(request.url).searchParams))
  const data = await brandProductList(getDb(), brandId, { q: query.q || undefined, page: query.page })
  return json({ ...data, q: query.q ?? '', page: query.page, pageSize: PAGE_SIZE })
}

export default function BrandProducts() {
  const { products, total, q, page, pageSize } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  return (
    <div className="page brand-page">
      <div className="page-head">
        <h1>{t('catalog.products.title')}</h1>
        <div className="actions">
          <Link className="button" to="/brand/products/new">
            {t('catalog.products.new')}
          </Link>
          <Link className="button secondary" to="/brand/products/import">
            {t('catalog.products.import')}
          </Link>
        </div>
      </div>
      <Form method="get" className="search-row">
        <input
          type="search"
          name="q"
          defaultValue={q}
          placeholder={t('catalog.products.search')}
          aria-label={t('catalog.products.search')}
        />
        <button type="submit" className="button secondary">
          {t('catalog.products.searchButton')}
        </button>
        <span className="muted">{t('catalog.products.count', { count: total })}</span>
      </Form>
      {products.length ? (
        <table className="data-table" data-testid="product-table">
          <thead>
            <tr>
              <th />
              <th>{t('catalog.products.styleCode')}</th>
              <th>{t('catalog.products.titleZh')}</th>
              <th>{t('catalog.products.category')}</th>
              <th>{t('product.tagPrice')}</th>
              <th>{t('catalog.products.skus')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {products.map((p) => (
              <tr key={p.id}>
                <td>
                  <img src={productImageUrl(p, true)} alt="" width={40} height={53} className="thumb" />
                </td>
                <td>
                  <code>{p.styleCode ?? '—'}</code>
                </td>
                <td>
                  {pick(i18n.language, p.title, p.titleEn)}
                  {p.tagCut && <span className="pill">{t('product.tagCut')}</span>}
                </td>
                <td>{t(`categories.${p.category}`)}</td>
                <td>
                  <Price minor={p.tagPriceMinor} currency={p.currency} />
                </td>
                <td>
                  {t('catalog.products.skuCount', { count: p.skuCount })} ·{' '}
                  {t('catalog.products.stockTotal', { count: p.stock })}
                </td>
                <td>
                  <Link to={`/brand/products/${p.id}`}>{t('catalog.products.edit')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="empty">{t('catalog.products.empty')}</p>
      )}
      <nav className="pager" aria-label="pages">
        {page > 1 && <Link to={`?q=${encodeURIComponent(q)}&page=${page - 1}`}>{t('catalog.products.prev')}</Link>}
        <span>{t('catalog.products.page', { page })}</span>
        {page * pageSize < total && (
          <Link to={`?q=${encodeURIComponent(q)}&page=${page + 1}`}>{t('catalog.products.next')}</Link>
        )}
      </nav>
    </div>
  )
}
