import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Countdown } from './countdown'
import { pick } from './pick'
import { bannerImageUrl } from '#app/utils/images'

export interface SessionCardData {
  id: string
  title: string
  titleEn: string
  bannerSeed: string
  bannerPath?: string | null
  followed?: boolean
  brandName: string
  brandNameEn: string
  startsAt: string
  endsAt: string
  itemCount: number
  phase: string
}

export function SessionCard({ session }: { session: SessionCardData }) {
  const { t, i18n } = useTranslation()
  const live = session.phase === 'live'
  return (
    <Link
      to={`/sessions/${session.id}`}
      className={`session-card ${live ? 'is-live' : 'is-upcoming'}`}
      data-testid="session-card"
    >
      <img src={bannerImageUrl(session)} alt="" loading="lazy" width={640} height={180} />
      <div className="session-card-body">
        <p className="session-brand">
          {pick(i18n.language, session.brandName, session.brandNameEn)}
          {session.followed && <span className="followed-badge"> · {t('catalog.follow.following')}</span>}
        </p>
        <h3>{pick(i18n.language, session.title, session.titleEn)}</h3>
        <p className="session-meta">
          <span>{t('home.items', { count: session.itemCount })}</span>
          <Countdown
            to={live ? session.endsAt : session.startsAt}
            label={live ? t('home.endsIn') : t('home.startsIn')}
            starting={!live}
          />
        </p>
      </div>
    </Link>
  )
}
