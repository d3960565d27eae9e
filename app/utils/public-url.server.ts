import { env } from './env.server'

/** The absolute origin for links that leave the site (share URLs, OG images, QR codes). */
export function publicOrigin(request: Request): string {
  return (env().PUBLIC_URL ?? new URL(request.url).origin).replace(/\/$/, '')
}
