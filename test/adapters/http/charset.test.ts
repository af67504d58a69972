import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeFeedBytes, detectCodec } from '../../../src/adapters/http/charset.js';

const prolog = (enc: string, title: string): string =>
  `<?xml version="1.0" encoding="${enc}"?><rss><channel><title>${title}</title></channel></rss>`;

describe('decodeFeedBytes', () => {
  it('decodes windows-1252 smart quotes, dashes and the euro sign (bytes 0x80–0x9F)', () => {
    const bytes = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="windows-1252"?><t>'),
      Buffer.from([0x93, 0x48, 0x69, 0x94, 0x20, 0x96, 0x20, 0x80, 0x35]),
      Buffer.from('</t>'),
    ]);
    expect(decodeFeedBytes(bytes)).toContain('<t>“Hi” – €5</t>');
  });

  it('reads ISO-8859-1 and US-ASCII labels as windows-1252, as browsers do', () => {
    const bytes = Buffer.concat([Buffer.from(prolog('ISO-8859-1', '')), Buffer.from([0x93, 0x94])]);
    expect(decodeFeedBytes(bytes).endsWith('“”')).toBe(true);
    expect(decodeFeedBytes(Buffer.from([0x93]), 'us-ascii')).toBe('“');
  });

  it('decodes EUC-KR named only in the XML declaration', () => {
    const bytes = iconv.encode(prolog('euc-kr', '북한 미사일 발사'), 'euc-kr');
    expect(decodeFeedBytes(bytes)).toContain('<title>북한 미사일 발사</title>');
  });

  it.each([
    ['shift_jis', '日本のニュース'],
    ['gb2312', '中国新闻'],
    ['big5', '台灣新聞'],
    ['koi8-r', 'Новости'],
    ['iso-8859-2', 'Zażółć'],
    ['windows-1251', 'Украина'],
  ])('decodes %s', (label, text) => {
    expect(decodeFeedBytes(iconv.encode(prolog(label, text), label))).toContain(`<title>${text}</title>`);
  });

  it('strips a UTF-8 BOM and lets it win over the declared encoding', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(prolog('windows-1252', 'Café')),
    ]);
    const text = decodeFeedBytes(bytes, 'iso-8859-1');
    expect(text.startsWith('<?xml')).toBe(true);
    expect(text).toContain('Café');
  });

  it('decodes UTF-16 with a BOM (both byte orders) and without one', () => {
    const doc = prolog('utf-16', 'Ukraine – Україна');
    expect(decodeFeedBytes(iconv.encode(doc, 'utf16le', { addBOM: true }))).toBe(doc);
    expect(decodeFeedBytes(iconv.encode(doc, 'utf16be', { addBOM: true }))).toBe(doc);
    expect(decodeFeedBytes(iconv.encode(doc, 'utf16le'))).toBe(doc);
  });

  it('prefers the Content-Type charset over the XML declaration', () => {
    const bytes = iconv.encode(prolog('utf-8', '€'), 'windows-1252');
    expect(decodeFeedBytes(bytes, 'windows-1252')).toContain('<title>€</title>');
    expect(detectCodec(bytes, 'windows-1252')).toBe('windows-1252');
  });

  it('falls back to UTF-8, and ignores charsets it cannot decode', () => {
    const bytes = Buffer.from('<rss><channel><title>naïve</title></channel></rss>');
    expect(decodeFeedBytes(bytes)).toContain('naïve');
    expect(decodeFeedBytes(bytes, 'x-no-such-charset')).toContain('naïve');
  });
});

describe('charsetFromContentType', () => {
  it.each([
    ['text/xml; charset=windows-1252', 'windows-1252'],
    ['application/rss+xml;charset="UTF-8"', 'UTF-8'],
    ['text/xml', null],
    [null, null],
  ])('%s', (header, expected) => {
    expect(charsetFromContentType(header)).toBe(expected);
  });
});
