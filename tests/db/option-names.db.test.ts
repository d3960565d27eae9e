import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as optionNamesMigration from '#db/migrations/2026_12_06_2200_option_names_en'
import { loader as searchLoader } from '#app/routes/search'
import { saveProduct } from '#app/services/catalog/brand-catalog.server'
import { buyBox } from '#app/services/orders/cart.server'
import { productPage } from '#app/services/catalog/storefront.server'
import { runCatalogImport, startCatalogImport } from '#app/services/catalog/import.server'
import { memberOrderDetail } from '#app/services/orders/orders.server'
import { forwardItems, shareCard, sharePage } from '#app/services/reseller/forwarding.server'
import { setSearchEngine } from '#search/client'
import { OramaSearchEngine } from '#search/orama'
import { rebuildIndex } from '#search/sync'
import { addSessionItem, createBrand, createSession, createUser } from '#tests/fixtures/factories'
import { memberWithAddress, paidCheckout } from '#tests/fixtures/money-flows'
import { BASE, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// Sizes and colours brands type in Chinese carry English names per value: the brand's own, else the dictionary's,
// and English pages show them.
let t: TestDatabase
const now = new Date()
const ids: Record<string, string> = {}

const product = (over: Partial<Parameters<typeof saveProduct>[3]> = {}): Parameters<typeof saveProduct>[3] => ({
  styleCode: 'WN-1',
  title: '羊毛围巾',
  titleEn: 'Wool scarf',
  description: '',
  descriptionEn: '',
  category: 'jewellery',
  tagPrice: 39900,
  tagCut: false,
  skus: [
    { size: '均码', colour: '砖红', barcode: 'WN-1-A', stock: 50 },
    { size: '均码', colour: '雾霾蓝', barcode: 'WN-1-B', stock: 50 },
  ],
  // The brand names 砖红 itself and leaves 均码 to the dictionary; 雾霾蓝 is not in it.
  optionNames: [{ kind: 'colour', value: '砖红', en: 'Terracotta' }],
  ...over,
})

const skuNames = (productId: string) =>
  t.db
    .selectFrom('skus')
    .select(['size', 'colour', 'size_en', 'colour_en'])
    .where('product_id', '=', productId)
    .orderBy('barcode')
    .execute()

beforeAll(async () => {
  t = await createTestDatabase()
  const brand = await createBrand(t.db, { name: '沐岚', nameEn: 'Mulan' })
  ids.brand = brand.id
  ids.product = await saveProduct(t.db, brand.id, null, product(), now)
  const session = await createSession(t.db, {
    brandId: brand.id,
    startsAt: new Date(now.getTime() - 3_600_000),
    title: '冬季清仓',
    titleEn: 'Winter clearance',
  })
  ids.session = session.id
  const skus = await t.db.selectFrom('skus').select('id').where('product_id', '=', ids.product).execute()
  const item = await addSessionItem(t.db, {
    sessionId: session.id,
    productId: ids.product,
    skuIds: skus.map((s) => s.id),
    basePriceMinor: 10000,
    quantity: 20,
  })
  ids.item = item.id
  const engine = new OramaSearchEngine()
  await rebuildIndex(t.db, engine, now)
  setSearchEngine(engine)
})
afterAll(async () => {
  setSearchEngine(undefined)
  await t.drop()
})

describe('English names of sizes and colours', () => {
  it('stores the brand’s own name per value and fills the rest from the dictionary', async () => {
    expect(await skuNames(ids.product!)).toEqual([
      { size: '均码', colour: '砖红', size_en: 'One size', colour_en: 'Terracotta' },
      { size: '均码', colour: '雾霾蓝', size_en: 'One size', colour_en: '' },
    ])
    // Editing names 雾霾蓝 and renames 均码; the SKUs keep their ids.
    await saveProduct(
      t.db,
      ids.brand!,
      ids.product!,
      product({
        optionNames: [
          { kind: 'colour', value: '砖红', en: 'Terracotta' },
          { kind: 'colour', value: '雾霾蓝', en: 'Haze blue' },
          { kind: 'size', value: '均码', en: 'Free size' },
        ],
      }),
      now,
    )
    expect((await skuNames(ids.product!)).map((k) => [k.size_en, k.colour_en])).toEqual([
      ['Free size', 'Terracotta'],
      ['Free size', 'Haze blue'],
    ])
  })

  it('CSV import takes size_en / colour_en, else the dictionary', async () => {
    const staff = await createUser(t.db, { role: 'brand_staff', brandId: ids.brand })
    const csv = [
      'style_code,title,title_en,category,tag_price,tag_cut,description,size,colour,barcode,stock,size_en,colour_en',
      'CSV-1,针织衫,Knit,womens,299,0,,S,黑色,CSV-1-S,5,,',
      'CSV-1,针织衫,Knit,womens,299,0,,均码,酒红,CSV-1-F,5,,Wine',
    ].join('\n')
    const id = await startCatalogImport(t.db, {
      brandId: ids.brand!,
      userId: staff.id,
      fileName: 'x.csv',
      csvText: csv,
    })
    expect(await runCatalogImport(t.db, id, now)).toBe('done')
    const rows = await t.db
      .selectFrom('skus')
      .select(['barcode', 'size_en', 'colour_en'])
      .where('barcode', 'like', 'CSV-1-%')
      .orderBy('barcode')
      .execute()
    expect(rows).toEqual([
      { barcode: 'CSV-1-F', size_en: 'One size', colour_en: 'Wine' },
      { barcode: 'CSV-1-S', size_en: 'S', colour_en: 'Black' },
    ])
  })

  it('product page, buy box and search facets carry the English names', async () => {
    const page = await productPage(t.db, ids.product!, null, now)
    expect(page!.skus.map((k) => [k.sizeEn, k.colourEn])).toEqual([
      ['Free size', 'Terracotta'],
      ['Free size', 'Haze blue'],
    ])
    const buy = await buyBox(t.db, ids.product!, null, now)
    expect(buy!.options.map((o) => o.colourEn).sort()).toEqual(['Haze blue', 'Terracotta'])

    const res = await settle(() =>
      searchLoader({ request: getRequest('/search?colour=砖红'), params: {}, context: {} }),
    )
    const body = await res.json()
    expect(body.facets.size).toEqual([{ value: '均码', label: '均码', labelEn: 'Free size', count: 1 }])
    expect(body.facets.colour).toContainEqual({ value: '砖红', label: '砖红', labelEn: 'Terracotta', count: 1 })
    expect(body.selectedLabels.colour).toEqual({ 砖红: ['砖红', 'Terracotta'] })
  })

  it('share page and poster name sizes left in English', async () => {
    const lily = await createUser(t.db, { vipLevel: 3, displayName: '杭州Lily' })
    const [link] = await forwardItems(
      t.db,
      { id: lily.id, role: 'member', vip_level: 3, display_name: '杭州Lily' },
      {
        mode: 'single',
        sessionId: ids.session!,
        itemIds: [ids.item!],
        prices: new Map([[ids.item!, 19900]]),
        rule: null,
        now,
      },
    )
    const page = await sharePage(t.db, link!.token, now, { count: false })
    if (page.status !== 'ok') throw new Error('no share page')
    expect(page.content.items[0]).toMatchObject({ sizesLeft: ['均码'], sizesLeftEn: ['Free size'] })
    const card = await shareCard(t.db, link!.token, { locale: 'en', origin: BASE, now })
    expect(card.status).toBe('ok')
  })

  it('an order line shows its SKU’s English only while the SKU keeps the size and colour it was sold with', async () => {
    const { member, addressId } = await memberWithAddress(t.db)
    const sis = await t.db
      .selectFrom('session_item_skus as x')
      .innerJoin('skus as k', 'k.id', 'x.sku_id')
      .select(['x.id', 'k.colour'])
      .where('x.session_item_id', '=', ids.item!)
      .orderBy('k.colour')
      .execute()
    const placed = await paidCheckout(t.db, {
      memberId: member.id,
      addressId,
      lines: sis.map((s) => ({ sessionItemSkuId: s.id, quantity: 1 })),
      now,
    })
    const detail = async () =>
      (await memberOrderDetail(t.db, member.id, placed.orderIds[0]!, now))!.lines
        .map((l) => [l.colour, l.colourEn, l.sizeEn])
        .sort()
    expect(await detail()).toEqual([
      ['砖红', 'Terracotta', 'Free size'],
      ['雾霾蓝', 'Haze blue', 'Free size'],
    ])
    await t.db.updateTable('skus').set({ colour: '铁锈红' }).where('colour', '=', '砖红').execute()
    expect(await detail()).toEqual([
      ['砖红', '', 'Free size'],
      ['雾霾蓝', 'Haze blue', 'Free size'],
    ])
  })

  it('the migration backfills existing SKUs from the dictionary', async () => {
    const other = await createTestDatabase()
    try {
      await optionNamesMigration.down(other.db as never)
      const brand = await createBrand(other.db)
      const p = await other.db
        .insertInto('products')
        .values({ brand_id: brand.id, title: '围巾', category: 'jewellery', tag_price_minor: 100, image_seed: 'x' })
        .returning('id')
        .executeTakeFirstOrThrow()
      await sql`insert into skus (product_id, size, colour, barcode) values
        (${p.id}, '均码', '砖红', 'B1'), (${p.id}, 'M', '黑色', 'B2'), (${p.id}, 'L', '雾霾蓝', 'B3')`.execute(other.db)
      await optionNamesMigration.up(other.db as never)
      expect(
        await other.db.selectFrom('skus').select(['barcode', 'size_en', 'colour_en']).orderBy('barcode').execute(),
      ).toEqual([
        { barcode: 'B1', size_en: 'One size', colour_en: 'Brick red' },
        { barcode: 'B2', size_en: 'M', colour_en: 'Black' },
        { barcode: 'B3', size_en: 'L', colour_en: '' },
      ])
    } finally {
      await other.drop()
    }
  })
})
