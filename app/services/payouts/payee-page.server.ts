import { parseWithZod } from '@conform-to/zod'
import { json, redirect } from '@remix-run/node'
import { BankDetailsFormSchema } from '#app/schemas/payouts'
import { getDb } from '#app/utils/db.server'
import { domainErrorReply, invalidReply } from '#app/utils/http.server'
import { saveBankDetails, startOnboarding, type PayoutOwner } from './accounts.server'
import { payeeOverview } from './payee.server'
import { requestWithdrawal } from './withdrawals.server'

// The payout page a payee (a brand, or a reseller) has of her own: the same page at /brand/payouts and
// /reseller/payouts. The route decides who is asking and whose money it is; this does the rest.

export async function payeePageData(request: Request, owner: PayoutOwner) {
  const returned = new URL(request.url).searchParams.get('connect') === 'return'
  return json({
    owner: owner.type,
    ...(await payeeOverview(getDb(), owner, { returnedFromStripe: returned, now: new Date() })),
  })
}

/**
 * `connect` starts (or continues) Stripe onboarding and returns to `returnPath`; `bank` saves manual bank details;
 * `withdraw` (a reseller only) sends her whole available balance.
 */
export async function payeePageAction(
  request: Request,
  v: { owner: PayoutOwner; actorId: string; returnPath: string },
) {
  const form = await request.formData()
  try {
    if (form.get('intent') === 'connect') {
      const { url } = await startOnboarding(getDb(), {
        owner: v.owner,
        email: null,
        origin: new URL(request.url).origin,
        returnPath: v.returnPath,
        actorId: v.actorId,
        now: new Date(),
      })
      return redirect(url)
    }
    if (form.get('intent') === 'withdraw' && v.owner.type === 'reseller') {
      const w = await requestWithdrawal(getDb(), { resellerId: v.owner.id, now: new Date() })
      return json({ withdrawn: { amountMinor: w.amountMinor, currency: w.currency } })
    }
    const submission = parseWithZod(form, { schema: BankDetailsFormSchema })
    if (submission.status !== 'success') return invalidReply(submission)
    const { holder, bankName, account } = submission.value
    await saveBankDetails(getDb(), { owner: v.owner, holder, bankName, account, actorId: v.actorId, now: new Date() })
    return json({ saved: true })
  } catch (error) {
    return domainErrorReply(error, null, { messages: 'payouts.errors' })
  }
}
