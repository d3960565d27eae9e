import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { run, type Runner, type TaskList } from 'graphile-worker'
import type { Db } from '#db/client'
import { recordSessionBoundaryTask } from './tasks/record_session_boundary'

import { importCatalogCsvTask } from './tasks/import_catalog_csv'

import { monthlyRetentionTask } from './tasks/monthly_retention'

import { expireCheckoutTask } from './tasks/expire_checkout'
import { refundLatePaymentTask } from './tasks/refund_late_payment'
import { checkCheckoutPaymentsTask } from './tasks/check_checkout_payments'
import { flagLateOrdersTask } from './tasks/flag_late_orders'
import { autoReceiveOrdersTask } from './tasks/auto_receive_orders'
import { writeSettlementsTask } from './tasks/write_settlements'

import type { SearchEngine } from '#search/engine'
import { drainSearchOutboxTask } from './tasks/drain_search_outbox'
import { checkSearchDriftTask } from './tasks/check_search_drift'
import { searchSyncModeFromEnv, type SearchSyncMode } from '#search/follower'
import { registerPaymentPurposes } from '#app/services/payments/register-purposes.server'

import { sendPayoutsTask } from './tasks/send_payouts'
import { refundDuplicateDepositTask } from './tasks/refund_duplicate_deposit'

import { deliverNotificationsTask } from './tasks/deliver_notifications'
import { planSessionRemindersTask } from './tasks/plan_session_reminders'
import { checkRestocksTask } from './tasks/check_restocks'
import { warnLateOrdersTask } from './tasks/warn_late_orders'
import { remindKeepLevelTask } from './tasks/remind_keep_level'
import { checkResellerPricesTask } from './tasks/check_reseller_prices'
import type { Channels } from '#app/services/notifications/channels.server'

/** What tasks need from the process that runs them. Features add fields at their marker. */
export interface TaskDeps {
  db: Db

  search?: SearchEngine
  /** How the outbox is consumed (search/follower.ts); defaults from MEILISEARCH_URL like search/factory.ts. */
  searchSync?: SearchSyncMode

  /** E-mail and push senders (default: from SMTP_URL, PUSH_CA_FILE…). */
  notificationChannels?: Channels
}

export function createTaskList(deps: TaskDeps): TaskList {
  const { db } = deps
  registerPaymentPurposes()
  return {
    record_session_boundary: recordSessionBoundaryTask(db),

    import_catalog_csv: importCatalogCsvTask(db),

    monthly_retention: monthlyRetentionTask(db),

    expire_checkout: expireCheckoutTask(db),
    refund_late_payment: refundLatePaymentTask(db),
    check_checkout_payments: checkCheckoutPaymentsTask(db),
    flag_late_orders: flagLateOrdersTask(db),
    auto_receive_orders: autoReceiveOrdersTask(db),
    write_settlements: writeSettlementsTask(db),

    drain_search_outbox: drainSearchOutboxTask(db, deps.search, deps.searchSync ?? searchSyncModeFromEnv()),
    check_search_drift: checkSearchDriftTask(db, deps.search),

    send_payouts: sendPayoutsTask(db),
    refund_duplicate_deposit: refundDuplicateDepositTask(db),
    deliver_notifications: deliverNotificationsTask(db, deps.notificationChannels),
    plan_session_reminders: planSessionRemindersTask(db),
    check_restocks: checkRestocksTask(db),
    warn_late_orders: warnLateOrdersTask(db),
    remind_keep_level: remindKeepLevelTask(db),
    check_reseller_prices: checkResellerPricesTask(db),
  }
}

/** Recurring jobs, in graphile-worker crontab syntax (UTC). One block per feature at its marker. */
export const CRONTAB: string[] = [
  // 16:05 UTC = 00:05 Asia/Shanghai, daily: judges any ended month not yet judged (a no-op most days).
  '5 16 * * * monthly_retention',

  '*/5 * * * * flag_late_orders',
  '*/15 * * * * check_checkout_payments',
  '17 * * * * auto_receive_orders',
  '23 * * * * write_settlements',

  '* * * * * drain_search_outbox',
  '*/10 * * * * check_search_drift',

  '*/10 * * * * send_payouts',
  '* * * * * deliver_notifications',
  '* * * * * plan_session_reminders',
  '* * * * * check_restocks',
  '*/5 * * * * warn_late_orders',
  // 02:00 UTC = 10:00 Asia/Shanghai.
  '0 2 * * * remind_keep_level',
  '*/5 * * * * check_reseller_prices',
]

export interface WorkerOptions extends TaskDeps {
  connectionString: string
  concurrency?: number
  pollInterval?: number
  /** The app installs its own signal handlers when it runs the worker in-process. */
  noHandleSignals?: boolean
}

export function startWorker(options: WorkerOptions): Promise<Runner> {
  return run({
    connectionString: options.connectionString,
    concurrency: options.concurrency ?? 4,
    pollInterval: options.pollInterval ?? 1000,
    noHandleSignals: options.noHandleSignals ?? false,
    taskList: createTaskList(options),
    crontab: CRONTAB.join('\n'),
  })
}

// `npm run worker`: the job worker on its own, for production next to `npm run serve` processes.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { initEnvOrExit } = await import('#app/utils/env.server')
  const { createDb } = await import('#db/client')
  const { migrateToLatest } = await import('#db/migrate')
  const env = initEnvOrExit()
  if (!env.DATABASE_URL) {
    console.error(
      'DATABASE_URL is not set: `npm run worker` serves an external database (npm start runs a worker in-process).',
    )
    process.exit(1)
  }
  const db = createDb(env.DATABASE_URL, { max: 5 })
  await migrateToLatest(db, env.DATABASE_URL)
  const runner = await startWorker({ connectionString: env.DATABASE_URL, db })
  await runner.promise
  await db.destroy()
}
