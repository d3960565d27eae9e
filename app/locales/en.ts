import type { Messages } from './zh-CN'
// Feature section imports (one per feature, at its marker).
import { onboardingEn } from './features/onboarding.en'

import { paymentsEn } from './features/payments.en'

import { catalogEn } from './features/catalog.en'

import { membershipEn } from './features/membership.en'

import { ordersEn } from './features/orders.en'

import { searchEn } from './features/search.en'

import { resellerEn } from './features/reseller.en'
import { shopEn } from './features/shop.en'

import { payoutsEn } from './features/payouts.en'

import { phoneEn } from './features/phone.en'
import { addressesEn } from './features/addresses.en'
import { discountsEn } from './features/discounts.en'
import { brandConsoleEn } from './features/brand-console.en'
import { customerOrdersEn } from './features/customer-orders.en'
import { notificationsEn } from './features/notifications.en'

const en: Messages = {
  app: {
    name: 'Clearance Market',
    tagline: 'Brand surplus · 48-hour sales · wholesale for resellers',
    skipToContent: 'Skip to content',
  },
  nav: {
    home: 'Home',
    signIn: 'Sign in',
    signOut: 'Sign out',
    admin: 'Operations',
    brand: 'Brand console',
    account: 'Member centre',
    language: 'Language',
  },
  roles: { operator: 'Operator', brand_staff: 'Brand staff', member: 'Member' },
  levels: { 0: 'Trial', 1: 'VIP1', 2: 'VIP2', 3: 'VIP3', 4: 'VIP4', 5: 'VIP5' },
  categories: {
    womens: "Women's",
    mens: "Men's",
    kids: "Children's",
    shoes_bags: 'Shoes & bags',
    jewellery: 'Jewellery & accessories',
  },
  home: {
    title: "Today's sales",
    live: 'Live now',
    upcoming: 'Coming up',
    ended: 'Ended',
    noLive: 'No session is live right now. Have a look at what is coming up.',
    noUpcoming: 'No upcoming sessions yet.',
    endsIn: 'Ends in',
    startsIn: 'Starts in',
    items: '{{count}} items',
    viewSession: 'Open session',
  },
  countdown: { dhms: '{{d}}d {{h}}:{{m}}:{{s}}', hms: '{{h}}:{{m}}:{{s}}', over: 'Ended', starting: 'Starting…' },
  session: {
    brand: 'Brand',
    window: '{{start}} to {{end}} (Beijing time)',
    phase: { upcoming: 'Upcoming', live: 'Live', ended: 'Ended', draft: 'Draft', cancelled: 'Cancelled' },
    empty: 'This session has no items yet.',
    notFound: 'This session does not exist.',
  },
  product: {
    tagPrice: 'Tag price',
    wholesalePrice: 'Your price',
    trialPrice: 'Trial member price',
    signInForPrice: 'Sign in to see wholesale prices',
    tagCut: 'Tag cut',
    tagCutNote: 'This item is sold with its label cut.',
    skus: 'Variants',
    size: 'Size',
    colour: 'Colour',
    barcode: 'Barcode',
    stock: 'Stock',
    inStock: 'In stock',
    lowStock: 'Only {{count}} left',
    soldOut: 'Sold out',
    notInSession: 'This product is not in any session right now.',
    inSession: 'In session',
    notFound: 'This product does not exist.',
    description: 'Description',
  },
  signIn: {
    title: 'Sign in',
    identifier: 'Email or phone',
    password: 'Password',
    submit: 'Sign in',
    invalid: 'Wrong account or password.',
    throttled: 'Too many failed attempts. Try again after {{time}}.',
    required: 'This field is required.',
    tooLong: 'Too long.',
    demoHint: 'Demo logins are printed in the terminal when the app starts.',
  },
  dashboards: {
    adminTitle: 'Operations',
    adminIntro: 'Brand applications, the VIP table, commissions and after-sales are handled here.',
    pendingApplications: 'Brand applications waiting: {{count}}',
    brandTitle: '{{brand}} · brand console',
    brandIntro: 'Manage products, sessions and shipping.',
    brandSessions: 'Sessions of this brand: {{count}}',
    accountTitle: 'Member centre',
    accountLevel: 'Your level: {{level}}',
  },
  errors: {
    notFoundTitle: 'Page not found',
    notFoundBody: 'The page you are looking for does not exist or was removed.',
    forbiddenTitle: 'Not allowed',
    forbiddenBody: 'Your account may not see this page.',
    genericTitle: 'Something went wrong',
    genericBody: 'The page could not be loaded. Please try again later.',
    backHome: 'Back to the home page',
    badRequest: 'The request is malformed.',
    badInput: {
      control_characters:
        'The input contains control characters (such as NUL) that are not allowed; remove them and try again.',
      out_of_range: 'A number or date in the input is out of the allowed range.',
      malformed: 'A value in the input is malformed (for example an id or a date).',
    },
  },
  // Feature sections live in ./features/<feature>.en.ts (English; the Chinese in <feature>.ts); spread each below.
  onboarding: onboardingEn,

  payments: paymentsEn,

  catalog: catalogEn,

  membership: membershipEn,

  orders: ordersEn,

  search: searchEn,

  reseller: resellerEn,
  shop: shopEn,

  payouts: payoutsEn,

  phone: phoneEn,
  addresses: addressesEn,
  discounts: discountsEn,

  brandConsole: brandConsoleEn,

  notifications: notificationsEn,

  // SKU option display names (colours, one size)
  customerOrders: customerOrdersEn,

  time: { zoneNote: 'Times are Beijing time' },
}

export default en
