/**
 * Every page of the app (each non-resource file in app/routes) and how the phone suite reaches it: as whom, at which
 * URL, and what its primary action is. A new route file must be added here (or to `notVisited` with the reason),
 * otherwise tests/e2e/mobile.spec.ts fails.
 *
 * `path` is either a literal URL or `{ from, href }`: open `from` and follow the first link whose href matches.
 */
export type Role = 'guest' | 'member' | 'buyer' | 'brand' | 'operator'

export interface PageVisit {
  /** The route file's name in app/routes without its extension, e.g. `sessions.$sessionId`. */
  route: string
  role: Role
  path: string | { from: string; href: RegExp }
  /** Accessible name of the page's primary action (button or link), which must fit on screen at every width. */
  primary?: RegExp
  /** HTTP status the page answers with (default 200). */
  status?: number
  /** Screenshot file stem under tests/e2e/screenshots (written when SCREENSHOTS=1). */
  shot?: string
}

/** Who each role signs in as. `buyer` is a member whose cart and pending order the suite fills itself. */
export const logins: Record<Exclude<Role, 'guest'>, string> = {
  member: 'vip3@demo.cm',
  buyer: 'vip5@demo.cm',
  brand: 'staff@mulan.demo.cm',
  operator: 'ops@demo.cm',
}

const UUID = '[0-9a-f-]{36}'
const id = (prefix: string) => new RegExp(`^${prefix}/${UUID}$`)

