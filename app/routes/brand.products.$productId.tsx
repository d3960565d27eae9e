import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ProductForm } from '#app/components/catalog/product-form'
import { brandOwnsProduct, brandProduct } from '#app/services/brand-catalog.server'
import { handleProductForm } from '#app/services/product-form.server'
import { uploadMaxBytes } from '#app/services/uploads.server'
import { requireBrand, requireUuid, type ActionErrors } from '#app/utils/brand-auth.server'
import { getDb } from '#app/utils/db.server'
import { pick } from '#app/components/pick'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { brandId } = await requireBrand(request)
  const product = await brandProduct(getDb(), brandId, requireUuid(params.productId), new Date())
  if (!product) throw new Response('Not found', { status: 404 })
  return json({ product, maxMb: Math.round(uploadMaxBytes() / 1024 / 1024) })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { brandId } = await requireBrand(request)
  const productId = requireUuid(params.productId)
  if (!(await brandOwnsProduct(getDb(), brandId, productId))) throw new Response('Not found', { status: 404 })
  return handleProductForm(request, brandId, productId)
}

export default function EditProduct() {
  const { product, maxMb } = useLoaderData<typeof loader>()
  const errors = useActionData<typeof action>() as ActionErrors | undefined
  const [params] = useSearchParams()
  const { t, i18n } = useTranslation()
  return (
    <div className="page brand-page">
      <p><Link to="/brand/products">← {t('catalog.products.title')}</Link> · <Link to={`/products/${product.id}`}>{t('catalog.products.view')}</Link></p>
      <h1>{t('catalog.products.edit')} · {pick(i18n.language, product.title, product.titleEn)}</h1>
      {params.get('saved') && !errors && <p className="notice" role="status">{t('catalog.products.saved')}</p>}
      <ProductForm key={product.id + product.skus.length} product={product} errors={errors} maxMb={maxMb} />
    </div>
  )
}
