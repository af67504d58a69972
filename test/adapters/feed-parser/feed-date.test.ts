import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../../../src/adapters/feed-parser/feed-date.js';

describe('parseFeedDate', () => {
  it.each([
    ['2003-12-31T10:14:55Z', '2003-12-31T10:14:55.000Z'],
    ['2003-12-31T10:14:55-08:00', '2003-12-31T18:14:55.000Z'],
    ['2003-12-31T10:14:55.25+0100', '2003-12-31T09:14:55.250Z'],
    ['2003-12-31', '2003-12-31T00:00:00.000Z'],
    ['Thu, 01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21.000Z'],
    ['Thu, 01 Jan 04 19:48:21 GMT', '2004-01-01T19:48:21.000Z'],
    ['Tue, 04 Mar 2025 09:15:00 +0100', '2025-03-04T08:15:00.000Z'],
    ['Tue, 4 Mar 2025 09:15 EST', '2025-03-04T14:15:00.000Z'],
    ['Mon, 13 Feb, 2012 06:28:00 UTC', '2012-02-13T06:28:00.000Z'],
    ['Fri,24 Nov 2023 18:28:36 -0000', '2023-11-24T18:28:36.000Z'],
    ['Sun Jul 15 01:16:00 +0000 2012', '2012-07-15T01:16:00.000Z'],
    ['Thu Aug 30 2012 17:26:16 +0200', '2012-08-30T15:26:16.000Z'],
  ])('%s', (input, expected) => {
    expect(parseFeedDate(input)?.toISOString()).toBe(expected);
  });

  it('reads the common RFC 822 shape in all its spellings', () => {
    const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const zones: Array<[string, number]> = [['GMT', 0], ['utc', 0], ['EST', -300], ['+0530', 330], ['-0800', -480], ['Z', 0]]; // prettier-ignore
    fc.assert(
      fc.property(
        fc.record({
          weekday: fc.constantFrom('', 'Tue, ', 'wed,', 'Thu '),
          day: fc.integer({ min: 1, max: 28 }),
          pad: fc.boolean(),
          month: fc.integer({ min: 0, max: 11 }),
          upper: fc.boolean(),
          year: fc.integer({ min: 1970, max: 2099 }),
          hour: fc.integer({ min: 0, max: 23 }),
          minute: fc.integer({ min: 0, max: 59 }),
          second: fc.option(fc.integer({ min: 0, max: 59 })),
          zone: fc.constantFrom(...zones),
        }),
        (d) => {
          const two = (n: number): string => String(n).padStart(2, '0');
          const month = MONTHS[d.month] ?? 'Jan';
          const text =
            `${d.weekday}${d.pad ? two(d.day) : d.day} ${d.upper ? month.toUpperCase() : month} ${d.year} ` +
            `${two(d.hour)}:${two(d.minute)}${d.second === null ? '' : `:${two(d.second)}`} ${d.zone[0]}`;
          const expected =
            Date.UTC(d.year, d.month, d.day, d.hour, d.minute, d.second ?? 0) - d.zone[1] * 60_000;
          expect(parseFeedDate(text)?.getTime()).toBe(expected);
        },
      ),
    );
  });

  it.each([
    'Mon, 00 Mar 2025 09:05:00 GMT',
    'Mon, 32 Mar 2025 09:05:00 GMT',
    'Mon, 04 Mar 2025 25:05:00 GMT',
  ])('%j (a day or hour out of range) is null', (input) => {
    expect(parseFeedDate(input)).toBeNull();
  });

  it.each(['', '   ', 'yesterday', 'not a date at all', '2025-13-45T99:99:99Z'])('%j is null', (input) => {
    expect(parseFeedDate(input)).toBeNull();
  });
});
