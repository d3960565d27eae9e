import { SessionNotForwardableError, ForwardSelectionError } from '#app/domain/forwarding-errors'
// Reseller forwarding: profiles, retail prices, share links, cards and the public share page.
// The member's own price always comes from wholesalePriceFor(base, viewer, the session's VIP table); nothing
// that leaves for a consumer (share page, card, copy text, OG tags) carries it, the level, counts or the MAP.
import { randomBytes } from 'node:crypto'
import type { Db } from '#db/client'
import { enqueue } from '#jobs/enqueue'
import {
  findOwnShareLink,
  findResellerProfile,
  findResellerSession,
  findOwnerName,
  findShareLinkByToken,
  insertShareLink,
  listForwardableSessions,
  listItemSizes,
  listOwnShareLinks,
  listPricingItems,
  listShareLinkItems,
  revokeShareLink,
  upsertResellerPrices,
  upsertResellerProfile,
} from '#db/queries/reseller'
import { sessionPhase } from '#app/domain/clearance-sessions'
import { formatMoney, type Currency } from '#app/domain/money'
import { englishNames } from '#app/domain/option-names'
import { wholesalePriceFor, type Viewer } from '#app/domain/pricing'
import {
  assertRetailPrices,
  judgeOffer,
  prefillRetailPrice,
  previewRetailPrices,
  sizesLeft,
  type MarkupRule,
  type PreviewLine,
  type PricedItem,
  type Rounding,
} from '#app/domain/retail-pricing'
import { i18nFor, type Locale } from '#app/i18n'
import { listPricingInputs } from '#db/queries/reseller-shop'
import { formatDateTime } from '#app/utils/format'
import { cachedCardPng, type CardContent } from './cards.server'
import { changing } from './public-page-cache.server'
import { countShareViewSoon, flushShareViews } from './share-views.server'
import { loadPriceBook } from '../membership/pricing.server'
import { priceIssues, pricedItem, resellerPricer } from './offers.server'

export const MAX_LIST_ITEMS = 9
export const MAX_SINGLE_ITEMS = 30

export interface Member {
  id: string
  role: Viewer['role']
  vip_level: number
  display_name: string
}

export function newShareToken(): string {
  return randomBytes(16).toString('base64url') // 128 bits
}

// ---------------------------------------------------------------- profile

export interface ProfileView {
  displayName: string
  wechatId: string | null
  phone: string | null
  markup: MarkupRule | null
}

export async function getProfile(db: Db, member: Member): Promise<ProfileView> {
  const p = await findResellerProfile(db, member.id)
  return {
    displayName: p?.display_name ?? member.display_name,
    wechatId: p?.wechat_id ?? null,
    phone: p?.phone ?? null,
    markup:
      p?.markup_kind && p.markup_value != null
        ? { kind: p.markup_kind, value: p.markup_value, rounding: p.markup_rounding }
        : null,
  }
}

export async function saveProfile(db: Db, memberId: string, input: ProfileView, now: Date) {
  await changing(memberId, () =>
    upsertResellerProfile(db, {
      user_id: memberId,
      display_name: input.displayName,
      wechat_id: input.wechatId,
      phone: input.phone,
      markup_kind: input.markup?.kind ?? null,
      markup_value: input.markup?.value ?? null,
      markup_rounding: input.markup?.rounding ?? 'none',
      updated_at: now,
    }),
  )
}

// ---------------------------------------------------------------- pricing a session

function viewerOf(member: Member): Viewer {
  return { role: member.role, vipLevel: member.vip_level }
}

async function forwardableSession(db: Db, sessionId: string, now: Date) {
  const s = await findResellerSession(db, sessionId)
  if (!s || s.status !== 'scheduled' || s.brand_status !== 'live') return null
  return { ...s, phase: sessionPhase({ status: s.status, startsAt: s.starts_at, endsAt: s.ends_at }, now) }
}

/** The member's pricing inputs for items of a session (own price via the VIP table). */
async function pricedItems(db: Db, member: Member, sessionId: string, itemIds?: string[]) {
  const [rows, book] = await Promise.all([listPricingItems(db, sessionId, member.id, itemIds), loadPriceBook(db)])
  const tiers = book.tiersFor(sessionId)
  const sizes = await listItemSizes(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => {
    const skus = sizes.filter((s) => s.session_item_id === r.id)
    return {
      row: r,
      priced: {
        itemId: r.id,
        title: r.title,
        tagCut: r.tag_cut,
        minRetailPriceMinor: r.min_retail_price_minor,
        ownPriceMinor: wholesalePriceFor(r.base_price_minor, viewerOf(member), tiers)!,
      } satisfies PricedItem,
      sizesLeft: sizesLeft(skus),
      soldOut: skus.every((s) => s.available <= 0),
    }
  })
}

