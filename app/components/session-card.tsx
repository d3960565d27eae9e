import { Link } from '@remix-run/react'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { Countdown } from './countdown'
import { pick } from './pick'
import { bannerImageUrl, imageLoading, productImageUrl } from '#app/utils/images'

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
  /** The first few items, whose pictures preview the session. */
  previews?: { id: string; title: string; titleEn: string | null; imagePath: string | null; imageSeed: string }[]
  /** The viewer's deepest cut against the tag price, for members only. */
  lowest?: { zhe: string; off: number } | null
}

/** `eager`: a card in the first screen, whose banner loads first. */
export function SessionCard({ session, eager = false }: { session: SessionCardData; eager?: boolean }) {
  const { t, i18n } = useFastTranslation()
  const live = session.phase === 'live'
  return (
    <Link
      to={`/sessions/${session.id}`}
      className={`session-card ${live ? 'is-live' : 'is-upcoming'}`}
      data-testid="session-card"
    >
      <img src={bannerImageUrl(session)} alt="" width={640} height={180} {...imageLoading(eager)} />
      <div className="session-card-body">
        <p className="session-brand">
          {pick(i18n.language, session.brandName, session.brandNameEn)}
          {session.followed && <span className="followed-badge"> · {t('catalog.follow.following')}</span>}
        </p>
        <h3>{pick(i18n.language, session.title, session.titleEn)}</h3>
        {(session.previews?.length || session.lowest) && (
          <div className="session-preview">
            {session.previews?.length ? (
              <ul className="session-preview-photos" aria-label={t('discounts.previewLabel')}>
                {session.previews.map((p) => (
                  <li key={p.id}>
                    <img
                      src={productImageUrl(p, true)}
                      alt={pick(i18n.language, p.title, p.titleEn)}
                      loading="lazy"
                      width={72}
                      height={72}
                    />
                  </li>
                ))}
              </ul>
            ) : null}
            {session.lowest && (
              <span className="lowest-badge" data-testid="lowest">
                {t('discounts.lowest', session.lowest)}
              </span>
            )}
          </div>
        )}
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
