import { readdirSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '#db/client'
import { seed } from '#db/seed'
import { cachedShop } from '#app/services/reseller/public-pages.server'
import { sessionSecret } from '#app/utils/env.server'
import { ROOT, startServer, type BenchServer } from '#tests/bench/harness'
import { freePort } from '#tests/setup/free-port'
import { cookieFor } from '#tests/setup/http'
import { ACTORS, ROUTE_ACCESS, type Actor, type FixtureIds } from '#tests/setup/route-access'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// The production build on the seeded demo database, asked for every route by every actor (signed out, trial,
// VIP, another member, brand A on brand B's ids, brand B, operator) by GET, POST and ?_data; then every action
// and loader fed hostile input. Nothing may answer 5xx; who is not allowed gets nothing (no 2xx); refused input
// leaves the database as it was; public pages never carry a wholesale price, a level or a floor.

let t: TestDatabase
let server: BenchServer
let ids: FixtureIds
let linkOwner: string
const cookies = {} as Record<Actor, string | undefined>
const routeFiles = readdirSync(path.join(ROOT, 'app/routes')).filter(
  (f) => /\.(tsx?|jsx?)$/.test(f) && !/\.test\.[jt]sx?$/.test(f),
)

beforeAll(async () => {
  t = await createTestDatabase()
  await seed(t.db)
  const db = t.db
  const user = (email: string) =>
    db
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
      .then((u) => u.id)
  const order = await db
    .selectFrom('orders')
    .select(['id', 'member_id', 'brand_id'])
    .orderBy('created_at')
    .executeTakeFirstOrThrow()
  const vip = order.member_id
  const brandB = order.brand_id
  const now = new Date()
  const session = await db
    .selectFrom('clearance_sessions')
    .select('id')
    .where('brand_id', '=', brandB)
    .where('status', '!=', 'draft')
    .where('status', '!=', 'cancelled')
    .where('starts_at', '<=', now)
    .where('ends_at', '>', now)
    .executeTakeFirstOrThrow()
  const product = await db.selectFrom('products').select('id').where('brand_id', '=', brandB).executeTakeFirstOrThrow()
  const staffB = await db
    .selectFrom('users')
    .select('id')
    .where('brand_id', '=', brandB)
    .where('role', '=', 'brand_staff')
    .executeTakeFirstOrThrow()
  const staffA = await db
    .selectFrom('users')
    .select('id')
    .where('brand_id', '!=', brandB)
    .where('role', '=', 'brand_staff')
    .executeTakeFirstOrThrow()
  const item = await db
    .selectFrom('session_items')
    .select(['id', 'base_price_minor'])
    .where('session_id', '=', session.id)
    .executeTakeFirstOrThrow()
  const link = await db
    .insertInto('share_links')
    .values({ token: 'route-access-token-0123456789', user_id: vip, session_id: session.id, kind: 'list' } as never)
    .returning(['id', 'token'])
    .executeTakeFirstOrThrow()
  await db
    .insertInto('share_link_items')
    .values({
      share_link_id: link.id,
      session_item_id: item.id,
      retail_price_minor: item.base_price_minor * 3,
    } as never)
    .execute()
  const staffBUser = await db.selectFrom('users').select('id').where('brand_id', '=', brandB).executeTakeFirstOrThrow()
  const catalogImport = await db
    .insertInto('catalog_imports')
    .values({ brand_id: brandB, created_by: staffBUser.id, file_name: 'a.csv', csv_text: 'style_code\n' } as never)
    .returning('id')
    .executeTakeFirstOrThrow()
  const application = await db.selectFrom('brand_applications').select('id').executeTakeFirstOrThrow()
  const payment = await db.selectFrom('payments').select('id').where('payer_user_id', '=', vip).executeTakeFirst()
  const otherMember = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'member')
    .where('id', '!=', vip)
    .where('vip_level', '>', 0)
    .executeTakeFirstOrThrow()
  linkOwner = vip
  ids = {
    sessionB: session.id,
    productB: product.id,
    orderVip: order.id,
    linkVip: link.id,
    shareToken: link.token,
    applicationId: application.id,
    brandB,
    importB: catalogImport.id,
    paymentVip: payment?.id ?? '00000000-0000-4000-8000-000000000002',
    applicationToken: 'not-a-real-token',
    shareItem: item.id,
    shopItem: await lilysShopItem(db),
  }
  const trial = await user('trial@demo.cm')
  const operator = await user('ops@demo.cm')
  Object.assign(cookies, {
    signedOut: undefined,
    trial: await cookieFor(db, trial),
    vip: await cookieFor(db, vip),
    otherMember: await cookieFor(db, otherMember.id),
    brandA: await cookieFor(db, staffA.id),
    brandB: await cookieFor(db, staffB.id),
    operator: await cookieFor(db, operator),
  })
  const port = await freePort()
  server = await startServer({
    name: 'route-access',
    databaseUrl: t.url,
    port,
    env: {
      BENCH_ROUTES: '0',
      SESSION_SECRET: sessionSecret(),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      CARDS_DIR: path.join(ROOT, '.data/route-access-cards'),
    },
  })
}, 240_000)
afterAll(async () => {
  await server?.kill()
  await t?.drop()
})