export async function forwardableSessions(db: Db, now: Date) {
  const rows = await listForwardableSessions(db, now)
  return rows.map((s) => ({
    id: s.id,
    title: s.title,
    titleEn: s.title_en,
    brandName: s.brand_name,
    brandNameEn: s.brand_name_en,
    startsAt: s.starts_at.toISOString(),
    endsAt: s.ends_at.toISOString(),
    phase: sessionPhase({ status: 'scheduled', startsAt: s.starts_at, endsAt: s.ends_at }, now),
  }))
}

/** The picker page: each item with the member's own price, the floor, and a suggested retail price. */
export async function sessionPricingPage(db: Db, member: Member, sessionId: string, now: Date) {
  const s = await forwardableSession(db, sessionId, now)
  if (!s) return null
  const [items, profile] = await Promise.all([pricedItems(db, member, sessionId), getProfile(db, member)])
  return {
    session: {
      id: s.id,
      title: s.title,
      titleEn: s.title_en,
      brandName: s.brand_name,
      brandNameEn: s.brand_name_en,
      endsAt: s.ends_at.toISOString(),
      startsAt: s.starts_at.toISOString(),
      phase: s.phase,
    },
    defaultMarkup: profile.markup,
    items: items.map(({ row, priced, sizesLeft, soldOut }) => {
      // The prefill never breaks a floor: a saved price that a later change broke, or a markup that falls short,
      // is raised to the floor (rounded up by her rule) and the row says so.
      const prefill = prefillRetailPrice(priced, row.saved_retail_minor, profile.markup)
      return {
        id: row.id,
        title: row.title,
        titleEn: row.title_en,
        imageSeed: row.image_seed,
        imagePath: row.image_path,
        tagCut: row.tag_cut,
        currency: row.currency,
        ownPriceMinor: priced.ownPriceMinor,
        minRetailPriceMinor: row.tag_cut ? null : row.min_retail_price_minor,
        savedRetailMinor: row.saved_retail_minor,
        suggestedRetailMinor: prefill?.priceMinor ?? null,
        prefillRaised: prefill?.raised ?? false,
        sizesLeft,
        soldOut,
      }
    }),
  }
}

export interface PriceInput {
  sessionId: string
  itemIds: string[]
  /** Explicit prices typed per item (fen). */
  prices: Map<string, number>
  /** A markup rule to apply to the selected items without an explicit price. */
  rule: MarkupRule | null
  /** Raise marked-up prices under a floor to the floor (rounded up by the rule). */
  raiseToFloor?: boolean
  now: Date
}

/**
 * Resolves each selected item's retail price: explicit, else the rule given, else the default markup, else the own
 * price.
 */
export async function previewPrices(db: Db, member: Member, input: PriceInput): Promise<PreviewLine[]> {
  const s = await forwardableSession(db, input.sessionId, input.now)
  if (!s || s.phase === 'ended') throw new SessionNotForwardableError('session cannot be forwarded')
  const unique = [...new Set(input.itemIds)]
  if (!unique.length) throw new ForwardSelectionError('select at least one item')
  const items = await pricedItems(db, member, input.sessionId, unique)
  if (items.length !== unique.length) throw new ForwardSelectionError('an item is not in this session')
  const rule = input.rule ?? (await getProfile(db, member)).markup
  const order = new Map(unique.map((id, i) => [id, i]))
  items.sort((a, b) => order.get(a.priced.itemId)! - order.get(b.priced.itemId)!)
  return previewRetailPrices(
    items.map((i) => i.priced),
    input.prices,
    rule,
    { raiseToFloor: input.raiseToFloor },
  )
}

