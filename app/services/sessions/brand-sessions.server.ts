import type { Db } from '#db/client'
import { sessionsChanged, stockChanged } from '../catalog/kept-reads.server'
import {
  brandProductOptions,
  brandStatusForUpdate,
  findBrandSession,
  listBrandSessions,
  listSessionItemsWithSkus,
  listSkusWithFree,
  lockBrandSession,
  lockSkusForAllocation,
  insertDraftSession,
  setSessionDetails,
  markSessionScheduled,
  markSessionCancelled,
  findBrandProductPrices,
  sessionHasProduct,
  nextItemPosition,
  insertSessionItem,
  lockSessionItem,
  setItemPrices,
  deleteSessionItem,
  lockSessionItemSku,
  addToAllocation,
} from '#db/queries/brand-sessions'
import {
  allowedActions,
  can,
  sessionPhase,
  sessionWindowFor,
  startTimeProblem,
  type SessionAction,
} from '#app/domain/clearance-sessions'
import { brandActionRefusal, DepositRequiredError } from '#app/domain/brand-access'
import { AllocationExceededError, SessionLockedError } from '#app/domain/catalog-errors'
import { FieldRuleError } from '#app/domain/errors'
import { allocationShortfall, itemPriceProblems, sellThroughBps, soldUnits } from '#app/domain/session-items'
import type { ClearanceSession } from '#db/schema'
import { recordStockMovements } from '../catalog/stock-movements.server'
import { scheduleSessionBoundaries } from './boundaries.server'
import { releaseUnsold } from './release.server'

const notFound = () => new Response('Not found', { status: 404 })

function phaseOf(s: Pick<ClearanceSession, 'status' | 'starts_at' | 'ends_at'>, now: Date) {
  return sessionPhase({ status: s.status, startsAt: s.starts_at, endsAt: s.ends_at }, now)
}

function requireAction(
  s: Pick<ClearanceSession, 'status' | 'starts_at' | 'ends_at'>,
  action: SessionAction,
  now: Date,
) {
  const phase = phaseOf(s, now)
  if (!can(phase, action)) throw new SessionLockedError(`not allowed while the session is ${phase}`, { phase, action })
}

export async function brandSessionList(db: Db, brandId: string, now: Date) {
  const rows = await listBrandSessions(db, brandId)
  return rows.map((s) => {
    const stock = { allocated: s.allocated, available: s.available, released: s.released }
    return {
      id: s.id,
      title: s.title,
      titleEn: s.title_en,
      startsAt: s.starts_at.toISOString(),
      endsAt: s.ends_at.toISOString(),
      phase: phaseOf(s, now),
      itemCount: s.item_count ?? 0,
      allocated: s.allocated,
      sold: soldUnits(stock),
      remaining: s.available,
      released: s.released,
      sellThroughBps: sellThroughBps([stock]),
      bannerSeed: s.banner_seed,
      bannerPath: s.banner_path,
    }
  })
}

