import type { LoaderFunctionArgs } from '@remix-run/node'
import { CSV_TEMPLATE } from '#app/domain/catalog-csv'
import { requireBrand } from '#app/utils/brand-auth.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireBrand(request)
  // A BOM so spreadsheet programs open the Chinese text as UTF-8.
  return new Response('\uFEFF' + CSV_TEMPLATE, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="catalog-template.csv"',
    },
  })
}