export const pages: PageVisit[] = [
  // public
  { route: '_index', role: 'guest', path: '/', shot: 'home' },
  { route: 'sessions.$sessionId', role: 'guest', path: { from: '/', href: id('/sessions') } },
  { route: 'products.$productId', role: 'guest', path: { from: '/search', href: id('/products') } },
  { route: 'search', role: 'guest', path: '/search' },
  { route: 'login', role: 'guest', path: '/login', primary: /^登录$/ },
  { route: 'register', role: 'guest', path: '/register', primary: /注册并登录/ },
  { route: 'apply', role: 'guest', path: '/apply', primary: /提交申请/ },
  { route: 'apply_.status.$token', role: 'guest', path: '/apply/status/not-a-token', status: 404 },
  { route: 'set-password.$token', role: 'guest', path: '/set-password/not-a-token', status: 404 },
  { route: 's.$token', role: 'guest', path: '/s/demo-lily-mulan-winter-2026', shot: 'share' },
  { route: 'shop.$handle', role: 'guest', path: '/shop/lily-hz', shot: 'shop' },
  {
    route: 'notifications.unsubscribe.$token',
    role: 'guest',
    path: '/notifications/unsubscribe/not-a-token',
    status: 404,
  },
  { route: '$', role: 'guest', path: '/no-such-page', status: 404 },
  // member
  { route: '_index', role: 'member', path: '/' },
  { route: 'sessions.$sessionId', role: 'member', path: { from: '/', href: id('/sessions') }, shot: 'session' },
  {
    route: 'products.$productId',
    role: 'member',
    // A demo brand's product: other specs make sessions that end within seconds (live-flip), and search lists
    // newest first, so an unfiltered pick could land on a product whose buy box closes between widths.
    path: { from: `/search?inStock=1&phase=live&q=${encodeURIComponent('沐岚')}`, href: id('/products') },
    primary: /加入购物车/,
    shot: 'product',
  },
  { route: 'search', role: 'member', path: '/search', primary: /筛选/, shot: 'search' },
  { route: 'account._index', role: 'member', path: '/account', shot: 'account' },
  { route: 'account.addresses', role: 'member', path: '/account/addresses', shot: 'addresses' },
  { route: 'orders._index', role: 'member', path: '/orders', shot: 'orders' },
  { route: 'reseller._index', role: 'member', path: '/reseller', shot: 'reseller' },
  { route: 'reseller.profile', role: 'member', path: '/reseller/profile' },
  {
    route: 'reseller.sessions.$sessionId',
    role: 'member',
    path: { from: '/reseller', href: id('/reseller/sessions') },
    shot: 'reseller-session',
  },
  {
    route: 'reseller.links.$linkId',
    role: 'member',
    path: { from: '/reseller', href: id('/reseller/links') },
    shot: 'reseller-link',
  },
  { route: 's.$token', role: 'member', path: '/s/demo-lily-mulan-winter-2026' },
  { route: 'notifications._index', role: 'member', path: '/notifications' },
  { route: 'notifications.settings', role: 'member', path: '/notifications/settings' },
  { route: 'reseller.shop', role: 'member', path: '/reseller/shop', shot: 'reseller-shop' },
  { route: 'reseller.payouts', role: 'member', path: '/reseller/payouts', shot: 'reseller-payouts' },
  { route: 'reseller.customers', role: 'member', path: '/reseller/customers' },
  { route: 'reseller.earnings', role: 'member', path: '/reseller/earnings' },
  // a member with a cart and an unpaid order (the suite puts them there)
  { route: 'cart', role: 'buyer', path: '/cart', primary: /提交订单/, shot: 'cart' },
  { route: 'pay.test.$paymentId', role: 'buyer', path: 'pay', shot: 'pay' },
  { route: 'orders.$orderId', role: 'buyer', path: 'pending-order', primary: /去付款/, shot: 'order-pending' },
  // brand console
  { route: 'brand._index', role: 'brand', path: '/brand', shot: 'brand' },
  { route: 'brand.products._index', role: 'brand', path: '/brand/products' },
  { route: 'brand.products.new', role: 'brand', path: '/brand/products/new' },
  { route: 'brand.products.$productId', role: 'brand', path: { from: '/brand/products', href: id('/brand/products') } },
  { route: 'brand.products.import._index', role: 'brand', path: '/brand/products/import' },
  { route: 'brand.products.import.$importId', role: 'brand', path: 'import' },
  { route: 'brand.sessions._index', role: 'brand', path: '/brand/sessions' },
  { route: 'brand.sessions.new', role: 'brand', path: '/brand/sessions/new' },
  { route: 'brand.sessions.$sessionId', role: 'brand', path: { from: '/brand/sessions', href: id('/brand/sessions') } },
  { route: 'brand.orders', role: 'brand', path: '/brand/orders', shot: 'brand-orders' },
  { route: 'brand.deposit', role: 'brand', path: '/brand/deposit' },
  { route: 'brand.settlements', role: 'brand', path: '/brand/settlements' },
  { route: 'brand.payouts', role: 'brand', path: '/brand/payouts', shot: 'brand-payouts' },
  // operator console
  { route: 'admin._index', role: 'operator', path: '/admin' },
  { route: 'admin.applications._index', role: 'operator', path: '/admin/applications' },
  {
    route: 'admin.applications.$applicationId',
    role: 'operator',
    path: { from: '/admin/applications', href: id('/admin/applications') },
  },
  { route: 'admin.brands._index', role: 'operator', path: '/admin/brands' },
  { route: 'admin.brands.$brandId', role: 'operator', path: { from: '/admin/brands', href: id('/admin/brands') } },
  { route: 'admin.audit', role: 'operator', path: '/admin/audit' },
  { route: 'admin.vip', role: 'operator', path: '/admin/vip' },
  { route: 'admin.invitations', role: 'operator', path: '/admin/invitations' },
  { route: 'admin.orders', role: 'operator', path: '/admin/orders' },
  { route: 'admin.payouts', role: 'operator', path: '/admin/payouts' },
  { route: 'admin.notifications', role: 'operator', path: '/admin/notifications' },
  // Served outside production only; the browser suite's server runs with NODE_ENV=test.
  { route: 'dev.mailbox', role: 'operator', path: '/dev/mailbox' },
  { route: 'admin.ledger', role: 'operator', path: '/admin/ledger' },
  { route: 'admin.deposits._index', role: 'operator', path: '/admin/deposits' },
  {
    route: 'admin.deposits.$brandId',
    role: 'operator',
    path: { from: '/admin/deposits', href: id('/admin/deposits') },
  },
  { route: 'admin.after-sales', role: 'operator', path: '/admin/after-sales', shot: 'admin-after-sales' },
]

/** Route files with a default export that the suite does not visit, and why. */
export const notVisited: Record<string, string> = {
  'o.$token':
    "a customer order's private page exists only after a customer orders; customer-orders.spec walks it at 390 px",
  'bench.bare': 'a benchmark stand-in for the session page, built only for benchmarks (BUILD_BENCH_ROUTES=1)',
}

/** The widths the suite checks, in CSS pixels: small Android, iPhone 12–15, large Android / iPhone Plus. */
export const widths = [360, 390, 414] as const
