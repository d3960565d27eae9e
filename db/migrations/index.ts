import type { Migration } from 'kysely'
import * as skeleton from './2026_11_23_0900_skeleton'

// [import:onboarding]
import * as onboarding from './2026_11_30_1000_onboarding'

// [import:payments]
import * as payments from './2026_11_30_1010_payments'

// [import:catalog]
import * as catalog from './2026_11_30_1020_catalog'

// [import:membership]
import * as membership from './2026_11_30_1030_membership'

// [import:orders]
import * as orders from './2026_11_30_1040_orders'
import * as ordersPolish from './2026_11_30_1070_orders_polish'

// [import:search]
import * as search from './2026_11_30_1050_search'

// [import:reseller]
import * as reseller from './2026_11_30_1060_reseller'

// [import:bench]

// [import:polish]
import * as polish from './2026_11_30_1080_polish'
import * as customerOrders from './2026_12_06_1600_customer_orders'

// Every migration, by name (names sort in the order they run). Add new ones here.
export const migrations: Record<string, Migration> = {
  '2026_11_23_0900_skeleton': skeleton,

  // [migration:onboarding]
  '2026_11_30_1000_onboarding': onboarding,

  // [migration:payments]
  '2026_11_30_1010_payments': payments,

  // [migration:catalog]
  '2026_11_30_1020_catalog': catalog,

  // [migration:membership]
  '2026_11_30_1030_membership': membership,

  // [migration:orders]
  '2026_11_30_1040_orders': orders,
  '2026_11_30_1070_orders_polish': ordersPolish,

  // [migration:search]
  '2026_11_30_1050_search': search,

  // [migration:reseller]
  '2026_11_30_1060_reseller': reseller,

  // [migration:bench]

  // [migration:polish]
  '2026_11_30_1080_polish': polish,
  '2026_12_06_1600_customer_orders': customerOrders,
}
