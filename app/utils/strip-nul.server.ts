import { Transform, type TransformCallback } from 'node:stream'

/**
 * React 18.3.1's renderToPipeableStream writes its whole 2 KB buffer when a multi-byte character
 * does not fit at the end (react-dom-server.node writeStringChunk: `writeToDestination(destination,
 * currentView)`), so the unused, zero-filled tail goes out as NUL bytes: Chinese text at such a
 * boundary turns into "授��权" once React hydrates from the corrupted inline data (react/react#31134).
 * HTML never carries a legitimate NUL (React escapes data as JSON; PostgreSQL text cannot hold one),
 * so dropping every 0x00 byte restores the exact output.
 */
export class StripNulBytes extends Transform {
  override _transform(chunk: Buffer | Uint8Array | string, _enc: BufferEncoding, done: TransformCallback) {
    const buf =
      typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    if (buf.indexOf(0) === -1) return done(null, buf)
    const out = Buffer.allocUnsafe(buf.length)
    let n = 0
    for (let i = 0; i < buf.length; i++) if (buf[i] !== 0) out[n++] = buf[i]
    done(null, out.subarray(0, n))
  }
}