/** A live item of Lily's shop (vip3, `lily-hz`), read as her shop page reads it. */
async function lilysShopItem(db: Db): Promise<string> {
  const lily = await db.selectFrom('users').select('id').where('email', '=', 'vip3@demo.cm').executeTakeFirstOrThrow()
  const first = Object.keys((await cachedShop(db, lily.id, new Date())).bag)[0]
  if (!first) throw new Error("the demo seed gives Lily's shop no live item")
  return first
}

async function ask(
  actor: Actor,
  method: 'GET' | 'POST',
  url: string,
  body?: URLSearchParams | string,
  type = 'application/x-www-form-urlencoded',
) {
  const headers: Record<string, string> = {}
  if (cookies[actor]) headers.cookie = cookies[actor]!
  if (method === 'POST') headers['content-type'] = type
  const res = await fetch(server.baseUrl + url, { method, headers, body, redirect: 'manual' })
  // Remix answers a redirect to a ?_data request as 204 with X-Remix-Redirect.
  const remixRedirect = res.headers.get('x-remix-redirect')
  return {
    status: remixRedirect ? 302 : res.status,
    location: remixRedirect ?? res.headers.get('location'),
    type: res.headers.get('content-type') ?? '',
    text: await res.text(),
  }
}

const dataUrl = (url: string, file: string) =>
  `${url}${url.includes('?') ? '&' : '?'}_data=${encodeURIComponent(`routes/${file.replace(/\.(tsx?|jsx?)$/, '')}`)}`

describe('the access matrix', () => {
  it('lists every route file', () => {
    const missing = routeFiles.filter((f) => !ROUTE_ACCESS[f])
    expect(missing, 'add these routes to tests/setup/route-access.ts').toEqual([])
    expect(
      Object.keys(ROUTE_ACCESS).filter((f) => !routeFiles.includes(f)),
      'rows for routes that no longer exist',
    ).toEqual([])
  })

  it.each(routeFiles.filter((f) => ROUTE_ACCESS[f]))(
    '%s: each actor gets only what it may, never a 5xx',
    async (file) => {
      const spec = ROUTE_ACCESS[file]!
      const url = spec.path(ids)
      const problems: string[] = []
      for (const actor of ACTORS) {
        const allowed = spec.allow.includes(actor)
        for (const kind of ['GET', '_data', 'POST'] as const) {
          const r =
            kind === 'POST'
              ? await ask(actor, 'POST', url, new URLSearchParams())
              : await ask(actor, 'GET', kind === '_data' ? dataUrl(url, file) : url)
          const where = `${kind} ${url} as ${actor}: ${r.status}${r.location ? ` → ${r.location}` : ''}`
          if (r.status >= 500) problems.push(`${where} (5xx)`)
          if (!allowed && r.status >= 200 && r.status < 300) problems.push(`${where} (not allowed, but answered)`)
          const noLoader = kind === '_data' && spec.noLoader && r.status === 400
          if (allowed && kind !== 'POST' && !noLoader && !(r.status >= 200 && r.status < 400))
            problems.push(`${where} (allowed, but refused)`)
          if (kind === 'POST' && !spec.post && r.status !== 405) problems.push(`${where} (no action: expected 405)`)
        }
      }
      expect(problems).toEqual([])
    },
    120_000,
  )
})

