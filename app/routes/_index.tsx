import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { SessionCard } from '#app/components/session-card'
import { homeSessions } from '#app/services/catalog/storefront.server'
import { getDb } from '#app/utils/db.server'
import { getUser } from '#app/utils/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  // a member's followed brands' upcoming sessions come first
  const user = await getUser(request)
  return json(
    await homeSessions(
      getDb(),
      new Date(),
      user?.role === 'member'
        ? { memberId: user.id, level: user.vip_level, followed: user.followed_brand_ids }
        : undefined,
    ),
  )
}

/** Session cards a phone shows in its first screen (one column): their banners load first. */
const FIRST_SCREEN = 2

export default function Home() {
  const { live, upcoming } = useLoaderData<typeof loader>()
  const { t } = useFastTranslation()
  return (
    <div className="page home">
      <section className="hero">
        <h1>{t('home.title')}</h1>
        <p>{t('app.tagline')}</p>
      </section>
      <section aria-labelledby="live-heading">
        <h2 id="live-heading">
          <span className="dot live" aria-hidden />
          {t('home.live')}
        </h2>
        {live.length ? (
          <div className="session-grid">
            {live.map((s, i) => (
              <SessionCard key={s.id} session={s} eager={i < FIRST_SCREEN} />
            ))}
          </div>
        ) : (
          <p className="empty">{t('home.noLive')}</p>
        )}
      </section>
      <section aria-labelledby="upcoming-heading">
        <h2 id="upcoming-heading">
          <span className="dot upcoming" aria-hidden />
          {t('home.upcoming')}
        </h2>
        {upcoming.length ? (
          <div className="session-grid">
            {upcoming.map((s, i) => (
              <SessionCard key={s.id} session={s} eager={live.length + i < FIRST_SCREEN} />
            ))}
          </div>
        ) : (
          <p className="empty">{t('home.noUpcoming')}</p>
        )}
      </section>
      <p className="zone-note">{t('time.zoneNote')}</p>
    </div>
  )
}
