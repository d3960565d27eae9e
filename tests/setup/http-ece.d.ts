declare module 'http_ece' {
  import type { ECDH } from 'node:crypto'
  export function decrypt(
    buffer: Buffer,
    params: { version: 'aes128gcm' | 'aesgcm'; privateKey?: ECDH; authSecret?: string; dh?: string; key?: string },
  ): Buffer
  export function encrypt(buffer: Buffer, params: Record<string, unknown>): Buffer
  const ece: { decrypt: typeof decrypt; encrypt: typeof encrypt }
  export default ece
}
