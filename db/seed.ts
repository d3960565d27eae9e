import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import type { Db } from './client'
import type { CategoryCode } from './schema'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { scheduleSessionBoundaries } from '#app/services/sessions/boundaries.server'
import { setting } from '#app/utils/env.server'
import { colourName, SHAPES_BY_CATEGORY } from '#app/utils/product-art'

import { onboardingDemoLogins, seedOnboarding } from './seeds/onboarding'

import { seedCatalog } from './seeds/catalog'
import { seedProductPhotos } from './seeds/photos'

import { DEMO_CAMPAIGN_CODE, DEMO_INVITE_CODES, seedMembership } from './seeds/membership'

import { seedOrders } from './seeds/orders'

import { seedDemoOrders } from './seeds/demo-orders'

import { DEMO_SHOP_HANDLE, seedReseller } from './seeds/reseller'
import { demoCustomerOrderPath, seedCustomerOrders } from './seeds/customer-orders'
import { seededRandom } from '#app/utils/seeded-random'
import { registerPaymentPurposes } from '#app/services/payments/register-purposes.server'

export const DEMO_PASSWORD = 'demo1234'

export interface DemoLogin {
  role: string
  login: string
  password: string
  note: string
}

const rng = seededRandom

const NOUNS: Record<string, Record<string, [string, string]>> = {
  womens: { dress: ['连衣裙', 'dress'], blouse: ['衬衫', 'blouse'], skirt: ['半身裙', 'skirt'] },
  mens: { shirt: ['衬衫', 'shirt'], jacket: ['夹克', 'jacket'], trousers: ['休闲裤', 'trousers'] },
  kids: { kidstee: ['儿童T恤', "kids' tee"], romper: ['连体衣', 'romper'] },
  shoes_bags: { sneaker: ['运动鞋', 'sneakers'], tote: ['托特包', 'tote bag'], boot: ['短靴', 'ankle boots'] },
  jewellery: { necklace: ['项链', 'necklace'], ring: ['戒指', 'ring'], earrings: ['耳环', 'earrings'] },
}
const ADJECTIVES: [string, string][] = [
  ['羊毛混纺', 'wool-blend'],
  ['真丝', 'silk'],
  ['纯棉', 'cotton'],
  ['亚麻', 'linen'],
  ['复古', 'vintage'],
  ['极简', 'minimal'],
  ['法式', 'French-style'],
  ['轻薄', 'lightweight'],
  ['加厚', 'padded'],
  ['经典', 'classic'],
  ['通勤', 'commuter'],
  ['度假风', 'resort'],
]
const METALS: [string, string][] = [
  ['925银', 'sterling silver'],
  ['18K金', '18K gold'],
  ['珍珠', 'pearl'],
  ['钛钢', 'titanium'],
  ['锆石', 'zircon'],
]
const COLOUR_ZH: Record<string, string> = {
  navy: '藏青',
  crimson: '酒红',
  forest: '墨绿',
  mustard: '姜黄',
  violet: '紫罗兰',
  black: '黑色',
  ivory: '米白',
  terracotta: '砖红',
  teal: '湖蓝',
  rose: '玫粉',
  khaki: '卡其',
  grey: '灰色',
}
const SIZES: Record<string, string[]> = {
  womens: ['S', 'M', 'L', 'XL'],
  mens: ['M', 'L', 'XL', 'XXL'],
  kids: ['100', '110', '120', '130'],
  shoes_bags: ['36', '37', '38', '39', '40'],
  jewellery: ['均码'],
}
const BAG_SIZES = ['均码']
const MEMBERS = [
  { email: 'trial@demo.cm', level: 0, name: '小鹿代购' },
  { email: 'vip1@demo.cm', level: 1, name: '阿梅海淘' },
  { email: 'vip3@demo.cm', level: 3, name: '杭州Lily' },
  { email: 'vip5@demo.cm', level: 5, name: '上海大胖买手' },
]

interface BrandPlan {
  slug: string
  name: string
  nameEn: string
  categories: CategoryCode[]
  products: number
}
const BRANDS: BrandPlan[] = [
  { slug: 'mulan', name: '沐岚', nameEn: 'MULAN', categories: ['womens', 'jewellery', 'shoes_bags'], products: 75 },
  { slug: 'northshore', name: '北岸', nameEn: 'Northshore', categories: ['mens', 'shoes_bags'], products: 70 },
  {
    slug: 'little-oak',
    name: '小橡树',
    nameEn: 'Little Oak',
    categories: ['kids', 'jewellery', 'womens'],
    products: 65,
  },
]

function hourFloor(d: Date) {
  return new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000)
}

