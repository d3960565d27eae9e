// Deterministic benchmark data: the same shapes and values on every run (ids are the database's).
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '#db/client'
import { insertUserSession } from '#db/queries/users'
import type { CategoryCode } from '#db/schema'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { BENCH_SESSION_SECRET } from './harness'

const HOUR = 3_600_000

/** A signed `__session` cookie for a new user_session row, as the sign-in action sets it. */
export async function cookieFor(db: Db, userId: string): Promise<string> {
  process.env.SESSION_SECRET ??= BENCH_SESSION_SECRET
  const { commitSession } = await import('#app/utils/session.server')
  const id = randomBytes(32).toString('base64url')
  await insertUserSession(db, { id, userId, expiresAt: new Date(Date.now() + 24 * HOUR) })
  return (await commitSession(id)).split(';')[0]!
}

const CATEGORIES: CategoryCode[] = ['womens', 'mens', 'kids', 'shoes_bags', 'jewellery']
const SHAPES: Record<CategoryCode, string[]> = {
  womens: ['dress', 'blouse', 'skirt'],
  mens: ['shirt', 'jacket', 'trousers'],
  kids: ['kidstee', 'romper'],
  shoes_bags: ['sneaker', 'tote', 'boot'],
  jewellery: ['necklace', 'ring', 'earrings'],
}

/** A live brand, a live session (opened an hour ago) with `items` products of 2 colours × 3 sizes each. */
export async function seedLiveSession(
  db: Db,
  options: { items: number; unitsPerSku: number; perMemberCap?: number | null; slug?: string },
) {
  const brand = await createBrand(db, { slug: options.slug ?? 'bench-brand', name: '基准品牌', nameEn: 'Bench Brand' })
  const session = await createSession(db, {
    brandId: brand.id,
    startsAt: new Date(Date.now() - HOUR),
    title: '基准档期',
    titleEn: 'Bench session',
  })
  const items: { itemId: string; skuIds: string[]; sessionItemSkuIds: string[] }[] = []
  for (let n = 0; n < options.items; n++) {
    const category = CATEGORIES[n % CATEGORIES.length]!
    const shape = SHAPES[category][n % SHAPES[category].length]!
    const { product, skus } = await createProduct(db, {
      brandId: brand.id,
      title: `基准商品 ${n + 1}`,
      titleEn: `Bench product ${n + 1}`,
      category,
      tagPriceMinor: 39_900 + n * 100,
      tagCut: n % 7 === 0,
      imageSeed: `${category}:${shape}:${n % 12}:bench-${n}`,
      sizes: ['S', 'M', 'L'],
      colours: ['black', 'navy'],
    })
    const item = await addSessionItem(db, {
      sessionId: session.id,
      productId: product.id,
      skuIds: skus.map((s) => s.id),
      basePriceMinor: 19_900 + n * 50,
      quantity: options.unitsPerSku,
      perMemberCap: options.perMemberCap ?? null,
      position: n,
    })
    const rows = await db
      .selectFrom('session_item_skus')
      .select(['id'])
      .where('session_item_id', '=', item.id)
      .orderBy('id')
      .execute()
    items.push({ itemId: item.id, skuIds: skus.map((s) => s.id), sessionItemSkuIds: rows.map((r) => r.id) })
  }
  return { brand, session, items }
}

/** One product with a single SKU of `units` in the session: the hot SKU of a grab storm. */
export async function seedSingleSku(
  db: Db,
  options: {
    brandId: string
    sessionId: string
    units: number
    perMemberCap: number | null
    position: number
    title: string
  },
) {
  const { product, skus } = await createProduct(db, {
    brandId: options.brandId,
    title: options.title,
    titleEn: options.title,
    category: 'womens',
    tagPriceMinor: 59_900,
    imageSeed: `womens:dress:3:${options.title}`,
    sizes: ['M'],
    colours: ['black'],
  })
  const item = await addSessionItem(db, {
    sessionId: options.sessionId,
    productId: product.id,
    skuIds: [skus[0]!.id],
    basePriceMinor: 29_900,
    quantity: options.units,
    perMemberCap: options.perMemberCap,
    position: options.position,
  })
  const row = await db
    .selectFrom('session_item_skus')
    .select(['id'])
    .where('session_item_id', '=', item.id)
    .executeTakeFirstOrThrow()
  return { itemId: item.id, skuId: skus[0]!.id, sessionItemSkuId: row.id }
}

/** `count` members (VIP level cycling 0–5 unless given) with a signed cookie each. */
export async function seedMembers(db: Db, count: number, options: { vipLevel?: number; prefix?: string } = {}) {
  const members: { id: string; cookie: string; vipLevel: number }[] = []
  for (let n = 0; n < count; n++) {
    const vipLevel = options.vipLevel ?? n % 6
    const user = await createUser(db, {
      email: `${options.prefix ?? 'bench-member'}-${n}@bench.local`,
      displayName: `基准会员 ${n}`,
      vipLevel,
      password: 'bench-password',
    })
    members.push({ id: user.id, cookie: await cookieFor(db, user.id), vipLevel })
  }
  return members
}

/** A VIP 3 member with a reseller profile, as the forwarding services take her. */
export async function seedReseller(db: Db, prefix: string) {
  const [reseller] = await seedMembers(db, 1, { vipLevel: 3, prefix })
  const member = { id: reseller!.id, role: 'member' as const, vip_level: 3, display_name: '基准会员 0' }
  await db
    .insertInto('reseller_profiles')
    .values({ user_id: member.id, display_name: '杭州Lily', wechat_id: 'lily_bench', phone: '13800000003' })
    .execute()
  return member
}

/** The table the bench-only grab endpoint (app/routes/bench.grab.ts) writes its orders to. */
export async function createBenchGrabsTable(db: Db) {
  await sql`
    create table if not exists bench_grabs (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id),
      session_item_sku_id uuid not null references session_item_skus(id),
      quantity integer not null check (quantity > 0),
      unit_price_minor integer not null,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index if not exists bench_grabs_user_sku_idx on bench_grabs (user_id, session_item_sku_id)`.execute(
    db,
  )
}
