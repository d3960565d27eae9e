import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ProductForm } from '#app/components/catalog/product-form'
import type { FormReply } from '#app/components/form-errors'
import { handleProductForm } from '#app/services/catalog/product-form.server'
import { uploadMaxBytes } from '#app/services/catalog/uploads.server'
import { requireBrand } from '#app/utils/brand-auth.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireBrand(request)
  return json({ maxMb: Math.round(uploadMaxBytes() / 1024 / 1024) })
}

export async function action({ request }: ActionFunctionArgs) {
  const { brandId } = await requireBrand(request)
  return handleProductForm(request, brandId, null)
}

export default function NewProduct() {
  const { maxMb } = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>() as FormReply | undefined
  const { t } = useTranslation()
  return (
    <div className="page brand-page">
      <p>
        <Link to="/brand/products">← {t('catalog.products.title')}</Link>
      </p>
      <h1>{t('catalog.products.new')}</h1>
      <ProductForm product={null} reply={reply} maxMb={maxMb} />
    </div>
  )
}
