// Who may use each route: one row per file in app/routes. tests/db/route-access.db.test.ts reads the route
// files and fails for a route missing here, then requests every route as every actor (GET, POST, ?_data).
//
// A row: `path` builds the URL from the fixture ids (another actor's resources where there are ids: the vip
// member's orders and links, brand B's products and sessions), `allow` lists who gets the page or data
// (everyone else must get no 2xx), `post` whether the route has an action (a route without one answers 405).

export const ACTORS = ['signedOut', 'trial', 'vip', 'otherMember', 'brandA', 'brandB', 'operator'] as const
export type Actor = (typeof ACTORS)[number]

/** Ids the paths use; owned by `vip` (member resources) and brand B (brand resources). */
export interface FixtureIds {
  sessionB: string
  productB: string
  orderVip: string
  linkVip: string
  shareToken: string
  applicationId: string
  brandB: string
  importB: string
  paymentVip: string
  applicationToken: string
  /** A session item on the share link (`shareToken`) and one on Lily's shop (`/shop/lily-hz`): picker options. */
  shareItem: string
  shopItem: string
}

const everyone: Actor[] = [...ACTORS]
const members: Actor[] = ['trial', 'vip', 'otherMember']
const brands: Actor[] = ['brandA', 'brandB']
const nobody: Actor[] = []
const signedIn: Actor[] = ACTORS.filter((a) => a !== 'signedOut')

export interface RouteAccess {
  path: (ids: FixtureIds) => string
  allow: Actor[]
  post: boolean
  /** A page without a loader: its ?_data answers 400. */
  noLoader?: boolean
  /** Public pages: scanned for wholesale prices, levels and floors when signed out. */
  publicPage?: boolean
}