/** Refuses production; expects an empty, migrated database. */
export async function seed(db: Db, now: Date = new Date()): Promise<void> {
  if (setting('NODE_ENV') === 'production') throw new Error('Refusing to seed demo data in production')
  registerPaymentPurposes()
  const random = rng(20261123)
  const pickOne = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]
  const hour = hourFloor(now)
  const h = (n: number) => new Date(hour.getTime() + n * 3_600_000)

  await db.transaction().execute(async (trx) => {
    await createUser(trx, {
      email: 'ops@demo.cm',
      password: DEMO_PASSWORD,
      role: 'operator',
      displayName: '平台运营 Ops',
    })

    const brandRows = []
    for (const plan of BRANDS) {
      const brand = await createBrand(trx, { slug: plan.slug, name: plan.name, nameEn: plan.nameEn, status: 'live' })
      await createUser(trx, {
        email: `staff@${plan.slug}.demo.cm`,
        password: DEMO_PASSWORD,
        role: 'brand_staff',
        brandId: brand.id,
        displayName: `${plan.name}运营`,
      })
      const products = []
      for (let i = 0; i < plan.products; i++) {
        const category = plan.categories[i % plan.categories.length]
        const shape = pickOne(SHAPES_BY_CATEGORY[category])
        const [nounZh, nounEn] = NOUNS[category][shape]
        const [adjZh, adjEn] = category === 'jewellery' ? pickOne(METALS) : pickOne(ADJECTIVES)
        const colourIdxs = [Math.floor(random() * 12), Math.floor(random() * 12)]
          .filter((v, k, a) => a.indexOf(v) === k)
          .slice(0, category === 'jewellery' ? 1 : 2)
        const colours = colourIdxs.map(colourName)
        const tagPrice = (Math.floor(random() * 30) + 3) * 10000 + 9900 // ¥39 … ¥329 tag prices ending in 99
        const sizes = shape === 'tote' ? BAG_SIZES : SIZES[category]
        const tagCut = random() < 0.3
        products.push(
          await createProduct(trx, {
            brandId: brand.id,
            title: `${plan.name} ${COLOUR_ZH[colours[0]]}${adjZh}${nounZh}`,
            titleEn: `${plan.nameEn} ${colours[0]} ${adjEn} ${nounEn}`,
            description: `${adjZh}${nounZh}，品牌正品库存。${tagCut ? '剪标处理，介意慎拍。' : '吊牌齐全。'}`,
            descriptionEn: `${adjEn[0].toUpperCase()}${adjEn.slice(1)} ${nounEn}, genuine brand stock. ${tagCut ? 'The label has been cut (tag-cut); buy only if that is fine with you.' : 'All tags attached.'}`,
            category,
            tagPriceMinor: tagPrice,
            tagCut,
            imageSeed: `${category}:${shape}:${colourIdxs[0]}:${plan.slug}-${i}`,
            sizes,
            colours: colours.map((c) => COLOUR_ZH[c]),
            stockPerSku: 200,
          }),
        )
      }
      brandRows.push({ brand, plan, products })
    }

    await trx
      .insertInto('brand_applications')
      .values({
        company_name: '杭州云织服饰有限公司',
        contact_name: '陈晓',
        contact_phone: '13900001111',
        contact_email: 'chen@yunzhi.example',
        annual_sales_minor: 5_600_000_000,
        offline_stores: 86,
        categories: ['womens', 'mens'],
      })
      .execute()

    const sessionPlans = [
      { b: 0, startsAt: h(-6), title: '沐岚 冬季女装清仓', titleEn: 'MULAN winter clearance', items: 60 },
      { b: 1, startsAt: h(-30), title: '北岸 男装鞋包特卖', titleEn: 'Northshore menswear & shoes', items: 50 },
      { b: 2, startsAt: h(20), title: '小橡树 童装饰品预告', titleEn: 'Little Oak kids & accessories', items: 40 },
      // Ended ten days ago: its after-sale window (end + 7 days) has closed, so it has a settlement (demo orders).
      { b: 0, startsAt: h(-240), title: '沐岚 秋装尾货', titleEn: 'MULAN autumn leftovers', items: 30 },
    ]
    for (const plan of sessionPlans) {
      const { brand, products } = brandRows[plan.b]
      const session = await createSession(trx, {
        brandId: brand.id,
        startsAt: plan.startsAt,
        title: plan.title,
        titleEn: plan.titleEn,
      })
      const offset = plan.b === 0 && plan.items === 30 ? 45 : 0
      for (let i = 0; i < plan.items; i++) {
        const { product, skus } = products[(offset + i) % products.length]
        const discount = 0.2 + random() * 0.35 // 2–5.5折 of the tag price
        const base = Math.max(990, Math.round((product.tag_price_minor * discount) / 100) * 100 - 10)
        const quantity = random() < 0.12 ? Math.floor(random() * 4) : 5 + Math.floor(random() * 60)
        await addSessionItem(trx, {
          sessionId: session.id,
          productId: product.id,
          skuIds: skus.map((s) => s.id),
          basePriceMinor: base,
          quantity,
          position: i,
          minRetailPriceMinor: product.tag_cut
            ? null
            : Math.min(product.tag_price_minor, Math.round((base * 1.3) / 100) * 100),
          perMemberCap: random() < 0.3 ? 3 : null,
        })
      }
      await scheduleSessionBoundaries(trx, { id: session.id, startsAt: session.starts_at, endsAt: session.ends_at })
    }

    for (const [i, m] of MEMBERS.entries()) {
      await createUser(trx, {
        email: m.email,
        phone: `1380000000${i + 1}`,
        password: DEMO_PASSWORD,
        role: 'member',
        displayName: m.name,
        vipLevel: m.level,
      })
    }

    // Feature demo data: each feature seeds from its own db/seeds/<feature>.ts at its marker,
    // after the catalog above exists, inside the same transaction.
    await seedOnboarding(trx, { now, password: DEMO_PASSWORD })

    await seedCatalog(trx, now)

    await seedMembership(trx, now)

    await seedOrders(trx)

    await seedDemoOrders(trx, now)

    await seedReseller(trx, now)
  })
  // Customers order through the services that open their own transactions: after the rest has committed.
  await seedCustomerOrders(db, now)
}