/** A session of the brand with its items per SKU, or null (unknown or another brand's). */
export async function brandSessionDetail(db: Db, brandId: string, sessionId: string, now: Date, addProductId?: string) {
  const s = await findBrandSession(db, brandId, sessionId)
  if (!s) return null
  const [rows, products] = await Promise.all([listSessionItemsWithSkus(db, s.id), brandProductOptions(db, brandId)])
  const items = new Map<
    string,
    {
      id: string
      productId: string
      title: string
      titleEn: string
      styleCode: string | null
      tagPriceMinor: number
      tagCut: boolean
      basePriceMinor: number
      minRetailPriceMinor: number | null
      perMemberCap: number | null
      currency: string
      imageSeed: string
      imagePath: string | null
      skus: {
        id: string
        skuId: string
        size: string
        colour: string
        sizeEn: string
        colourEn: string
        barcode: string
        allocated: number
        available: number
        released: number
        sold: number
      }[]
    }
  >()
  for (const r of rows) {
    if (!items.has(r.item_id)) {
      items.set(r.item_id, {
        id: r.item_id,
        productId: r.product_id,
        title: r.title,
        titleEn: r.title_en,
        styleCode: r.style_code,
        tagPriceMinor: r.tag_price_minor,
        tagCut: r.tag_cut,
        basePriceMinor: r.base_price_minor,
        minRetailPriceMinor: r.min_retail_price_minor,
        perMemberCap: r.per_member_cap,
        currency: r.currency,
        imageSeed: r.image_seed,
        imagePath: r.image_path,
        skus: [],
      })
    }
    items.get(r.item_id)!.skus.push({
      id: r.item_sku_id,
      skuId: r.sku_id,
      size: r.size,
      colour: r.colour,
      sizeEn: r.size_en,
      colourEn: r.colour_en,
      barcode: r.barcode,
      allocated: r.allocated,
      available: r.available,
      released: r.released,
      sold: soldUnits(r),
    })
  }
  const phase = phaseOf(s, now)
  const inSession = new Set(rows.map((r) => r.product_id))
  const addable = products.filter((p) => !inSession.has(p.id))
  const chosen = addProductId && addable.find((p) => p.id === addProductId)
  const chosenSkus = chosen ? await listSkusWithFree(db, chosen.id, now) : []
  return {
    session: {
      id: s.id,
      title: s.title,
      titleEn: s.title_en,
      status: s.status,
      phase,
      startsAt: s.starts_at.toISOString(),
      endsAt: s.ends_at.toISOString(),
      afterSaleDeadlineAt: s.after_sale_deadline_at.toISOString(),
      bannerSeed: s.banner_seed,
      bannerPath: s.banner_path,
      releasedAt: s.released_at?.toISOString() ?? null,
      actions: allowedActions(phase),
    },
    items: [...items.values()],
    products: addable.map((p) => ({
      id: p.id,
      title: p.title,
      titleEn: p.title_en,
      styleCode: p.style_code,
      tagPriceMinor: p.tag_price_minor,
      tagCut: p.tag_cut,
    })),
    chosen: chosen
      ? {
          id: chosen.id,
          title: chosen.title,
          titleEn: chosen.title_en,
          tagPriceMinor: chosen.tag_price_minor,
          tagCut: chosen.tag_cut,
          skus: chosenSkus.map((k) => ({
            id: k.id,
            size: k.size,
            colour: k.colour,
            sizeEn: k.size_en,
            colourEn: k.colour_en,
            barcode: k.barcode,
            stock: k.stock_on_hand,
            free: Math.max(0, k.stock_on_hand - k.held),
          })),
        }
      : null,
  }
}

export interface NewSessionInput {
  title: string
  titleEn: string
  startsAt: Date
  bannerPath?: string | null
}

/** A draft session: start ≥ now + lead time, exactly 48 h long, after-sale deadline = end + 7 days. */
export async function createBrandSession(db: Db, brandId: string, input: NewSessionInput, now: Date): Promise<string> {
  const problem = startTimeProblem(input.startsAt, now)
  if (problem) throw new FieldRuleError('start time not allowed', { startsAt: problem })
  const w = sessionWindowFor(input.startsAt)
  return insertDraftSession(db, {
    brandId,
    title: input.title,
    titleEn: input.titleEn,
    bannerSeed: `${brandId.slice(0, 8)}-${now.getTime().toString(36)}`,
    bannerPath: input.bannerPath ?? null,
    ...w,
  })
}

/** A draft's title and window can change until it is scheduled; the start keeps the lead-time rule. */
export async function updateSessionDetails(
  db: Db,
  brandId: string,
  sessionId: string,
  input: { title: string; titleEn: string; startsAt: Date },
  now: Date,
) {
  try {
    await db.transaction().execute(async (trx) => {
      const s = await lockBrandSession(trx, brandId, sessionId)
      if (!s) throw notFound()
      requireAction(s, 'edit_details', now)
      const problem = startTimeProblem(input.startsAt, now)
      if (problem) throw new FieldRuleError('start time not allowed', { startsAt: problem })
      const w = sessionWindowFor(input.startsAt)
      await setSessionDetails(trx, s.id, { title: input.title, titleEn: input.titleEn, ...w })
    })
  } finally {
    sessionsChanged()
  }
}

