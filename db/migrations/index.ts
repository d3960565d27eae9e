import type { Migration } from 'kysely'
import * as skeleton from './2026_11_23_0900_skeleton'
import * as onboarding from './2026_11_30_1000_onboarding'
import * as payments from './2026_11_30_1010_payments'
import * as catalog from './2026_11_30_1020_catalog'
import * as membership from './2026_11_30_1030_membership'
import * as orders from './2026_11_30_1040_orders'
import * as search from './2026_11_30_1050_search'
import * as reseller from './2026_11_30_1060_reseller'
import * as afterSaleLines from './2026_11_30_1070_after_sale_lines'
import * as productDescriptionEn from './2026_11_30_1080_product_description_en'
import * as checkoutHolds from './2026_12_06_1000_checkout_holds'
import * as physicalStock from './2026_12_06_1200_physical_stock'
import * as productPhotos from './2026_12_06_1300_product_photos'
import * as notifications from './2026_12_06_1400_notifications'
import * as resellerShops from './2026_12_06_1500_reseller_shops'
import * as ledgerPayouts from './2026_12_06_1700_ledger_payouts'
import * as sessionVipTiers from './2026_12_06_1930_session_vip_tiers'
import * as addressRegions from './2026_12_06_2130_address_regions'
import * as customerOrders from './2026_12_06_2000_customer_orders'
import * as optionNamesEn from './2026_12_06_2200_option_names_en'
import * as customerOrderLocale from './2026_12_06_2230_customer_order_locale'
import * as checkoutUnits from './2026_12_07_1000_checkout_units'
import * as orderCopiesWithoutChecks from './2026_12_07_1010_order_copies_without_checks'
import * as customerOrderResellerWithoutCheck from './2026_12_07_1200_customer_order_reseller_without_check'

// Every migration by the name recorded in kysely_migration when it ran (names sort in the order they run).
// A recorded name never changes, even when its file is renamed: databases that ran it know it by this name.
// Add new ones at the end.
export const migrations: Record<string, Migration> = {
  '2026_11_23_0900_skeleton': skeleton,
  '2026_11_30_1000_onboarding': onboarding,
  '2026_11_30_1010_payments': payments,
  '2026_11_30_1020_catalog': catalog,
  '2026_11_30_1030_membership': membership,
  '2026_11_30_1040_orders': orders,
  '2026_11_30_1050_search': search,
  '2026_11_30_1060_reseller': reseller,
  '2026_11_30_1070_orders_polish': afterSaleLines,
  '2026_11_30_1080_polish': productDescriptionEn,
  '2026_12_06_1000_checkout_holds': checkoutHolds,
  '2026_12_06_1200_physical_stock': physicalStock,
  '2026_12_06_1300_product_photos': productPhotos,
  '2026_12_06_1400_notifications': notifications,
  '2026_12_06_1500_reseller_shops': resellerShops,
  '2026_12_06_1700_ledger_payouts': ledgerPayouts,
  '2026_12_06_1930_session_vip_tiers': sessionVipTiers,
  '2026_12_06_2000_customer_orders': customerOrders,
  '2026_12_06_2130_address_regions': addressRegions,
  '2026_12_06_2200_option_names_en': optionNamesEn,
  '2026_12_06_2230_customer_order_locale': customerOrderLocale,
  '2026_12_07_1000_checkout_units': checkoutUnits,
  '2026_12_07_1010_order_copies_without_checks': orderCopiesWithoutChecks,
  '2026_12_07_1200_customer_order_reseller_without_check': customerOrderResellerWithoutCheck,
}
