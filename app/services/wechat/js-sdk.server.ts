// WeChat JS-SDK share cards: the access_token and jsapi_ticket fetched from WeChat and cached in this process
// until shortly before they expire (WeChat limits how often they may be fetched), and a signature per page URL.
// Without WECHAT_APP_ID/WECHAT_APP_SECRET nothing is fetched and pages load no WeChat script.
import { createHash, randomBytes } from 'node:crypto'
import { credentialRefreshAt, jsApiSignatureBase } from '#app/domain/wechat-share'
import { wechatConfig, type WechatConfig } from '#app/utils/env.server'

/** What a page hands to `wx.config`: enough to sign it in, nothing secret. */
export interface WechatShareConfig {
  appId: string
  timestamp: number
  nonceStr: string
  signature: string
}

interface Credential {
  value: string
  refreshAt: Date
}

const FETCH_TIMEOUT_MS = 3000
const credentials = new Map<string, Credential>()
const inFlight = new Map<string, Promise<string>>()

class WechatApiError extends Error {}

/** WeChat's in-app browser says so in its user agent; other browsers cannot use the JS-SDK. */
export function isWechatBrowser(userAgent: string | null): boolean {
  return /MicroMessenger/i.test(userAgent ?? '')
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
  if (!res.ok) throw new WechatApiError(`WeChat API answered ${res.status}`)
  const body = (await res.json()) as Record<string, unknown>
  // WeChat reports failures as 200 with a non-zero errcode.
  if (typeof body.errcode === 'number' && body.errcode !== 0)
    throw new WechatApiError(`WeChat API error ${body.errcode}: ${String(body.errmsg ?? '')}`)
  return body
}

/** One cached credential: fetched once however many requests ask at the same time, again once it is due. */
async function cached(key: string, now: Date, fetchIt: () => Promise<{ value: string; expiresIn: number }>) {
  const hit = credentials.get(key)
  if (hit && now < hit.refreshAt) return hit.value
  const pending = inFlight.get(key)
  if (pending) return pending
  const p = fetchIt()
    .then(({ value, expiresIn }) => {
      credentials.set(key, { value, refreshAt: credentialRefreshAt(now, expiresIn) })
      return value
    })
    .finally(() => inFlight.delete(key))
  inFlight.set(key, p)
  return p
}

function accessToken(config: WechatConfig, now: Date): Promise<string> {
  return cached(`token:${config.apiOrigin}:${config.appId}`, now, async () => {
    const url = new URL('/cgi-bin/token', config.apiOrigin)
    url.search = new URLSearchParams({
      grant_type: 'client_credential',
      appid: config.appId,
      secret: config.appSecret,
    }).toString()
    const body = await getJson(url.toString())
    if (typeof body.access_token !== 'string') throw new WechatApiError('no access_token')
    return { value: body.access_token, expiresIn: Number(body.expires_in ?? 7200) }
  })
}

function jsApiTicket(config: WechatConfig, now: Date): Promise<string> {
  return cached(`ticket:${config.apiOrigin}:${config.appId}`, now, async () => {
    const token = await accessToken(config, now)
    const url = new URL('/cgi-bin/ticket/getticket', config.apiOrigin)
    url.search = new URLSearchParams({ access_token: token, type: 'jsapi' }).toString()
    const body = await getJson(url.toString())
    if (typeof body.ticket !== 'string') throw new WechatApiError('no ticket')
    return { value: body.ticket, expiresIn: Number(body.expires_in ?? 7200) }
  })
}

export function signJsApi(input: { ticket: string; nonceStr: string; timestamp: number; url: string }): string {
  return createHash('sha1').update(jsApiSignatureBase(input)).digest('hex')
}

/**
 * The `wx.config` values for the page at `pageUrl`, or null when share cards are off or WeChat cannot be reached
 * (the page works without them: WeChat then shares its Open Graph title and link).
 */
export async function wechatShareConfig(pageUrl: string, now: Date): Promise<WechatShareConfig | null> {
  const config = wechatConfig()
  if (!config) return null
  let ticket: string
  try {
    ticket = await jsApiTicket(config, now)
  } catch {
    // Unreachable, slow or refusing: the page goes out without a share card rather than failing.
    return null
  }
  const nonceStr = randomBytes(12).toString('base64url')
  const timestamp = Math.floor(now.getTime() / 1000)
  return {
    appId: config.appId,
    timestamp,
    nonceStr,
    signature: signJsApi({ ticket, nonceStr, timestamp, url: pageUrl }),
  }
}

/** Forgets cached credentials (tests; also after the AppSecret is changed). */
export function forgetWechatCredentials(): void {
  credentials.clear()
  inFlight.clear()
}

/** Share-card settings for a public page request: only inside WeChat, signed for the URL it shows (public origin). */
export async function wechatShareForRequest(request: Request, origin: string, now: Date) {
  if (!isWechatBrowser(request.headers.get('User-Agent'))) return null
  const { pathname, search } = new URL(request.url)
  return wechatShareConfig(`${origin}${pathname}${search}`, now)
}
