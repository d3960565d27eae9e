// WeChat JS-SDK share cards: the signature input and how long fetched credentials are trusted (pure rules; the
// hashing and HTTP live in app/services/wechat).

export interface JsApiSignatureInput {
  ticket: string
  nonceStr: string
  /** Seconds since the epoch. */
  timestamp: number
  /** The page's full URL as the browser shows it; anything after '#' is not signed. */
  url: string
}

/**
 * The string WeChat's JS-SDK signature is the SHA-1 of: the fields jsapi_ticket, noncestr, timestamp and url as
 * key=value pairs, sorted by key (ASCII), joined with '&', values not URL-encoded.
 */
export function jsApiSignatureBase(input: JsApiSignatureInput): string {
  const fields: Record<string, string> = {
    jsapi_ticket: input.ticket,
    noncestr: input.nonceStr,
    timestamp: String(input.timestamp),
    url: input.url.split('#')[0]!,
  }
  return Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&')
}

/** Credentials are refreshed this long before WeChat says they expire, so a page never signs with a dead ticket. */
export const WECHAT_REFRESH_MARGIN_MS = 5 * 60_000

/** When a credential that WeChat said lives `expiresInSeconds` (fetched at `fetchedAt`) must be fetched again. */
export function credentialRefreshAt(fetchedAt: Date, expiresInSeconds: number): Date {
  const lifetime = Math.max(0, expiresInSeconds * 1000 - WECHAT_REFRESH_MARGIN_MS)
  return new Date(fetchedAt.getTime() + lifetime)
}
