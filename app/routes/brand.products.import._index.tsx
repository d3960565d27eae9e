import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FieldErrors, replyErrors, type FormReply } from '#app/components/form-errors'
import { CSV_COLUMNS } from '#app/domain/catalog-csv'
import { decodeCsv } from '#app/domain/csv-encoding'
import { brandImports, startCatalogImport } from '#app/services/catalog/import.server'
import { hasFile } from '#app/services/catalog/uploads.server'
import { requireBrand } from '#app/utils/brand-auth.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { bodyTooLarge, invalidReply } from '#app/utils/http.server'

const MAX_CSV_BYTES = 20 * 1024 * 1024

export async function loader({ request }: LoaderFunctionArgs) {
  const { brandId } = await requireBrand(request)
  return json({ imports: await brandImports(getDb(), brandId), columns: CSV_COLUMNS })
}

export async function action({ request }: ActionFunctionArgs) {
  const { brandId, user } = await requireBrand(request)
  // The file is the form's one field and is checked here (no schema can read it).
  const refuse = (rule: string, status: 400 | 413 = 400) =>
    invalidReply(null, { fieldErrors: { file: [`catalog.errors.${rule}`] }, status })
  if (bodyTooLarge(request, MAX_CSV_BYTES)) return refuse('file_too_large', 413)
  const form = await request.formData().catch(() => null)
  const file = form?.get('file') ?? null
  if (!hasFile(file)) return refuse('file_required')
  if (file.size > MAX_CSV_BYTES) return refuse('file_too_large')
  const decoded = decodeCsv(new Uint8Array(await file.arrayBuffer()))
  if (!decoded.ok) return refuse('file_encoding')
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
  const reply = useActionData<typeof action>() as FormReply | undefined
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
          <input
            type="file"
            name="file"
            accept=".csv,text/csv"
            aria-invalid={Boolean(reply?.result?.error?.file)}
            aria-describedby={reply?.result?.error?.file ? 'file-error' : undefined}
          />
        </label>
        <FieldErrors field={replyErrors(reply?.result, 'file')} />
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
