import iconv from 'iconv-lite';
import { isAscii } from 'node:buffer';

/**
 * Decoding feed bytes to text. Order of authority (RFC 7303 and what feed readers do): a byte order mark, then
 * the charset of the Content-Type header, then the XML declaration's encoding, then UTF-8.
 *
 * Labels follow the WHATWG Encoding Standard, as browsers do: ISO-8859-1, ASCII and friends decode as
 * windows-1252 (real "Latin-1" feeds use 0x80–0x9F for “ ” – €), EUC-KR as windows-949 and so on. Node's own
 * TextDecoder maps those bytes to C1 control characters, so iconv-lite does the decoding.
 */

// WHATWG label → iconv-lite codec, for labels whose iconv-lite name differs or whose meaning browsers widen.
const ALIASES: Record<string, string> = {
  'unicode-1-1-utf-8': 'utf8',
  'utf-8': 'utf8',
  utf8: 'utf8',
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  'iso_8859-1': 'windows-1252',
  'iso-ir-100': 'windows-1252',
  l1: 'windows-1252',
  latin1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  'ansi_x3.4-1968': 'windows-1252',
  cp819: 'windows-1252',
  ibm819: 'windows-1252',
  'x-cp1252': 'windows-1252',
  'iso-8859-9': 'windows-1254',
  latin5: 'windows-1254',
  'iso-8859-11': 'windows-874',
  'tis-620': 'windows-874',
  'euc-kr': 'cp949',
  'ks_c_5601-1987': 'cp949',
  'ks_c_5601-1989': 'cp949',
  ksc5601: 'cp949',
  ksc_5601: 'cp949',
  'windows-949': 'cp949',
  korean: 'cp949',
  gb2312: 'gbk',
  gb_2312: 'gbk',
  'gb_2312-80': 'gbk',
  chinese: 'gbk',
  'x-gbk': 'gbk',
  shift_jis: 'cp932',
  'shift-jis': 'cp932',
  sjis: 'cp932',
  'x-sjis': 'cp932',
  ms_kanji: 'cp932',
  'windows-31j': 'cp932',
  csshiftjis: 'cp932',
  big5: 'big5hkscs',
  'big5-hkscs': 'big5hkscs',
  'cn-big5': 'big5hkscs',
  'x-x-big5': 'big5hkscs',
  csbig5: 'big5hkscs',
  cskoi8r: 'koi8-r',
  koi: 'koi8-r',
  koi8: 'koi8-r',
  koi8_r: 'koi8-r',
  'koi8-ru': 'koi8-u',
  ibm866: 'cp866',
  '866': 'cp866',
  csibm866: 'cp866',
  macintosh: 'macintosh',
  mac: 'macintosh',
  'x-mac-roman': 'macintosh',
  csmacintosh: 'macintosh',
  'utf-16': 'utf16',
  'utf-16le': 'utf16le',
  'utf-16be': 'utf16be',
};

/** The iconv-lite codec for a charset label, or null if we cannot decode it. */
export function codecForLabel(label: string | null | undefined): string | null {
  if (!label) return null;
  const name = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  if (!name) return null;
  const codec = ALIASES[name] ?? (/^cp125\d$/.test(name) ? `windows-${name.slice(2)}` : name);
  return iconv.encodingExists(codec) ? codec : null;
}

/** The `charset` parameter of a Content-Type header value. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const m = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? '');
  return m?.[2] ?? null;
}

function bomCodec(bytes: Uint8Array): { codec: string; length: number } | null {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { codec: 'utf8', length: 3 };
  if (a === 0xfe && b === 0xff) return { codec: 'utf16be', length: 2 };
  if (a === 0xff && b === 0xfe) return { codec: 'utf16le', length: 2 };
  return null;
}

/** The encoding named by an XML declaration, also for UTF-16 documents that lack a BOM. */
function prologCodec(bytes: Uint8Array): string | null {
  const [a, b, c, d] = bytes;
  if (a === 0x3c && b === 0x00 && c === 0x3f && d === 0x00) return 'utf16le';
  if (a === 0x00 && b === 0x3c && c === 0x00 && d === 0x3f) return 'utf16be';
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString('latin1');
  const decl = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  const codec = codecForLabel(decl?.[1]);
  // A document that really were UTF-16 could not have been read as ASCII this far, so this label is wrong.
  return codec === 'utf16le' || codec === 'utf16be' ? 'utf8' : codec;
}

/** Which codec will be used to decode `bytes` (exported for tests and diagnostics). */
export function detectCodec(bytes: Uint8Array, headerCharset: string | null): string {
  return bomCodec(bytes)?.codec ?? codecForLabel(headerCharset) ?? prologCodec(bytes) ?? 'utf8';
}

/** Feed bytes to text, choosing the charset as described above; the BOM is not part of the text. */
export function decodeFeedBytes(bytes: Uint8Array, headerCharset: string | null = null): string {
  const bom = bomCodec(bytes);
  const codec = bom?.codec ?? detectCodec(bytes, headerCharset);
  const body = Buffer.from(
    bytes.buffer,
    bytes.byteOffset + (bom?.length ?? 0),
    bytes.length - (bom?.length ?? 0),
  );
  // Many feeds are plain ASCII (entities for everything else), checked here with SIMD: decoded as 'ascii' such a
  // body is the same text, made without UTF-8 decoding, and a large one (about 1 MB or more) is handed to V8 as an
  // external string instead of being copied into the heap.
  const text = codec === 'utf8' ? body.toString(isAscii(body) ? 'ascii' : 'utf8') : iconv.decode(body, codec);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
