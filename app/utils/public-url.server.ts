import { env } from './env.server'

/**
 * The absolute origin for links that leave the site (share URLs, Open Graph images, QR codes): PUBLIC_URL,
 * or http://localhost:PORT for local use. Never the request's Host header, which the client chooses.
 */
export function publicOrigin(): string {
  const e = env()
  return (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '')
}
