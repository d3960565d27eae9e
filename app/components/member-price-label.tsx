import { useRouteLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Price } from './price'
import { useFastTranslation } from './use-fast-translation'

interface RootUser {
  user: { role: string; vipLevel: number } | null
}

export type PriceViewer = RootUser['user']

/**
 * "你的拿货价（VIP3）" for a member (their own level's price); the base (Trial) price label for staff and operators.
 * `viewer`: the signed-in user, when the caller has it (then nothing is read from the router); otherwise the root
 * loader's.
 */
export function MemberPriceLabel({ viewer }: { viewer?: PriceViewer }) {
  return viewer !== undefined ? <PriceLabel user={viewer} /> : <RootPriceLabel />
}

function RootPriceLabel() {
  return <PriceLabel user={useRouteLoaderData<RootUser>('root')?.user ?? null} />
}

function PriceLabel({ user }: { user: PriceViewer }) {
  // Rendered once per item card: the lighter hook (tests/bench, session page).
  const { t } = useFastTranslation()
  if (user?.role === 'member')
    return (
      <span className="label">{t('membership.yourPrice', { level: t(`levels.${user.vipLevel}` as 'levels.0') })}</span>
    )
  return <span className="label">{t('product.trialPrice')}</span>
}

/** Every level's price for this item, the viewer's own row marked. */
export function PriceLadder({
  ladder,
  currency,
}: {
  ladder: { level: number; priceMinor: number }[]
  currency: string
}) {
  const { t } = useTranslation()
  const user = useRouteLoaderData<RootUser>('root')?.user
  return (
    <details className="price-ladder" open data-testid="price-ladder">
      <summary>{t('membership.ladder.title')}</summary>
      <ul>
        {ladder.map((row) => {
          const mine = user?.role === 'member' && user.vipLevel === row.level
          return (
            <li key={row.level} className={mine ? 'mine' : undefined}>
              <span>
                {t('membership.ladder.row', { level: t(`levels.${row.level}` as 'levels.0') })}
                {mine ? ` · ${t('membership.ladder.you')}` : ''}
              </span>
              <Price minor={row.priceMinor} currency={currency} />
            </li>
          )
        })}
      </ul>
      <p className="small muted">{t('membership.ladder.hint')}</p>
    </details>
  )
}
