import { describe, it, expect } from 'vitest';
import { decodeHtmlMapped, htmlToText } from '../../src/core/html-text.js';

describe('htmlToText', () => {
  it('returns plain text unchanged apart from whitespace', () => {
    expect(htmlToText('NATO’s chief urges South Korea')).toBe('NATO’s chief urges South Korea');
    expect(htmlToText('  Seoul \n\t talks  ')).toBe('Seoul talks');
    expect(htmlToText('')).toBe('');
  });

  it('decodes named, numeric and double-encoded entities', () => {
    expect(htmlToText('Tom &amp; Jerry')).toBe('Tom & Jerry');
    expect(htmlToText('NATO&#8217;s chief')).toBe('NATO’s chief');
    expect(htmlToText('NATO&#x2019;s chief')).toBe('NATO’s chief');
    expect(htmlToText('NATO&rsquo;s chief')).toBe('NATO’s chief');
    expect(htmlToText('NATO&amp;#8217;s chief')).toBe('NATO’s chief');
    expect(htmlToText('Caf&amp;eacute; owner')).toBe('Café owner');
    expect(htmlToText('a&amp;amp;nbsp;b')).toBe('a\u00a0b'.replace(/\s+/g, ' '));
  });

  it('leaves text that only looks like an entity alone', () => {
    expect(htmlToText('AT&T and R&D & more')).toBe('AT&T and R&D & more');
    expect(htmlToText('&bogus; &amp')).toBe('&bogus; &amp');
  });

  it('strips tags; inline tags join, block tags separate words', () => {
    expect(htmlToText('<p>Kim <b>Jong</b>-un</p>')).toBe('Kim Jong-un');
    expect(htmlToText('Ukr<i>aine</i>')).toBe('Ukraine');
    expect(htmlToText('<ul><li>Seoul</li><li>Tokyo</li></ul>')).toBe('Seoul Tokyo');
    expect(htmlToText('line one<br>line two<br/>three<BR />four')).toBe('line one line two three four');
    expect(htmlToText('<h2>Title</h2><div>Body</div>')).toBe('Title Body');
    expect(htmlToText('<table><tr><td>a</td><td>b</td></tr></table>')).toBe('a b');
    expect(htmlToText('<blockquote>quoted</blockquote>after')).toBe('quoted after');
  });

  it('never treats attribute values as text', () => {
    const html = '<a href="https://example.com/korea?x=1&amp;y=2" title=\'Korea > Japan\'>Read more</a>';
    expect(htmlToText(html)).toBe('Read more');
    expect(htmlToText('<img src="nato.png" alt="NATO logo">Caption')).toBe('Caption');
  });

  it('drops comments, script and style content', () => {
    expect(htmlToText('a<!-- hidden Korea -->b')).toBe('ab');
    expect(htmlToText('x<script>var korea = "<p>";</script>y')).toBe('x y');
    expect(htmlToText('x<style type="text/css">p { color: red }</style>y')).toBe('x y');
    expect(htmlToText('x<SCRIPT>never closed')).toBe('x');
    expect(htmlToText('x<!-- never closed')).toBe('x');
  });

  it('keeps CDATA content and escaped markup as text', () => {
    expect(htmlToText('<![CDATA[Seoul & Tokyo]]>')).toBe('Seoul & Tokyo');
    expect(htmlToText('XSS via &lt;script&gt; tags')).toBe('XSS via <script> tags');
  });

  it('keeps stray angle brackets that do not form a tag', () => {
    expect(htmlToText('3 < 5 and 7 > 2')).toBe('3 < 5 and 7 > 2');
    expect(htmlToText('a <b')).toBe('a <b');
  });

  it('is fast on many stray angle brackets', () => {
    const text = '<a'.repeat(50_000);
    const t0 = Date.now();
    expect(htmlToText(text)).toBe(text);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('decodeHtmlMapped', () => {
  it('maps every output unit back to its source span', () => {
    const src = '<p>NATO&#8217;s <b>chief</b></p>';
    const m = decodeHtmlMapped(src);
    expect(m.text).toBe(' NATO’s chief ');
    const at = m.text.indexOf('chief');
    expect(src.slice(m.starts![at]!, m.ends![at + 4]!)).toBe('chief');
    const apo = m.text.indexOf('’');
    expect(src.slice(m.starts![apo]!, m.ends![apo]!)).toBe('&#8217;');
  });

  it('uses an identity map for plain text', () => {
    expect(decodeHtmlMapped('plain text')).toEqual({ text: 'plain text', starts: null, ends: null });
  });
});
