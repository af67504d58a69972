/**
 * Dates as feeds write them: W3C-DTF / ISO 8601 (Atom, dc:date) and RFC 822 with its many real-world variants
 * (two-digit years, missing commas, `UTC`, zone names, asctime order). A date without a zone is read as UTC,
 * never as the server's local time. Anything else is null rather than a guess.
 */

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
}; // prettier-ignore

// Offsets in minutes for the zone names RFC 822 allows, plus a few common extras.
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480,
  pdt: -420, a: -60, m: -720, n: 60, y: 720, bst: 60, cet: 60, cest: 120, eet: 120, eest: 180, jst: 540,
  kst: 540, ist: 330, aest: 600, aedt: 660, hst: -600, akst: -540, akdt: -480,
}; // prettier-ignore

const ISO =
  /^(\d{4})(?:-?(\d{2})(?:-?(\d{2})(?:[T\s]+(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/i;

function utc(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
  offsetMin: number,
): Date | null {
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return null;
  const t = Date.UTC(y, mo, d, h, mi, Math.min(s, 59), ms) - offsetMin * 60_000;
  return Number.isNaN(t) ? null : new Date(t);
}

function offsetFromNumeric(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.replace(/[^0-9]/g, '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4) || '0');
  return sign * (hours * 60 + minutes);
}

function parseIso(s: string): Date | null {
  const m = ISO.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const offset = !zone || zone.toLowerCase() === 'z' ? 0 : offsetFromNumeric(zone);
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  return utc(
    Number(y),
    Number(mo ?? '1') - 1,
    Number(d ?? '1'),
    Number(h ?? '0'),
    Number(mi ?? '0'),
    Number(sec ?? '0'),
    ms,
    offset,
  );
}

/** RFC 822 and relatives: tokens in any order as long as they are recognisable. */
function parseLoose(s: string): Date | null {
  const tokens = s.split(/[\s,]+/).filter(Boolean);
  let month: number | null = null;
  let time: number[] | null = null;
  let offset: number | null = null;
  const numbers: string[] = [];
  for (const raw of tokens) {
    const tok = raw.replace(/\.$/, '');
    const lower = tok.toLowerCase();
    const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$/.exec(tok);
    if (clock) time = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? '0')];
    else if (/^[+-]\d{2}:?\d{2}$/.test(tok) && time) offset = offsetFromNumeric(tok);
    else if (/^\d+$/.test(tok)) numbers.push(tok);
    else if (month === null && MONTHS[lower.slice(0, 3)] !== undefined && /^[a-z]+$/.test(lower))
      month = MONTHS[lower.slice(0, 3)] ?? null;
    else if (ZONES[lower] !== undefined && offset === null) offset = ZONES[lower] ?? 0;
    else if (/^(gmt|utc)[+-]\d{1,2}(:?\d{2})?$/.test(lower))
      offset = offsetFromNumeric(lower.slice(3).padEnd(5, '0'));
    else if (/^[a-z]+$/.test(lower) && lower.length >= 3)
      continue; // weekday names and the like
    else return null;
  }
  if (month === null || numbers.length < 2) return null;
  const dayIdx = numbers.findIndex((n) => n.length <= 2 && Number(n) >= 1 && Number(n) <= 31);
  if (dayIdx < 0) return null;
  const yearTok = numbers.find((_, i) => i !== dayIdx);
  if (yearTok === undefined) return null;
  let year = Number(yearTok);
  if (yearTok.length <= 2) year += year < 50 ? 2000 : 1900;
  const [h = 0, mi = 0, sec = 0] = time ?? [];
  return utc(year, month, Number(numbers[dayIdx]), h, mi, sec, 0, offset ?? 0);
}

// The shape nearly every RSS feed writes (`Tue, 04 Mar 2025 09:05:00 GMT`), read in one match; any other
// shape goes through the general readers, which give the same result for this one.
const RFC822 =
  /^(?:(?:mon|tue|wed|thu|fri|sat|sun)(?:,\s*|\s+))?(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(?:([+-]\d{4})|([a-z]+))$/i;

function parseRfc822(s: string): Date | null | undefined {
  const m = RFC822.exec(s);
  if (!m) return undefined;
  const [, d = '', mon = '', y = '', h = '', mi = '', sec, numeric, name] = m;
  const offset = numeric !== undefined ? offsetFromNumeric(numeric) : ZONES[(name ?? '').toLowerCase()];
  if (offset === undefined) return undefined;
  const day = Number(d);
  if (day < 1 || day > 31) return null;
  const month = MONTHS[mon.toLowerCase()] ?? 0;
  return utc(Number(y), month, day, Number(h), Number(mi), Number(sec ?? '0'), 0, offset);
}

/** A feed's date string to a Date, or null when absent or not understood. */
export function parseFeedDate(value: string | null | undefined): Date | null {
  const s = (value ?? '').trim();
  if (!s) return null;
  const common = parseRfc822(s);
  if (common !== undefined) return common;
  return parseIso(s) ?? parseLoose(s);
}