/** Saves the prices and creates share links: one per item (`single`) or one list of up to 9 items. */
export async function forwardItems(db: Db, member: Member, input: PriceInput & { mode: 'single' | 'list' }) {
  const max = input.mode === 'list' ? MAX_LIST_ITEMS : MAX_SINGLE_ITEMS
  if (new Set(input.itemIds).size > max) throw new ForwardSelectionError(`at most ${max} items`, { max })
  const lines = await previewPrices(db, member, input)
  assertRetailPrices(lines)
  const currency = 'CNY'
  return changing(member.id, () =>
    db.transaction().execute(async (trx) => {
      await upsertResellerPrices(
        trx,
        member.id,
        lines.map((l) => ({ itemId: l.itemId, priceMinor: l.retailPriceMinor, currency })),
        input.now,
      )
      const groups = input.mode === 'list' ? [lines] : lines.map((l) => [l])
      const links = []
      for (const group of groups) {
        links.push(
          await insertShareLink(trx, {
            token: newShareToken(),
            userId: member.id,
            sessionId: input.sessionId,
            kind: input.mode === 'list' ? 'list' : 'item',
            now: input.now,
            items: group.map((l) => ({ itemId: l.itemId, priceMinor: l.retailPriceMinor, currency })),
          }),
        )
      }
      // Her posters are drawn by the job worker right away (one at a time, in the bounded render pool), so the
      // first people she sends them to do not wait for a render.
      await enqueue(trx, 'render_share_posters', { tokens: links.map((l) => l.token) }, { maxAttempts: 3 })
      return links
    }),
  )
}

/**
 * The forwarding form: a preview of the selected items' prices, or their share links. A markup asked for in a
 * preview prices the items whose price she did not type (`typed`); typed prices are kept and checked.
 */
export async function submitForwardForm(
  db: Db,
  member: Member,
  input: PriceInput & { intent: 'preview' | 'single' | 'list'; typed: ReadonlySet<string> },
): Promise<{ preview: (PreviewLine & { typed: boolean })[] } | { links: { id: string }[] }> {
  const { intent, typed: typedIds, ...priceInput } = input
  if (intent !== 'preview') return { links: await forwardItems(db, member, { ...priceInput, mode: intent }) }
  const prices = input.rule ? new Map([...input.prices].filter(([id]) => typedIds.has(id))) : input.prices
  const lines = await previewPrices(db, member, { ...priceInput, prices })
  return { preview: lines.map((l) => ({ ...l, typed: prices.has(l.itemId) })) }
}

// ---------------------------------------------------------------- the member's links

export async function resellerDashboard(db: Db, member: Member, now: Date) {
  await flushShareViews(db)
  const [links, sessions, issues] = await Promise.all([
    listOwnShareLinks(db, member.id),
    forwardableSessions(db, now),
    priceIssues(db, member.id, now),
  ])
  const items = await listShareLinkItems(
    db,
    links.map((l) => l.id),
  )
  return {
    sessions,
    issues,
    links: links.map((l) => ({
      id: l.id,
      kind: l.kind,
      views: l.views,
      revoked: l.revoked_at != null,
      createdAt: l.created_at.toISOString(),
      sessionTitle: l.session_title,
      sessionTitleEn: l.session_title_en,
      endsAt: l.ends_at.toISOString(),
      items: items
        .filter((i) => i.share_link_id === l.id)
        .map((i) => ({
          id: i.session_item_id,
          title: i.title,
          titleEn: i.title_en,
          imageSeed: i.image_seed,
          imagePath: i.image_path,
          priceMinor: i.retail_price_minor,
          currency: i.currency,
          views: i.views,
        })),
    })),
  }
}

export async function revokeLink(db: Db, member: Member, linkId: string, now: Date): Promise<boolean> {
  return changing(member.id, () => revokeShareLink(db, linkId, member.id, now))
}

export function shareUrl(origin: string, token: string) {
  return `${origin}/s/${token}`
}

export function cardUrl(origin: string, token: string, opts: { item?: string; locale?: Locale } = {}) {
  const q = new URLSearchParams()
  if (opts.item) q.set('item', opts.item)
  if (opts.locale && opts.locale !== 'zh-CN') q.set('lang', opts.locale)
  const qs = q.toString()
  return `${origin}/s/${token}/card.png${qs ? `?${qs}` : ''}`
}

/** The member's view of one of their links: share URL, card URLs, copy texts, views. Null when not theirs. */
export async function ownLinkPage(db: Db, member: Member, linkId: string, origin: string, now: Date) {
  await flushShareViews(db)
  const link = await findOwnShareLink(db, linkId, member.id)
  if (!link) return null
  const content = await shareContent(db, link, now)
  if (!content) return null
  return {
    id: link.id,
    kind: link.kind,
    token: link.token,
    views: link.views,
    revoked: link.revoked_at != null,
    url: shareUrl(origin, link.token),
    cards: {
      zh: cardUrl(origin, link.token),
      en: cardUrl(origin, link.token, { locale: 'en' }),
      items: content.items.map((i) => ({
        id: i.id,
        zh: cardUrl(origin, link.token, { item: i.id }),
        en: cardUrl(origin, link.token, { item: i.id, locale: 'en' }),
      })),
    },
    copyText: {
      'zh-CN': shareCopyText(content, 'zh-CN', shareUrl(origin, link.token)),
      en: shareCopyText(content, 'en', shareUrl(origin, link.token)),
    },
    session: content.session,
    items: content.items.map((i) => ({ ...i, views: content.itemViews.get(i.id) ?? 0 })),
  }
}

