/** Everything a destination needs to show one alert; stored as JSON in the outbox, so keep it plain data. */
export interface Alert {
  watchId: number;
  watchName: string;
  /** The watch's query, shown so a reader can see why it fired. */
  query: string;
  feedId: number;
  itemKey: string;
  title: string;
  link: string | null;
  feedTitle: string;
  /** Host name of the item's link (or the feed's URL), e.g. "www.reuters.com". */
  host: string | null;
  /** ISO 8601 UTC, or null when the feed gave no date. */
  published: string | null;
  /** ~300 characters of the summary, cut at a word boundary. */
  snippet: string;
  /** Distinct matched query terms, in query order. */
  matchedTerms: string[];
  /** Matches inside `title` and `snippet` (offsets into those strings), for bolding. */
  highlights: { title: Array<[number, number]>; snippet: Array<[number, number]> };
  mentionRoleId: string | null;
  color: number | null;
}
