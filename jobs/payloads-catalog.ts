import { z } from 'zod'

export const ImportCatalogCsvPayload = z.object({ importId: z.string().uuid() })
export type ImportCatalogCsvPayload = z.infer<typeof ImportCatalogCsvPayload>

// Registers the payload type with enqueue() without editing jobs/payloads.ts.
declare module './payloads' {
  interface TaskPayloads {
    import_catalog_csv: ImportCatalogCsvPayload
  }
}
