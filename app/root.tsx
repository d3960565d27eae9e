import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import {
  Form,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useMatches,
  useNavigate,
  useRouteLoaderData,
} from '@remix-run/react'
import { followInApp } from './components/follow-in-app'
import { NavAnchor } from './components/nav-anchor'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { DepositBanner } from './components/deposit-banner'
import { GeneralErrorBoundary } from './components/error-boundary'
import { InlineStyles } from './components/inline-styles'
import { LanguageSwitch, useFollowLocale } from './components/language-switch'
import { useNonce } from './components/nonce'
import { NowProvider } from './components/now'
import { DEFAULT_LOCALE, type Locale } from './i18n'
import { homeFor, type Role } from './domain/roles'
import { getLocale } from './utils/locale.server'
import { getUser } from './utils/session.server'

// The stylesheets are not links: the server writes them into the head (InlineStyles).
export const links: LinksFunction = () => [{ rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' }]

export const meta: MetaFunction = () => [{ title: '清仓集市 · Clearance Market' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, locale] = await Promise.all([getUser(request), getLocale(request)])
  const now = new Date()
  return json({
    locale,
    now: now.toISOString(),
    // counted with her session's lookup
    unread: user?.unread ?? 0,
    user: user && {
      id: user.id,
      role: user.role,
      displayName: user.display_name,
      vipLevel: user.vip_level,
      brandName: user.brand_name,
      brandStatus: user.brand_status,
    },
  })
}

export type RootData = ReturnType<typeof useRootData>
export function useRootData() {
  return useRouteLoaderData<typeof loader>('root')
}

/** Each role's screens in the header, after home and the console, in the order they are shown. */
const ROLE_LINKS: Record<Role | 'guest', readonly (readonly [to: string, label: string])[]> = {
  guest: [
    ['/apply', 'onboarding.nav.apply'],
    ['/register', 'membership.nav.register'],
  ],
  member: [
    ['/cart', 'orders.nav.cart'],
    ['/orders', 'orders.nav.orders'],
    ['/reseller', 'reseller.nav'],
  ],
  brand_staff: [
    ['/brand/products', 'catalog.nav.products'],
    ['/brand/sessions', 'catalog.nav.sessions'],
    ['/brand/deposit', 'onboarding.nav.deposit'],
    ['/brand/orders', 'orders.nav.brandOrders'],
  ],
  operator: [
    ['/admin/applications', 'onboarding.admin.applications'],
    ['/admin/vip', 'membership.admin.vipTitle'],
    ['/admin/orders', 'orders.admin.ordersTitle'],
    ['/admin/notifications', 'notifications.nav.admin'],
  ],
}

function Header() {
  const data = useRootData()
  const { t } = useFastTranslation()
  const location = useLocation()
  const navigate = useNavigate()
  const user = data?.user
  const role = user?.role
  const here = location.pathname
  return (
    <header className="site-header" onClick={(e) => followInApp(e, navigate)}>
      <a href="/" className="brand-mark">
        <span className="logo" aria-hidden>
          清
        </span>
        <span>{t('app.name')}</span>
      </a>
      {/* The search page has its own, larger search field. */}
      {location.pathname !== '/search' && (
        <Form method="get" action="/search" className="header-search" role="search">
          <input
            type="search"
            name="q"
            placeholder={t('search.placeholder')}
            aria-label={t('search.nav')}
            maxLength={100}
          />
          <button type="submit">{t('search.nav')}</button>
        </Form>
      )}
      <div className="header-account">
        {user ? (
          <>
            <a
              href="/notifications"
              className="inbox-badge"
              aria-label={
                data.unread > 0
                  ? `${t('notifications.nav.inbox')} · ${t('notifications.nav.unread', { count: data.unread })}`
                  : t('notifications.nav.inbox')
              }
              data-testid="inbox-badge"
            >
              <svg
                aria-hidden
                width="18"
                height="18"
                viewBox="0 0 24 24"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
              >
                <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
                <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
              </svg>
              {data.unread > 0 && <span className="count">{data.unread > 99 ? '99+' : data.unread}</span>}
            </a>
            <span className="who" data-testid="who">
              <span className="who-name">{user.displayName}</span>
              <span className="badge">
                {user.role === 'member' ? t(`levels.${user.vipLevel}` as 'levels.0') : t(`roles.${user.role}`)}
              </span>
            </span>
            <Form method="post" action="/logout">
              <button type="submit" className="link-button">
                {t('nav.signOut')}
              </button>
            </Form>
          </>
        ) : (
          <a href={`/login?redirectTo=${encodeURIComponent(location.pathname + location.search)}`}>{t('nav.signIn')}</a>
        )}
        <LanguageSwitch />
      </div>
      {/* One row of links per role: the console first, then that role's screens. */}
      <nav aria-label="main" className={`role-nav role-${role ?? 'guest'}`} data-scroll-x>
        <NavAnchor here={here} to="/" end>
          {t('nav.home')}
        </NavAnchor>
        {user && (
          <NavAnchor here={here} to={homeFor(user.role)} className="console-link" end>
            {t(user.role === 'operator' ? 'nav.admin' : user.role === 'brand_staff' ? 'nav.brand' : 'nav.account')}
          </NavAnchor>
        )}
        {ROLE_LINKS[role ?? 'guest'].map(([to, label]) => (
          <NavAnchor key={to} here={here} to={to}>
            {t(label)}
          </NavAnchor>
        ))}
      </nav>
    </header>
  )
}

function SkipLink() {
  const { t } = useFastTranslation()
  return (
    <a href="#main" className="skip-link">
      {t('app.skipToContent')}
    </a>
  )
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRootData()
  const locale: Locale = data?.locale ?? DEFAULT_LOCALE
  const { i18n } = useFastTranslation()
  const nonce = useNonce()
  useFollowLocale(i18n, data?.locale)
  // A reseller's own pages (shop, share lists) carry no platform header or navigation.
  const storefront = useMatches().some((m) => (m.handle as { storefront?: boolean } | undefined)?.storefront)
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <InlineStyles />
        <Links />
      </head>
      <body>
        <NowProvider serverNow={data?.now}>
          {storefront ? (
            <main id="main" tabIndex={-1} className="storefront-main">
              {children}
            </main>
          ) : (
            <>
              {/* Her pages have no site navigation to skip, and no link of the platform's. */}
              <SkipLink />
              <Header />
              <main id="main" tabIndex={-1}>
                <DepositBanner />
                {children}
              </main>
            </>
          )}
        </NowProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
