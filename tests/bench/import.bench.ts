// `npm run bench:import`: 10,000-row catalog CSV import into a fresh embedded PostgreSQL (durable commits on),
// then a re-import of the same file (every row an update by barcode). Prints wall times.
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { createDb } from '#db/client'
import { startEmbeddedPostgres } from '#db/embedded'
import { migrateToLatest } from '#db/migrate'
import { runCatalogImport, startCatalogImport } from '#app/services/catalog/import.server'
import { CSV_COLUMNS } from '#app/domain/catalog-csv'
import { createBrand, createUser } from '#tests/fixtures/factories'

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000)

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
  })
}

function csv(rows: number): string {
  const sizes = ['S', 'M', 'L', 'XL']
  const colours = ['黑色', '米白', '藏青']
  const lines = [CSV_COLUMNS.join(',')]
  for (let i = 0; i < rows; i++) {
    const style = Math.floor(i / 12)
    lines.push(
      [
        `BENCH-${style}`,
        `基准商品 ${style}`,
        `Bench product ${style}`,
        'womens',
        '399.00',
        style % 3 === 0 ? '1' : '0',
        '说明',
        sizes[i % 4],
        colours[Math.floor(i / 4) % 3],
        `69${String(i).padStart(11, '0')}`,
        String(10 + (i % 50)),
      ].join(','),
    )
  }
  return lines.join('\n') + '\n'
}

const parent = await mkdtemp(path.join(os.tmpdir(), 'cm-bench-'))
await chmod(parent, 0o755)
const server = await startEmbeddedPostgres({ dataDir: path.join(parent, 'pg'), port: await freePort() })
try {
  const url = await server.createDatabaseIfMissing('bench')
  const db = createDb(url, { max: 4 })
  await migrateToLatest(db, url)
  const brand = await createBrand(db)
  const user = await createUser(db, { role: 'brand_staff', brandId: brand.id })
  const text = csv(ROWS)
  for (const label of ['first import', 're-import (updates by barcode)']) {
    const id = await startCatalogImport(db, {
      brandId: brand.id,
      userId: user.id,
      fileName: 'bench.csv',
      csvText: text,
    })
    const t0 = performance.now()
    await runCatalogImport(db, id, new Date())
    const ms = performance.now() - t0
    const r = await db
      .selectFrom('catalog_imports')
      .select(['status', 'ok_rows', 'products_created', 'products_updated', 'errors'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    console.log(
      `${label}: ${ROWS} rows in ${(ms / 1000).toFixed(2)} s (${Math.round(ROWS / (ms / 1000))} rows/s) · status ${r.status}, ok ${r.ok_rows}, created ${r.products_created}, updated ${r.products_updated}, errors ${String(r.errors).length > 2 ? 'some' : 0}`,
    )
  }
  const n = await db
    .selectFrom('skus')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  console.log(
    `skus in database: ${n.n} · machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
  )
  await db.destroy()
} finally {
  await server.stop()
  await rm(parent, { recursive: true, force: true })
}