// ---------------------------------------------------------------- what consumers see

type LinkRow = NonNullable<Awaited<ReturnType<typeof findShareLinkByToken>>>

/**
 * Everything a consumer may see of a share link, and nothing more: the reseller's price, availability,
 * sizes in stock (no counts), session window, the reseller's name and contact.
 */
async function shareContent(db: Db, link: LinkRow, now: Date) {
  const [session, rows, profile, owner] = await Promise.all([
    findResellerSession(db, link.session_id),
    listShareLinkItems(db, [link.id]),
    findResellerProfile(db, link.user_id),
    findOwnerName(db, link.user_id),
  ])
  if (!session || !owner) return null
  const [sizes, pricer, inputs] = await Promise.all([
    listItemSizes(
      db,
      rows.map((r) => r.session_item_id),
    ),
    resellerPricer(db, link.user_id),
    listPricingInputs(db, { itemIds: rows.map((r) => r.session_item_id) }),
  ])
  // A link's prices were valid when it was made; floors may have moved since (see offers.server.ts).
  const buyable = (itemId: string, price: number) => {
    const input = inputs.find((i) => i.id === itemId)
    return pricer != null && input != null && judgeOffer(pricedItem(pricer, input), price, null).violation == null
  }
  const phase = sessionPhase({ status: session.status, startsAt: session.starts_at, endsAt: session.ends_at }, now)
  return {
    reseller: {
      name: profile?.display_name ?? owner.display_name,
      wechatId: profile?.wechat_id ?? null,
      phone: profile?.phone ?? null,
    },
    session: {
      title: session.title,
      titleEn: session.title_en,
      brandName: session.brand_name,
      brandNameEn: session.brand_name_en,
      startsAt: session.starts_at.toISOString(),
      endsAt: session.ends_at.toISOString(),
      phase: phase === 'cancelled' || phase === 'draft' ? ('ended' as const) : phase,
    },
    items: rows.map((r) => {
      const own = sizes.filter((s) => s.session_item_id === r.session_item_id)
      const left = sizesLeft(own)
      return {
        id: r.session_item_id,
        title: r.title,
        titleEn: r.title_en,
        imageSeed: r.image_seed,
        imagePath: r.image_path,
        tagCut: r.tag_cut,
        priceMinor: r.retail_price_minor,
        currency: r.currency,
        availability: left.length ? ('in_stock' as const) : ('sold_out' as const),
        sizesLeft: left,
        sizesLeftEn: englishNames(
          left,
          own.map((s) => ({ value: s.size, en: s.size_en })),
        ),
        buyable: buyable(r.session_item_id, r.retail_price_minor),
      }
    }),
    itemViews: new Map(rows.map((r) => [r.session_item_id, r.views])),
  }
}
export type ShareContent = NonNullable<Awaited<ReturnType<typeof shareContent>>>

const pickTitle = (locale: Locale, zh: string, en: string) => (locale === 'en' && en ? en : zh)
/** Size names are brand data: English readers get the English names the brand gave. */
const sizeLabels = (item: { sizesLeft: string[]; sizesLeftEn: string[] }, locale: Locale) =>
  locale === 'en' ? item.sizesLeftEn : item.sizesLeft
const fmt = (minor: number, currency: string, locale: string) =>
  formatMoney({ amountMinor: minor, currency: currency as Currency }, locale)

/** Copy text to paste into WeChat. Built only from share content, so it cannot carry a wholesale price. */
export function shareCopyText(
  content: Pick<ShareContent, 'reseller' | 'session' | 'items'>,
  locale: Locale,
  url: string,
): string {
  const t = i18nFor(locale).t
  const lines = [
    t('reseller.copy.header', {
      session: pickTitle(locale, content.session.title, content.session.titleEn),
      time: formatDateTime(content.session.endsAt, locale),
    }),
  ]
  for (const i of content.items) {
    lines.push(
      t('reseller.copy.itemLine', {
        title: pickTitle(locale, i.title, i.titleEn),
        price: fmt(i.priceMinor, i.currency, locale),
        tagCut: i.tagCut ? t('reseller.copy.tagCutNote') : '',
      }),
    )
    lines.push(
      i.sizesLeft.length
        ? t('reseller.copy.sizes', { sizes: sizeLabels(i, locale).join(' / ') })
        : t('reseller.copy.soldOut'),
    )
  }
  lines.push(t('reseller.copy.link', { url }))
  lines.push(t('reseller.copy.contact', { name: content.reseller.name }))
  if (content.reseller.wechatId) lines.push(t('reseller.copy.wechat', { id: content.reseller.wechatId }))
  if (content.reseller.phone) lines.push(t('reseller.copy.phone', { phone: content.reseller.phone }))
  return lines.join('\n')
}

