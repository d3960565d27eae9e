import type { Migration } from 'kysely'
import * as skeleton from './2026_11_23_0900_skeleton'

import * as onboarding from './2026_11_30_1000_onboarding'

import * as payments from './2026_11_30_1010_payments'

import * as catalog from './2026_11_30_1020_catalog'

import * as membership from './2026_11_30_1030_membership'

import * as orders from './2026_11_30_1040_orders'
import * as ordersPolish from './2026_11_30_1070_orders_polish'

import * as search from './2026_11_30_1050_search'

import * as reseller from './2026_11_30_1060_reseller'


import * as polish from './2026_11_30_1080_polish'
import * as physicalStock from './2026_12_06_1200_physical_stock'

// Every migration, by name (names sort in the order they run). Add new ones here.
export const migrations: Record<string, Migration> = {
  '2026_11_23_0900_skeleton': skeleton,

  '2026_11_30_1000_onboarding': onboarding,

  '2026_11_30_1010_payments': payments,

  '2026_11_30_1020_catalog': catalog,

  '2026_11_30_1030_membership': membership,

  '2026_11_30_1040_orders': orders,
  '2026_11_30_1070_orders_polish': ordersPolish,

  '2026_11_30_1050_search': search,

  '2026_11_30_1060_reseller': reseller,


  '2026_11_30_1080_polish': polish,
  '2026_12_06_1200_physical_stock': physicalStock,
}
