import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { runCatalogImport } from '#app/services/catalog/import.server'
import { ImportCatalogCsvPayload } from '../payloads-catalog'

/** Runs a brand's CSV import (idempotent: finished imports are skipped, upserts are by style code and barcode). */
export function importCatalogCsvTask(db: Db): Task {
  return async (payload) => {
    const { importId } = ImportCatalogCsvPayload.parse(payload)
    await runCatalogImport(db, importId, new Date())
  }
}
