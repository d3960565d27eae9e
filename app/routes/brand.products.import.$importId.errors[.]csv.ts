import type { LoaderFunctionArgs } from '@remix-run/node'
import { brandImportErrors, errorReportCsv } from '#app/services/catalog/import.server'
import { requireBrand, requireUuid } from '#app/utils/brand-auth.server'
import { getDb } from '#app/utils/db.server'
import { getLocale } from '#app/utils/locale.server'
import zhCN from '#app/locales/zh-CN'
import en from '#app/locales/en'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { brandId } = await requireBrand(request)
  const errors = await brandImportErrors(getDb(), brandId, requireUuid(params.importId))
  if (!errors) throw new Response('Not found', { status: 404 })
  const reasons = ((await getLocale(request)) === 'en' ? en : zhCN).catalog.import.reasons as Record<string, string>
  return new Response('\uFEFF' + errorReportCsv(errors, (r) => reasons[r] ?? r), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="import-errors-${params.importId}.csv"`,
    },
  })
}
