import { randomBytes } from 'node:crypto'

/** The policy of every response that is not a page (JSON, CSV, images, error text): nothing runs, nothing frames it. */
export const RESOURCE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

export const newNonce = () => randomBytes(16).toString('base64')

/**
 * The policy of a page: only our own scripts and the inline ones carrying this response's nonce run, plus WeChat's
 * JS-SDK when share cards are configured (`wechat`).
 */
export function documentCsp(nonce: string, options: { development?: boolean; wechat?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${options.wechat ? ' https://res.wx.qq.com' : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${options.development ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}