export type ShareLookup =
  | { status: 'missing' }
  | { status: 'revoked' }
  | { status: 'ok'; token: string; kind: 'item' | 'list'; content: Omit<ShareContent, 'itemViews'> }

/** What every visitor of a share link sees, with whose link it is; no view counted. */
export async function sharePageContent(
  db: Db,
  token: string,
  now: Date,
): Promise<{ lookup: ShareLookup; ownerId: string | null; linkId: string | null }> {
  const none = (lookup: ShareLookup) => ({ lookup, ownerId: null, linkId: null })
  if (!/^[A-Za-z0-9_-]{22,64}$/.test(token)) return none({ status: 'missing' })
  const link = await findShareLinkByToken(db, token)
  if (!link) return none({ status: 'missing' })
  const owned = (lookup: ShareLookup) => ({ lookup, ownerId: link.user_id, linkId: link.id })
  if (link.revoked_at) return owned({ status: 'revoked' })
  const content = await shareContent(db, link, now)
  if (!content) return owned({ status: 'missing' })
  const { itemViews: _views, ...rest } = content
  return owned({ status: 'ok', token: link.token, kind: link.kind, content: rest })
}

/** The public share page; counts one view when `count` is set, unless the viewer is the reseller. */
export async function sharePage(
  db: Db,
  token: string,
  now: Date,
  opts: { count: boolean; viewerId?: string | null },
): Promise<ShareLookup> {
  const { lookup, ownerId, linkId } = await sharePageContent(db, token, now)
  if (lookup.status === 'ok' && opts.count && linkId && opts.viewerId !== ownerId) countShareViewSoon(db, linkId)
  return lookup
}

/** Draws (into the poster cache) each link's poster in both languages; a link gone since is skipped. */
export async function prerenderSharePosters(db: Db, tokens: string[], opts: { origin: string; now: Date }) {
  for (const token of tokens)
    for (const locale of ['zh-CN', 'en'] as const)
      await shareCard(db, token, { locale, origin: opts.origin, now: opts.now })
}

/** What a link's poster draws (single card, a list's grid, or one item of a list), from what its visitors see. */
export function posterContent(
  page: ShareLookup,
  token: string,
  opts: { itemId?: string; locale: Locale; origin: string },
): { status: 'missing' | 'revoked' } | { status: 'ok'; content: CardContent } {
  if (page.status !== 'ok') return page
  const { content } = page
  const items = opts.itemId ? content.items.filter((i) => i.id === opts.itemId) : content.items
  if (!items.length) return { status: 'missing' as const }
  return {
    status: 'ok',
    content: {
      kind: items.length > 1 ? 'grid' : 'single',
      locale: opts.locale,
      items: items.map((i) => ({
        title: pickTitle(opts.locale, i.title, i.titleEn),
        priceMinor: i.priceMinor,
        currency: i.currency,
        tagCut: i.tagCut,
        sizesLeft: sizeLabels(i, opts.locale),
        imageSeed: i.imageSeed,
        imagePath: i.imagePath,
      })),
      endsAt: content.session.endsAt,
      resellerName: content.reseller.name,
      shareUrl: shareUrl(opts.origin, token),
      heading: pickTitle(opts.locale, content.session.title, content.session.titleEn),
      ended: content.session.phase === 'ended',
    },
  }
}

/** The card PNG of a share link, read afresh from the database (the job that draws a new link's posters). */
export async function shareCard(
  db: Db,
  token: string,
  opts: { itemId?: string; locale: Locale; origin: string; now: Date },
) {
  const poster = posterContent(await sharePage(db, token, opts.now, { count: false }), token, opts)
  if (poster.status !== 'ok') return poster
  const { png, hash } = await cachedCardPng(poster.content)
  return { status: 'ok' as const, png, hash, content: poster.content }
}

export type { Rounding }
