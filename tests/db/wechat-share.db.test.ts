import { createHash } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loader as shareLoader } from '#app/routes/s.$token'
import { loader as shopLoader } from '#app/routes/shop.$handle'
import { forwardItems } from '#app/services/reseller/forwarding.server'
import { shopAction } from '#app/services/reseller/shop.server'
import { forgetWechatCredentials } from '#app/services/wechat/js-sdk.server'
import { documentCsp } from '#app/utils/csp.server'
import { publicOrigin } from '#app/utils/public-url.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { BASE, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'
import { startWechatStandIn, type WechatStandIn } from '#tests/setup/wechat-stand-in'

// Share and shop pages opened inside WeChat carry a signed wx.config when WECHAT_APP_ID/SECRET are set; the
// access_token and jsapi_ticket are fetched once and cached. Without the settings nothing is fetched or loaded.
const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47'
let t: TestDatabase
let wx: WechatStandIn
let token = ''
const now = new Date()

beforeAll(async () => {
  t = await createTestDatabase()
  wx = await startWechatStandIn()
  const brand = await createBrand(t.db)
  const session = await createSession(t.db, { brandId: brand.id, startsAt: new Date(now.getTime() - 3_600_000) })
  const p = await createProduct(t.db, { brandId: brand.id, title: '真丝衬衫', sizes: ['M'] })
  const item = await addSessionItem(t.db, {
    sessionId: session.id,
    productId: p.product.id,
    skuIds: p.skus.map((s) => s.id),
    basePriceMinor: 10000,
    quantity: 5,
  })
  const lily = await createUser(t.db, { vipLevel: 3, displayName: '杭州Lily' })
  const [link] = await forwardItems(
    t.db,
    { id: lily.id, role: 'member', vip_level: 3, display_name: '杭州Lily' },
    {
      mode: 'single',
      sessionId: session.id,
      itemIds: [item.id],
      prices: new Map([[item.id, 19900]]),
      rule: null,
      now,
    },
  )
  token = link!.token
  await shopAction(t.db, lily.id, { intent: 'handle', handle: 'lily-wx' }, null, now)
})
afterEach(() => {
  for (const k of Object.keys(wx.env())) delete process.env[k]
  forgetWechatCredentials()
  wx.requests.length = 0
  wx.failWith = null
})
afterAll(async () => {
  await wx.close()
  await t.drop()
})

const inWechat = (path: string, ua = WECHAT_UA) => new Request(BASE + path, { headers: { 'User-Agent': ua } })
async function share(path = `/s/${token}?from=moments`, ua?: string) {
  const res = await settle(() => shareLoader({ request: inWechat(path, ua), params: { token }, context: {} }))
  expect(res.status).toBe(200)
  return (await res.json()) as {
    wechat: { appId: string; timestamp: number; nonceStr: string; signature: string } | null
    og: { title: string }
  }
}
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex')

describe('WeChat share cards', () => {
  it('without the settings fetch nothing and load nothing', async () => {
    expect((await share()).wechat).toBeNull()
    expect(wx.requests).toEqual([])
    expect(documentCsp('n')).not.toContain('res.wx.qq.com')
  })

  it('signs the page URL with the cached jsapi_ticket, as WeChat documents', async () => {
    Object.assign(process.env, wx.env())
    const body = await share()
    const c = body.wechat!
    expect(c.appId).toBe(wx.appId)
    expect(Math.abs(c.timestamp - Math.floor(Date.now() / 1000))).toBeLessThan(60)
    expect(c.nonceStr).toMatch(/^[A-Za-z0-9_-]{16}$/)
    const url = `${publicOrigin()}/s/${token}?from=moments`
    expect(c.signature).toBe(
      sha1(`jsapi_ticket=${wx.ticket}&noncestr=${c.nonceStr}&timestamp=${c.timestamp}&url=${url}`),
    )
    // A second page and the shop reuse the token and ticket: WeChat was asked once for each.
    await share()
    const shop = await settle(() =>
      shopLoader({ request: inWechat('/shop/lily-wx'), params: { handle: 'lily-wx' }, context: {} }),
    )
    expect(((await shop.json()) as { wechat: unknown }).wechat).toMatchObject({ appId: wx.appId })
    expect(wx.requests.map((r) => r.path)).toEqual(['/cgi-bin/token', '/cgi-bin/ticket/getticket'])
    expect(wx.requests[0]!.query).toMatchObject({ appid: wx.appId, secret: wx.appSecret })
    expect(documentCsp('n', { wechat: true })).toMatch(/script-src 'self' 'nonce-n' https:\/\/res\.wx\.qq\.com/)
  })

  it('outside WeChat asks WeChat nothing; a refusing WeChat leaves the page without a card', async () => {
    Object.assign(process.env, wx.env())
    expect((await share(undefined, 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126')).wechat).toBeNull()
    expect(wx.requests).toEqual([])
    wx.failWith = 40164
    const body = await share()
    expect(body.wechat).toBeNull()
    expect(body.og.title).toBe('真丝衬衫')
  })
})
