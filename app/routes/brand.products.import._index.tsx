import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FieldError } from '#app/components/catalog/field-error'
import { CSV_COLUMNS } from '#app/domain/catalog-csv'
import { decodeCsv } from '#app/domain/csv-encoding'
import { brandImports, startCatalogImport } from '#app/services/catalog/import.server'
import { hasFile } from '#app/services/catalog/uploads.server'
import { assertBodySize, requireBrand, type ActionErrors } from '#app/utils/brand-auth.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'

const MAX_CSV_BYTES = 20 * 1024 * 1024

export async function loader({ request }: LoaderFunctionArgs) {
  const { brandId } = await requireBrand(request)
  return json({ imports: await brandImports(getDb(), brandId), columns: CSV_COLUMNS })
}

export async function action({ request }: ActionFunctionArgs) {
  const { brandId, user } = await requireBrand(request)
  assertBodySize(request, MAX_CSV_BYTES)
  const form = await request.formData().catch(() => null)
  const file = form?.get('file') ?? null
  if (!hasFile(file)) return json({ fieldErrors: { file: 'file_required' }, formError: null }, { status: 400 })
  if (file.size > MAX_CSV_BYTES)
    return json({ fieldErrors: { file: 'file_too_large' }, formError: null }, { status: 400 })
  const decoded = decodeCsv(new Uint8Array(await file.arrayBuffer()))
  if (!decoded.ok) return json({ fieldErrors: { file: 'file_encoding' }, formError: null }, { status: 400 })
  const id = await startCatalogImport(getDb(), {
    brandId,
    userId: user.id,
    fileName: file.name.slice(0, 200) || 'import.csv',
    csvText: decoded.text,
  })
  return redirect(`/brand/products/import/${id}`)
}

export default function ImportPage() {
  const { imports, columns } = useLoaderData<typeof loader>()
  const errors = useActionData<typeof action>() as ActionErrors | undefined
  const nav = useNavigation()
  const { t, i18n } = useTranslation()
  return (
    <div className="page brand-page">
      <p>
        <Link to="/brand/products">← {t('catalog.products.title')}</Link>
      </p>
      <h1>{t('catalog.import.title')}</h1>
      <p>{t('catalog.import.intro')}</p>
      <p>
        <code className="columns">{columns.join(',')}</code>
      </p>
      <p>
        <a href="/brand/products/import/template.csv" download>
          {t('catalog.import.template')}
        </a>
      </p>
      <Form method="post" encType="multipart/form-data" className="catalog-form">
        <label>
          {t('catalog.import.file')}
          <input type="file" name="file" accept=".csv,text/csv" />
        </label>
        <FieldError errors={errors?.fieldErrors} name="file" />
        <button type="submit" className="button" disabled={nav.state === 'submitting'}>
          {t('catalog.import.submit')}
        </button>
      </Form>
      <h2>{t('catalog.import.history')}</h2>
      {imports.length === 0 && <p className="empty">{t('catalog.import.historyEmpty')}</p>}
      <table className="data-table">
        <tbody>
          {imports.map((i) => (
            <tr key={i.id}>
              <td>
                <Link to={`/brand/products/import/${i.id}`}>{i.fileName}</Link>
              </td>
              <td>{formatDateTime(i.createdAt, i18n.language)}</td>
              <td>{t(`catalog.import.status.${i.status}`)}</td>
              <td>
                {i.okRows} / {i.totalRows}
              </td>
              <td>{i.errorCount > 0 && <span className="pill warn">{i.errorCount}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
