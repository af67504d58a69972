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

  it.each(['', '   ', 'yesterday', 'not a date at all', '2025-13-45T99:99:99Z'])('%j is null', (input) => {
    expect(parseFeedDate(input)).toBeNull();
  });
});
