// Which text encoding an uploaded CSV is in. Excel on Chinese Windows saves "CSV" as GBK (GB18030's subset),
// "Unicode text" as UTF-16, and "CSV UTF-8" with a byte-order mark; all are read as what they are, and a file
// that is none of them is refused rather than stored as replacement characters.
import iconv from 'iconv-lite'

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030'
export type DecodedCsv = { ok: true; text: string; encoding: CsvEncoding } | { ok: false; reason: 'unknown_encoding' }

/** Stands for a NUL byte in stored text (PostgreSQL text cannot hold U+0000); the row parser reports it. */
export const NUL_MARK = '\u2400'
const REPLACEMENT = '\uFFFD'

function utf16Without(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  // Without a BOM, UTF-16 text of mostly ASCII (the header row) has a zero in every other byte.
  const n = Math.min(bytes.length - (bytes.length % 2), 2048)
  if (n < 4) return null
  let zeroOdd = 0
  let zeroEven = 0
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++
    if (bytes[i + 1] === 0) zeroOdd++
  }
  const pairs = n / 2
  if (zeroOdd > pairs * 0.3 && zeroEven < pairs * 0.05) return 'utf-16le'
  if (zeroEven > pairs * 0.3 && zeroOdd < pairs * 0.05) return 'utf-16be'
  return null
}

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    return null
  }
}

function finish(text: string, encoding: CsvEncoding): DecodedCsv {
  return { ok: true, text: text.replaceAll('\u0000', NUL_MARK), encoding }
}

export function decodeCsv(input: Uint8Array): DecodedCsv {
  const bytes = input
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const text = strictUtf8(bytes.subarray(3))
    return text === null ? { ok: false, reason: 'unknown_encoding' } : finish(text, 'utf-8')
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return finish(iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16le'), 'utf-16le')
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return finish(iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16be'), 'utf-16be')
  const wide = utf16Without(bytes)
  if (wide) return finish(iconv.decode(Buffer.from(bytes), wide), wide)
  const utf8 = strictUtf8(bytes)
  if (utf8 !== null) return finish(utf8, 'utf-8')
  const gb = iconv.decode(Buffer.from(bytes), 'gb18030')
  // GB18030 maps almost every byte sequence; a replacement character means the bytes are no GB text either.
  if (!gb.includes(REPLACEMENT)) return finish(gb, 'gb18030')
  return { ok: false, reason: 'unknown_encoding' }
}

/** A cell that cannot be stored as typed: a NUL byte, a replacement character or another control character. */
export function unreadableCell(value: string): 'nul_byte' | 'bad_character' | null {
  if (value.includes(NUL_MARK)) return 'nul_byte'
  // eslint-disable-next-line no-control-regex
  if (value.includes(REPLACEMENT) || /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value))
    return 'bad_character'
  return null
}