export const ROUTE_ACCESS: Record<string, RouteAccess> = {
  '$.tsx': { path: () => '/no-such-page', allow: nobody, post: true },
  '_index.tsx': { path: () => '/', allow: everyone, post: false, publicPage: true },
  'account._index.tsx': { path: () => '/account', allow: members, post: false },
  'account.addresses.tsx': { path: () => '/account/addresses', allow: members, post: true },
  'admin._index.tsx': { path: () => '/admin', allow: ['operator'], post: false },
  'admin.after-sales.photo.$.ts': { path: () => '/admin/after-sales/photo/x.webp', allow: nobody, post: false },
  'admin.after-sales.tsx': { path: () => '/admin/after-sales', allow: ['operator'], post: true },
  'admin.applications.$applicationId.tsx': {
    path: (i) => `/admin/applications/${i.applicationId}`,
    allow: ['operator'],
    post: true,
  },
  'admin.applications._index.tsx': { path: () => '/admin/applications', allow: ['operator'], post: false },
  'admin.audit.tsx': { path: () => '/admin/audit', allow: ['operator'], post: false },
  'admin.brands.$brandId.tsx': { path: (i) => `/admin/brands/${i.brandB}`, allow: ['operator'], post: true },
  'admin.brands._index.tsx': { path: () => '/admin/brands', allow: ['operator'], post: false },
  'admin.deposits.$brandId.tsx': { path: (i) => `/admin/deposits/${i.brandB}`, allow: ['operator'], post: true },
  'admin.deposits._index.tsx': { path: () => '/admin/deposits', allow: ['operator'], post: false },
  'admin.invitations.tsx': { path: () => '/admin/invitations', allow: ['operator'], post: true },
  'admin.ledger.tsx': { path: () => '/admin/ledger', allow: ['operator'], post: false },
  'admin.notifications.tsx': { path: () => '/admin/notifications', allow: ['operator'], post: false },
  'admin.orders.tsx': { path: () => '/admin/orders', allow: ['operator'], post: false },
  'admin.payouts.tsx': { path: () => '/admin/payouts', allow: ['operator'], post: true },
  'admin.payouts[.csv].ts': { path: () => '/admin/payouts.csv', allow: ['operator'], post: false },
  'admin.vip.tsx': { path: () => '/admin/vip', allow: ['operator'], post: true },
  'api.checkout.ts': { path: () => '/api/checkout', allow: nobody, post: true },
  'api.stock.$sessionId.ts': { path: (i) => `/api/stock/${i.sessionB}`, allow: everyone, post: false },
  'apply.tsx': { path: () => '/apply', allow: everyone, post: true, publicPage: true, noLoader: true },
  'apply_.status.$token.tsx': { path: (i) => `/apply/status/${i.applicationToken}`, allow: nobody, post: false },
  'art.$kind.$seed.ts': { path: () => '/art/product/womens:dress:1:x', allow: everyone, post: false },
  'bench.bare.tsx': { path: () => '/bench/bare', allow: nobody, post: false },
  'bench.grab.ts': { path: () => '/bench/grab', allow: nobody, post: false },
  'brand._index.tsx': { path: () => '/brand', allow: brands, post: false },
  'brand.deposit.tsx': { path: () => '/brand/deposit', allow: brands, post: true },
  'brand.orders.packing-list.ts': { path: () => '/brand/orders/packing-list', allow: brands, post: false },
  'brand.orders.tsx': { path: () => '/brand/orders', allow: brands, post: true },
  'brand.payouts.tsx': { path: () => '/brand/payouts', allow: brands, post: true },
  'brand.products.$productId.tsx': { path: (i) => `/brand/products/${i.productB}`, allow: ['brandB'], post: true },
  'brand.products._index.tsx': { path: () => '/brand/products', allow: brands, post: false },
  'brand.products.import.$importId.errors[.]csv.ts': {
    path: (i) => `/brand/products/import/${i.importB}/errors.csv`,
    allow: ['brandB'],
    post: false,
  },
  'brand.products.import.$importId.tsx': {
    path: (i) => `/brand/products/import/${i.importB}`,
    allow: ['brandB'],
    post: false,
  },
  'brand.products.import._index.tsx': { path: () => '/brand/products/import', allow: brands, post: true },
  'brand.products.import.template[.]csv.ts': {
    path: () => '/brand/products/import/template.csv',
    allow: brands,
    post: false,
  },
  'brand.products.new.tsx': { path: () => '/brand/products/new', allow: brands, post: true },
  'brand.sessions.$sessionId.tsx': { path: (i) => `/brand/sessions/${i.sessionB}`, allow: ['brandB'], post: true },
  'brand.sessions._index.tsx': { path: () => '/brand/sessions', allow: brands, post: false },
  'brand.sessions.new.tsx': { path: () => '/brand/sessions/new', allow: brands, post: true },
  'brand.settlements.tsx': { path: () => '/brand/settlements', allow: brands, post: false },
  'brands.$brandId.follow.ts': { path: (i) => `/brands/${i.brandB}/follow`, allow: nobody, post: true },
  'cart.tsx': { path: () => '/cart', allow: members, post: true },
  'dev.mailbox.tsx': { path: () => '/dev/mailbox', allow: nobody, post: false },
  'healthz.ts': { path: () => '/healthz', allow: everyone, post: false },
  'login.tsx': { path: () => '/login', allow: everyone, post: true, publicPage: true },
  'logout.tsx': { path: () => '/logout', allow: nobody, post: true },
  'notifications.$notificationId.tsx': {
    path: () => '/notifications/00000000-0000-4000-8000-000000000003',
    allow: nobody,
    post: false,
  },
  'notifications._index.tsx': { path: () => '/notifications', allow: signedIn, post: true },
  'notifications.remind.ts': { path: () => '/notifications/remind', allow: nobody, post: true },
  'notifications.settings.tsx': { path: () => '/notifications/settings', allow: signedIn, post: true },
  'notifications.unsubscribe.$token.tsx': {
    path: () => '/notifications/unsubscribe/not-a-real-token',
    allow: nobody,
    post: true,
  },
  'o.$token.tsx': { path: () => '/o/not-a-real-order-token', allow: nobody, post: true },
  'o.$token.pay.ts': { path: () => '/o/not-a-real-order-token/pay', allow: nobody, post: false },
  'orders.$orderId.tsx': { path: (i) => `/orders/${i.orderVip}`, allow: ['vip'], post: true },
  'orders._index.tsx': { path: () => '/orders', allow: members, post: false },
  'pay.test.$paymentId.tsx': { path: (i) => `/pay/test/${i.paymentVip}`, allow: nobody, post: true },
  'products.$productId.tsx': { path: (i) => `/products/${i.productB}`, allow: everyone, post: false, publicPage: true },
  // The address pickers' division list and paste reader: public, customers have no account.
  'regions.ts': { path: () => '/regions?parent=330100', allow: everyone, post: true },
  'register.tsx': { path: () => '/register', allow: everyone, post: true, publicPage: true },
  'reseller._index.tsx': { path: () => '/reseller', allow: members, post: false },
  'reseller.links.$linkId.tsx': { path: (i) => `/reseller/links/${i.linkVip}`, allow: ['vip'], post: true },
  'reseller.customers.tsx': { path: () => '/reseller/customers', allow: members, post: false },
  'reseller.earnings.tsx': { path: () => '/reseller/earnings', allow: members, post: false },
  'reseller.payouts.tsx': { path: () => '/reseller/payouts', allow: members, post: true },
  'reseller.profile.tsx': { path: () => '/reseller/profile', allow: members, post: true },
  'reseller.sessions.$sessionId.tsx': { path: (i) => `/reseller/sessions/${i.sessionB}`, allow: members, post: true },
  'reseller.shop.tsx': { path: () => '/reseller/shop', allow: members, post: true },
  's.$token.card[.png].ts': { path: (i) => `/s/${i.shareToken}/card.png`, allow: everyone, post: false },
  's.$token.options.$itemId.ts': {
    path: (i) => `/s/${i.shareToken}/options/${i.shareItem}`,
    allow: everyone,
    post: false,
  },
  's.$token.tsx': { path: (i) => `/s/${i.shareToken}`, allow: everyone, post: true, publicPage: true },
  'search.tsx': { path: () => '/search?q=dress', allow: everyone, post: false, publicPage: true },
  'sessions.$sessionId.tsx': { path: (i) => `/sessions/${i.sessionB}`, allow: everyone, post: false, publicPage: true },
  'set-language.tsx': { path: () => '/set-language', allow: nobody, post: true },
  'set-password.$token.tsx': { path: () => '/set-password/not-a-real-token', allow: nobody, post: true },
  'settlements[.csv].ts': { path: () => '/settlements.csv', allow: [...brands, 'operator'], post: false },
  'shop.$handle.options.$itemId.ts': {
    path: (i) => `/shop/lily-hz/options/${i.shopItem}`,
    allow: everyone,
    post: false,
  },
  'shop.$handle.tsx': { path: () => '/shop/lily-hz', allow: everyone, post: true, publicPage: true },
  'uploads.$file.ts': { path: () => '/uploads/missing-file.webp', allow: nobody, post: false },
  'webhooks.stripe-connect.ts': { path: () => '/webhooks/stripe-connect', allow: nobody, post: true },
  'webhooks.stripe.ts': { path: () => '/webhooks/stripe', allow: nobody, post: true },
}
