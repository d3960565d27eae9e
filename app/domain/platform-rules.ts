// Every number the product rules (app/domain/README.md) mark as ours lives here, in one place.
// Operator-editable tables (the VIP ladder) live in the database and start from these defaults.
export const PLATFORM_RULES = {
  sessionDurationMs: 48 * 60 * 60 * 1000,
  afterSaleWindowMs: 7 * 24 * 60 * 60 * 1000,
  minScheduleLeadMs: 60 * 60 * 1000,
  defaultCommissionBps: 1000,
  unpaidHoldMs: 15 * 60 * 1000,
  // Open unpaid holds per member (checkouts pending payment before their deadline, and the units in them): a
  // hold keeps stock from everyone else until it is paid or expires, so one member may hold only this much at once.
  checkoutHolds: { maxCheckouts: 30, maxUnits: 200 },
  shipWithinMs: 24 * 60 * 60 * 1000,
  autoReceiveAfterMs: 10 * 24 * 60 * 60 * 1000,
  lowStockThreshold: 10,
  // A reseller's customers order without an account: limits on unpaid orders held at once, and on the bag.
  customerOrders: {
    maxOpenHoldsPerPhone: 2,
    maxOpenHoldsPerClient: 4,
    maxBagLines: 20,
    maxLineQuantity: 20,
  },
  signIn: { maxFailures: 5, windowMs: 15 * 60 * 1000 },
  displayTimeZone: 'Asia/Shanghai',
  defaultCurrency: 'CNY',
  // Brand onboarding: thresholds, deposit, commission bounds.
  onboarding: {
    minAnnualSalesMinor: 2_000_000_000, // ¥20,000,000 in fen
    minOfflineStores: 50,
    depositMinor: 1_000_000, // ¥10,000 refundable deposit, in fen
    depositCurrency: 'CNY',
    maxCommissionBps: 5000, // an operator may set 0–50%
    staffSetupLinkTtlMs: 72 * 60 * 60 * 1000, // a new brand staff account's set-password link
  },
} as const

export const CATEGORIES = ['womens', 'mens', 'kids', 'shoes_bags', 'jewellery'] as const
export type Category = (typeof CATEGORIES)[number]

// What an applicant may tick on the application form: the accepted categories, plus the ones the
// platform refuses (listed so the refusal can name them).
export const REFUSED_CATEGORIES = ['infant_formula', 'baby_food', 'diapers', 'local_specialties'] as const
export type RefusedCategory = (typeof REFUSED_CATEGORIES)[number]
export const APPLICATION_CATEGORIES = [...CATEGORIES, ...REFUSED_CATEGORIES] as const
export type ApplicationCategory = (typeof APPLICATION_CATEGORIES)[number]

// Catalog and sessions
export const CATALOG_RULES = {
  /** Product photos: longest side after resizing, and the thumbnail's. */
  imageMaxPx: 1200,
  thumbMaxPx: 400,
  /** Default upload limit; UPLOAD_MAX_BYTES overrides it. */
  uploadMaxBytes: 5 * 1024 * 1024,
  /** CSV import: rows per batch (one round trip per table per batch). */
  importChunkRows: 1000,
  importMaxRows: 50_000,
  maxSkusPerProduct: 200,
} as const
