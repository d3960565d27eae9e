import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { PayeePayouts } from '#app/components/payouts'
import { payeePageAction, payeePageData } from '#app/services/payouts/payee-page.server'
import { requireUser } from '#app/utils/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['brand_staff'])
  return payeePageData(request, { type: 'brand', id: user.brand_id! })
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['brand_staff'])
  return payeePageAction(request, {
    owner: { type: 'brand', id: user.brand_id! },
    actorId: user.id,
    returnPath: '/brand/payouts',
  })
}

export default function BrandPayouts() {
  return <PayeePayouts />
}