/** Moves a draft with stock to scheduled and enqueues its start and end jobs, in one transaction. */
export async function scheduleBrandSession(db: Db, brandId: string, sessionId: string, now: Date) {
  await db.transaction().execute(async (trx) => {
    const s = await lockBrandSession(trx, brandId, sessionId)
    if (!s) throw notFound()
    requireAction(s, 'schedule', now)
    const brand = await brandStatusForUpdate(trx, brandId)
    if (!brand) throw notFound()
    if (brandActionRefusal(brand, 'schedule_session')) {
      throw new DepositRequiredError('the brand deposit must be paid before a session can be scheduled', {
        depositPath: '/brand/deposit',
      })
    }
    const problem = startTimeProblem(s.starts_at, now)
    if (problem) throw new FieldRuleError('start time has passed the lead time', { startsAt: problem })
    const stock = await listSessionItemsWithSkus(trx, s.id)
    if (!stock.some((r) => r.allocated > 0))
      throw new FieldRuleError('a session needs at least one item with stock', { items: 'no_items' })
    await markSessionScheduled(trx, s.id)
    await scheduleSessionBoundaries(trx, { id: s.id, startsAt: s.starts_at, endsAt: s.ends_at })
  })
  sessionsChanged()
}

/** Cancels a draft or upcoming session and releases its allocation. */
export async function cancelBrandSession(db: Db, brandId: string, sessionId: string, now: Date) {
  try {
    await db.transaction().execute(async (trx) => {
      const s = await lockBrandSession(trx, brandId, sessionId)
      if (!s) throw notFound()
      requireAction(s, 'cancel', now)
      await markSessionCancelled(trx, s.id, now)
      await releaseUnsold(trx, brandId, s.id)
    })
  } finally {
    sessionsChanged()
  }
}

export interface AddItemInput {
  productId: string
  basePriceMinor: number
  minRetailPriceMinor: number | null
  perMemberCap: number | null
  skus: { skuId: string; quantity: number }[]
}

function priceFieldErrors(
  product: { tag_price_minor: number; tag_cut: boolean },
  basePriceMinor: number,
  minRetailPriceMinor: number | null,
) {
  const problems = itemPriceProblems({
    tagPriceMinor: product.tag_price_minor,
    tagCut: product.tag_cut,
    basePriceMinor,
    minRetailPriceMinor,
  })
  if (Object.keys(problems).length) throw new FieldRuleError('price rules', problems as Record<string, string>)
}

/**
 * Adds a product's SKUs to a draft or upcoming session. The SKU rows are locked, so two sessions
 * allocating the same SKU at once cannot together exceed its stock on hand.
 */