export async function isEmpty(db: Db): Promise<boolean> {
  const row = await sql<{ n: number }>`select count(*)::int as n from users`.execute(db)
  return row.rows[0].n === 0
}

export function printLogins(logins: DemoLogin[]) {
  console.log('\nDemo logins (password for all: %s):', DEMO_PASSWORD)
  for (const l of logins) console.log(`  ${l.role.padEnd(9)} ${l.login.padEnd(28)} ${l.note}`)
  console.log('')
}

/** `customerOrderPath`: a seeded customer order's private page (its token is random), when there is one. */
export function demoLogins(customerOrderPath?: string | null): DemoLogin[] {
  const list: DemoLogin[] = [
    { role: 'operator', login: 'ops@demo.cm', password: DEMO_PASSWORD, note: 'platform operator' },
  ]
  for (const b of BRANDS)
    list.push({
      role: 'brand',
      login: `staff@${b.slug}.demo.cm`,
      password: DEMO_PASSWORD,
      note: `${b.name} ${b.nameEn}`,
    })
  list.push(...onboardingDemoLogins(DEMO_PASSWORD))
  for (const [i, m] of MEMBERS.entries()) {
    const code = DEMO_INVITE_CODES[m.email] ? ` · invitation code ${DEMO_INVITE_CODES[m.email]}` : ''
    list.push({
      role: 'member',
      login: m.email,
      password: DEMO_PASSWORD,
      note: `${m.level ? `VIP${m.level}` : 'Trial'} · ${m.name} (or phone 1380000000${i + 1})${code}`,
    })
  }
  list.push({ role: 'code', login: DEMO_CAMPAIGN_CODE, password: '', note: 'campaign invitation code for /register' })
  // Pages a newcomer opens in the browser: printed as full URLs.
  const origin = (setting('PUBLIC_URL') ?? `http://localhost:${setting('PORT')}`).replace(/\/$/, '')
  list.push({
    role: 'shop',
    login: `${origin}/shop/${DEMO_SHOP_HANDLE}`,
    password: '',
    note: "杭州Lily's shop (a whole live session; vip3@demo.cm manages it at /reseller/shop)",
  })
  if (customerOrderPath)
    list.push({
      role: 'customer',
      login: `${origin}${customerOrderPath}`,
      password: '',
      note: "a customer's order on Lily's shop (shipped, tracking); Lily sees it at /reseller/customers and /reseller/earnings",
    })
  return list
}

// `npm run db:seed`: seeds DATABASE_URL when it is empty (truncate it yourself to reseed).
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { createDb } = await import('./client')
  const { migrateToLatest } = await import('./migrate')
  const url = setting('DATABASE_URL')
  if (!url) {
    console.error('DATABASE_URL is not set (npm start seeds the embedded database by itself).')
    process.exit(1)
  }
  const db = createDb(url, { max: 2 })
  try {
    await migrateToLatest(db, url)
    if (!(await isEmpty(db))) console.log('The database already has users; not seeding.')
    else {
      await seed(db)
      const started = Date.now()
      const photos = await seedProductPhotos(db)
      console.log(`Demo photos: ${photos.looks} looks (${photos.shot} shot now) in ${Date.now() - started} ms`)
      printLogins(demoLogins(await demoCustomerOrderPath(db)))
    }
  } finally {
    await db.destroy()
  }
}