// ---------------------------------------------------------------- hostile input

const LONG = 'x'.repeat(100_000)
const HOSTILE: string[] = [
  '\u0000',
  'a\u0000b',
  '\u0001\u001f\u007f',
  '\r\n',
  '-1',
  '-999999999999',
  '99999999999999999999',
  '1e308',
  'NaN',
  'Infinity',
  '0.5',
  '9999-12-31',
  '0000-01-01',
  '10000-01-01T00:00',
  '2026-02-30',
  'true',
  '[]',
  '{}',
  '{"a":1}',
  LONG,
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%E0%A4%A',
  '\uFFFD\uD800',
  '<script>alert(1)</script>',
  "' or 1=1 --",
  '00000000-0000-0000-0000-000000000000',
  'not-a-uuid',
]

async function digest(): Promise<string> {
  const tables = await sql<{ t: string }>`select tablename as t from pg_tables where schemaname = 'public'
    and tablename not in ('sign_in_failures', 'user_sessions', 'kysely_migration', 'kysely_migration_lock') order by 1`.execute(
    t.db,
  )
  const parts = await Promise.all(
    tables.rows.map(async ({ t: name }) => {
      const r = await sql<{
        h: string | null
      }>`select md5(string_agg(x::text, '|' order by x::text)) as h from ${sql.table(name)} x`.execute(t.db)
      return `${name}:${r.rows[0]?.h}`
    }),
  )
  return parts.join(',')
}

/** Field names and intents of the forms on a page as that actor sees it. */
function formFields(html: string): { names: string[]; intents: string[] } {
  const names = new Set(
    [...html.matchAll(/\sname="([^"]+)"/g)].map((m) => m[1]!).filter((n) => n !== 'viewport' && n !== 'intent'),
  )
  const intents = new Set(
    [...html.matchAll(/name="intent"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="intent"/g)].map(
      (m) => (m[1] ?? m[2])!,
    ),
  )
  return { names: [...names], intents: [...intents] }
}

const actorFor = (allow: Actor[]): Actor =>
  allow.includes('vip')
    ? 'vip'
    : allow.includes('brandB')
      ? 'brandB'
      : allow.includes('operator')
        ? 'operator'
        : (allow[0] ?? 'signedOut')

