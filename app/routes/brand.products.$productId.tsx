import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ProductForm } from '#app/components/catalog/product-form'
import type { FormReply } from '#app/components/form-errors'
import { brandOwnsProduct, brandProduct } from '#app/services/catalog/brand-catalog.server'
import { handleProductForm } from '#app/services/catalog/product-form.server'
import { handlePhotoForm, productPhotos } from '#app/services/catalog/product-photos.server'
import { PhotoManager } from '#app/components/catalog/photo-manager'
import { CATALOG_RULES } from '#app/domain/platform-rules'
import { uploadMaxBytes } from '#app/services/catalog/uploads.server'
import { requireBrand, requireUuid } from '#app/utils/brand-auth.server'
import { getDb } from '#app/utils/db.server'
import { pick } from '#app/components/pick'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { brandId } = await requireBrand(request)
  const product = await brandProduct(getDb(), brandId, requireUuid(params.productId), new Date())
  if (!product) throw new Response('Not found', { status: 404 })
  return json({
    product,
    photos: await productPhotos(getDb(), product.id),
    maxMb: Math.round(uploadMaxBytes() / 1024 / 1024),
  })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { brandId } = await requireBrand(request)
  const productId = requireUuid(params.productId)
  if (!(await brandOwnsProduct(getDb(), brandId, productId))) throw new Response('Not found', { status: 404 })
  // The photo manager posts to ?photos; the product form to the page itself.
  if (new URL(request.url).searchParams.has('photos')) return handlePhotoForm(request, brandId, productId)
  return handleProductForm(request, brandId, productId)
}

export default function EditProduct() {
  const { product, photos, maxMb } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>() as (FormReply & { form?: string }) | undefined
  // The photo manager's answers say so; everything else answers the product form.
  const photoReply = data?.form === 'photos' ? data : undefined
  const productReply = data?.form === 'photos' ? undefined : data
  const [params] = useSearchParams()
  const { t, i18n } = useTranslation()
  return (
    <div className="page brand-page">
      <p>
        <Link to="/brand/products">← {t('catalog.products.title')}</Link> ·{' '}
        <Link to={`/products/${product.id}`}>{t('catalog.products.view')}</Link>
      </p>
      <h1>
        {t('catalog.products.edit')} · {pick(i18n.language, product.title, product.titleEn)}
      </h1>
      {params.get('saved') && !data && (
        <p className="notice" role="status">
          {t('catalog.products.saved')}
        </p>
      )}
      {params.get('photos') && !data && (
        <p className="notice" role="status">
          {t('phone.photos.saved')}
        </p>
      )}
      <PhotoManager productId={product.id} photos={photos} max={CATALOG_RULES.maxPhotos} reply={photoReply} />
      <ProductForm key={product.id + product.skus.length} product={product} reply={productReply} maxMb={maxMb} />
    </div>
  )
}