export async function addSessionItem(
  db: Db,
  brandId: string,
  sessionId: string,
  input: AddItemInput,
  now: Date,
): Promise<string> {
  const wanted = input.skus.filter((k) => k.quantity > 0)
  if (!wanted.length) throw new FieldRuleError('choose at least one SKU with a quantity', { skus: 'no_quantity' })
  const id = await db.transaction().execute(async (trx) => {
    const s = await lockBrandSession(trx, brandId, sessionId)
    if (!s) throw notFound()
    requireAction(s, 'add_item', now)
    const product = await findBrandProductPrices(trx, brandId, input.productId)
    if (!product) throw new FieldRuleError('unknown product', { productId: 'unknown_product' })
    priceFieldErrors(product, input.basePriceMinor, input.minRetailPriceMinor)
    if (await sessionHasProduct(trx, s.id, product.id))
      throw new FieldRuleError('already in this session', { productId: 'already_in_session' })
    const locked = await lockSkusForAllocation(
      trx,
      product.id,
      wanted.map((k) => k.skuId),
      now,
    )
    const fields: Record<string, string> = {}
    const values: Record<string, { free: number }> = {}
    for (const [i, k] of input.skus.entries()) {
      if (k.quantity <= 0) continue
      const sku = locked.find((l) => l.id === k.skuId)
      if (!sku) {
        fields[`skus[${i}].quantity`] = 'unknown_sku'
        continue
      }
      const short = allocationShortfall({
        stockOnHand: sku.stock_on_hand,
        heldElsewhere: sku.held,
        requested: k.quantity,
      })
      if (short) {
        fields[`skus[${i}].quantity`] = 'exceeds_free'
        values[`skus[${i}].quantity`] = { free: short.free }
      }
    }
    if (Object.keys(fields).length) throw new AllocationExceededError('allocation exceeds free stock', fields, values)
    const item = await insertSessionItem(trx, {
      sessionId: s.id,
      productId: product.id,
      basePriceMinor: input.basePriceMinor,
      minRetailPriceMinor: input.minRetailPriceMinor,
      perMemberCap: input.perMemberCap,
      position: await nextItemPosition(trx, s.id),
      skus: wanted,
    })
    await recordStockMovements(
      trx,
      item.skus.map((r) => ({
        brandId,
        sessionId: s.id,
        sessionItemSkuId: r.id,
        kind: 'allocate' as const,
        quantity: r.allocated,
      })),
    )
    return item.id
  })
  sessionsChanged()
  return id
}

/** Prices may change before the session goes live, never while it is live or after. */
export async function updateItemPrices(
  db: Db,
  brandId: string,
  sessionId: string,
  input: { itemId: string; basePriceMinor: number; minRetailPriceMinor: number | null; perMemberCap: number | null },
  now: Date,
) {
  try {
    await db.transaction().execute(async (trx) => {
      const s = await lockBrandSession(trx, brandId, sessionId)
      if (!s) throw notFound()
      requireAction(s, 'change_prices', now)
      const item = await lockSessionItem(trx, s.id, input.itemId)
      if (!item) throw notFound()
      priceFieldErrors(item, input.basePriceMinor, input.minRetailPriceMinor)
      await setItemPrices(trx, item.id, input)
    })
  } finally {
    sessionsChanged()
  }
}

export async function removeSessionItem(db: Db, brandId: string, sessionId: string, itemId: string, now: Date) {
  try {
    await db.transaction().execute(async (trx) => {
      const s = await lockBrandSession(trx, brandId, sessionId)
      if (!s) throw notFound()
      requireAction(s, 'remove_item', now)
      const item = await lockSessionItem(trx, s.id, itemId)
      if (!item) throw notFound()
      await deleteSessionItem(trx, item.id)
    })
  } finally {
    sessionsChanged()
  }
}

/** Adds units of one SKU to a session (allowed while live), within the SKU's free stock. */
export async function topUpSessionSku(
  db: Db,
  brandId: string,
  sessionId: string,
  input: { sessionItemSkuId: string; quantity: number },
  now: Date,
) {
  await db.transaction().execute(async (trx) => {
    const s = await lockBrandSession(trx, brandId, sessionId)
    if (!s) throw notFound()
    requireAction(s, 'top_up', now)
    // The session SKU before the catalog SKU: the order the checkout takes them in (a live session is topped up
    // while it sells).
    const row = await lockSessionItemSku(trx, s.id, input.sessionItemSkuId)
    if (!row) throw notFound()
    const [sku] = await lockSkusForAllocation(trx, row.product_id, [row.sku_id], now)
    const short = allocationShortfall({
      stockOnHand: sku.stock_on_hand,
      heldElsewhere: sku.held,
      requested: input.quantity,
    })
    if (short)
      throw new AllocationExceededError(
        'top-up exceeds free stock',
        { quantity: 'exceeds_free' },
        { quantity: { free: short.free } },
      )
    await addToAllocation(trx, row.id, input.quantity)
    await recordStockMovements(trx, [
      { brandId, sessionId: s.id, sessionItemSkuId: row.id, kind: 'top_up', quantity: input.quantity },
    ])
  })
  stockChanged()
}