describe('hostile input', () => {
  it.each(routeFiles.filter((f) => ROUTE_ACCESS[f]))(
    '%s: no 5xx, and refused input changes nothing',
    async (file) => {
      const spec = ROUTE_ACCESS[file]!
      const actor = actorFor(spec.allow)
      const url = spec.path(ids)
      const problems: string[] = []
      // 503 is the honest answer when a provider cannot be reached (this server's Stripe is a closed port); a crash is 500.
      const check = (what: string, r: { status: number }) => {
        if (r.status >= 500 && r.status !== 503) problems.push(`${what}: ${r.status}`)
      }

      // Loaders: hostile query values and path segments.
      for (const value of HOSTILE.slice(0, 20)) {
        const q = new URLSearchParams({
          q: value,
          page: value,
          item: value,
          lang: value,
          filter: value,
          redirectTo: value,
        })
        check(
          `GET ${url}?…=${JSON.stringify(value.slice(0, 20))}`,
          await ask(actor, 'GET', `${url.split('?')[0]}?${q}`),
        )
      }
      for (const segment of [
        '%00',
        '%E0%A4%A',
        '..%2F..%2Fetc%2Fpasswd',
        '-1',
        '9'.repeat(40),
        encodeURIComponent(LONG.slice(0, 5000)),
      ]) {
        const hostilePath = url.split('?')[0]!.replace(/[^/]+$/, segment)
        check(`GET ${hostilePath.slice(0, 80)}`, await ask(actor, 'GET', hostilePath))
      }
      if (!spec.post) return expect(problems).toEqual([])

      // Actions: every field of the page's forms, for each intent, set to each hostile value; duplicated keys; JSON; bad encodings.
      const page = await ask(actor, 'GET', url)
      const { names, intents } = formFields(page.text)
      const fields = names.length ? names : ['id', 'quantity', 'code', 'title', 'startsAt']
      // A share page's visit is counted in memory and written up to a second later. The link's owner reading her
      // link page writes what is pending first (flushShareViews), so that write has landed before the digest.
      // (Earlier hostile posts may have signed the VIP out, so she reads it with a session of her own.)
      if (url.startsWith('/s/')) {
        const owner = await cookieFor(t.db, linkOwner)
        const res = await fetch(`${server.baseUrl}/reseller/links/${ids.linkVip}`, { headers: { cookie: owner } })
        expect(res.status).toBe(200)
      }
      const before = await digest()
      let accepted = 0
      for (const intent of intents.length ? intents : [null]) {
        for (const value of HOSTILE) {
          const body = new URLSearchParams()
          if (intent) body.append('intent', intent)
          for (const name of fields) {
            body.append(name, value)
            body.append(name, value)
          }
          const r = await ask(actor, 'POST', url, body)
          check(`POST ${url} intent=${intent} value=${JSON.stringify(value.slice(0, 20))}`, r)
          if (r.status < 400) accepted++
        }
        check(
          `POST ${url} bad encoding`,
          await ask(actor, 'POST', url, `${intent ? `intent=${intent}&` : ''}${fields[0]}=%E0%A4%A&%ZZ=1`),
        )
        check(
          `POST ${url} JSON`,
          await ask(
            actor,
            'POST',
            url,
            JSON.stringify({ intent, [fields[0]!]: ['\u0000', -1, 1e308, null, {}] }),
            'application/json',
          ),
        )
        check(
          `POST ${url} multipart`,
          await ask(
            actor,
            'POST',
            url,
            '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n\u0000\r\n--x--\r\n',
            'multipart/form-data; boundary=x',
          ),
        )
      }
      if (accepted === 0) expect(await digest(), `refused input to ${url} changed the database`).toBe(before)
      expect(problems).toEqual([])
    },
    240_000,
  )
})

// ---------------------------------------------------------------- what public pages show

const LEAKS =
  /"(basePriceMinor|base_price_minor|memberPriceMinor|member_price_minor|wholesale\w*|vipPrice\w*|vipLevel|vip_level|level|minRetailPriceMinor|min_retail_price_minor|floor\w*|costMinor|ownPriceMinor)"\s*:/

describe('public pages', () => {
  it.each(
    Object.entries(ROUTE_ACCESS)
      .filter(([, s]) => s.publicPage)
      .map(([f]) => f),
  )('%s shows no wholesale price, level or floor to a signed-out visitor', async (file) => {
    const url = ROUTE_ACCESS[file]!.path(ids)
    const page = await ask('signedOut', 'GET', url)
    const data = await ask('signedOut', 'GET', dataUrl(url, file))
    expect(page.status).toBe(200)
    expect(page.text).not.toMatch(LEAKS)
    expect(data.text).not.toMatch(LEAKS)
  })

  it('every response carries the security headers; pages a nonce policy that their inline scripts follow', async () => {
    for (const url of ['/', '/login', '/healthz', '/art/product/x', '/no-such-page', dataUrl('/login', 'login.tsx')]) {
      const res = await fetch(server.baseUrl + url, { redirect: 'manual' })
      expect(res.headers.get('x-content-type-options'), url).toBe('nosniff')
      expect(res.headers.get('content-security-policy'), url).toMatch(/frame-ancestors 'none'/)
      expect(res.headers.get('referrer-policy'), url).toBeTruthy()
      expect(res.headers.get('strict-transport-security'), url).toMatch(/max-age=\d+/)
    }
    const res = await fetch(server.baseUrl + '/login')
    const nonce = res.headers.get('content-security-policy')!.match(/'nonce-([^']+)'/)![1]
    const html = await res.text()
    const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)([^>]*)>/g)]
    expect(inline.length).toBeGreaterThan(0)
    for (const m of inline) expect(m[1]).toContain(`nonce="${nonce}"`)
  })
})
