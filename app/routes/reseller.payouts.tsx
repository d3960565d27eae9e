import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { PayeePayouts } from '#app/components/payouts'
import { payeePageAction, payeePageData } from '#app/services/payouts/payee-page.server'
import { requireUser } from '#app/utils/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  return payeePageData(request, { type: 'reseller', id: user.id })
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  return payeePageAction(request, {
    owner: { type: 'reseller', id: user.id },
    actorId: user.id,
    returnPath: '/reseller/payouts',
  })
}

export default function ResellerPayouts() {
  return <PayeePayouts />
}
