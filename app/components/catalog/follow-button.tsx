import { Form, useLocation } from '@remix-run/react'
import { useFastTranslation } from '#app/components/use-fast-translation'

/** Follow / unfollow a brand (members only; the loader says whether to show it). */
export function FollowButton({ brandId, following }: { brandId: string; following: boolean }) {
  const { t } = useFastTranslation()
  const location = useLocation()
  return (
    <Form method="post" action={`/brands/${brandId}/follow`} className="follow-form">
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button
        type="submit"
        name="intent"
        value={following ? 'unfollow' : 'follow'}
        className={`button ${following ? 'secondary' : ''} small`}
        aria-pressed={following}
      >
        {following
          ? `✓ ${t('catalog.follow.following')} · ${t('catalog.follow.unfollow')}`
          : `+ ${t('catalog.follow.follow')}`}
      </button>
    </Form>
  )
}
