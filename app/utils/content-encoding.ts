// Which compression a client is sent, for the bodies the server compresses itself (pages rendered on a render
// thread, and the pages kept whole: app/services/reseller/public-documents.server.ts), decided by the `negotiator`
// the `compression` middleware asks, with the same offer and preference, so that both answer a client alike.
import Negotiator from 'negotiator'

export type ContentEncoding = 'br' | 'gzip'

// compression 1.8's offer and preference (its SUPPORTED_ENCODING and PREFERRED_ENCODING).
const OFFERED = ['br', 'gzip', 'deflate', 'identity']
const PREFERRED = ['br', 'gzip']

/**
 * The encoding to send a compressible body in, or null for the body as it is. A client that sends no
 * Accept-Encoding gets the body; so does one that takes deflate before the others (`compression` would deflate it;
 * no browser asks for that).
 */
export function preferredEncoding(acceptEncoding: string | null | undefined): ContentEncoding | null {
  if (!acceptEncoding) return null
  const chosen = new Negotiator({ headers: { 'accept-encoding': acceptEncoding } }).encoding(OFFERED, PREFERRED)
  return chosen === 'br' || chosen === 'gzip' ? chosen : null
}

type KeptBody = { body: Buffer } & Record<ContentEncoding, Buffer>

/** The copy of a kept body in `encoding` (null: the body as it is). */
export const bodyIn = (kept: KeptBody, encoding: ContentEncoding | null) => (encoding ? kept[encoding] : kept.body)

/** A body kept with its compressed copies, as one client is sent it. */
export function encodedBody(
  kept: KeptBody,
  acceptEncoding: string | null | undefined,
): { body: Buffer; encoding: ContentEncoding | null } {
  const encoding = preferredEncoding(acceptEncoding)
  return { body: bodyIn(kept, encoding), encoding }
}
