import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { applicationStatus } from '#app/services/onboarding/applications.server'
import { getDb } from '#app/utils/db.server'
import { invariantResponse } from '#app/utils/http.server'
import { StatusPill, useTx } from '#app/components/onboarding'
import { localTitle } from '#app/utils/meta'

export const meta: MetaFunction = ({ matches }) => [
  { title: localTitle(matches, (t) => t('onboarding.status.title')) },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ params }: LoaderFunctionArgs) {
  const status = await applicationStatus(getDb(), params.token ?? '')
  invariantResponse(status, 'Not found', 404)
  return json(status, { headers: { 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer' } })
}

export default function ApplicationStatusPage() {
  const s = useLoaderData<typeof loader>()
  const { tx, when } = useTx()
  return (
    <div className="page narrow-wide">
      <h1>{tx('onboarding.status.title')}</h1>
      <section className="status-card" data-testid="application-status" data-status={s.status}>
        <h2>
          {s.brandName} <StatusPill kind="appStatus" status={s.status} />
        </h2>
        <p className="muted">{s.companyName}</p>
        <p className="muted">
          {tx('onboarding.status.submitted', { time: when(s.submittedAt) })}
          {s.reviewedAt ? ` · ${tx('onboarding.status.reviewed', { time: when(s.reviewedAt) })}` : ''}
        </p>
        {s.status === 'pending' && <p>{tx('onboarding.status.pendingBody')}</p>}
        {s.status === 'approved' && (
          <p>
            {s.depositPaid
              ? tx('onboarding.status.approvedLive')
              : tx('onboarding.status.approvedBody', { login: s.staffLogin })}
          </p>
        )}
        {s.status === 'rejected' && (
          <>
            <p>{tx('onboarding.status.rejectedBody')}</p>
            <blockquote className="reason" data-testid="reject-reason">
              {s.rejectReason}
            </blockquote>
          </>
        )}
      </section>
      <p className="muted small">{tx('onboarding.status.keepLink')}</p>
    </div>
  )
}
