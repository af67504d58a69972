/**
 * Sample feeds for `wirewatch demo`, written for this project. Each feed has a first edition (recorded on the first
 * poll, never alerted) and a second with new stories: the wire story the bot exists to catch, and stories built to
 * trip naive substring matchers (Senator ⊃ "nato", "South Korean" ⊃ "South Korea", Ukrainian ≠ Ukraine).
 */
export interface SampleStory {
  id: string;
  title: string;
  summary: string;
  published: string;
}

export interface SampleFeed {
  path: string;
  title: string;
  format: 'rss' | 'atom';
  first: SampleStory[];
  second: SampleStory[];
}

const wireFirst: SampleStory[] = [
  {
    id: 'gw-1001',
    title: 'Central bank holds interest rates steady as inflation cools',
    summary: 'FRANKFURT (Global Wire) &#8212; Policymakers kept borrowing costs unchanged on Thursday.',
    published: 'Mon, 16 Nov 2026 08:00:00 GMT',
  },
];

const wireSecond: SampleStory[] = [
  {
    id: 'gw-1002',
    title: 'NATO&#8217;s chief urges South Korea to step up military support for Ukraine',
    summary:
      '<p>BRUSSELS (Global Wire) &#8212; The head of <b>NATO</b> on Tuesday pressed South Korea to send more ' +
      'weapons and ammunition to Ukraine, arguing that North Korea&#8217;s deliveries of artillery shells and ' +
      'troops to Russia have tied security in Europe and the Indo-Pacific together.</p><p>Seoul has so far ' +
      'limited its help to non-lethal aid and says it is reviewing its options.</p>',
    published: 'Tue, 17 Nov 2026 09:30:00 GMT',
  },
  {
    id: 'gw-1003',
    title: 'Senator Alvarez&#8217;s farm bill clears committee',
    summary:
      'WASHINGTON (Global Wire) &#8212; The measure now goes to a floor vote; senators from both parties backed it.',
    published: 'Tue, 17 Nov 2026 10:00:00 GMT',
  },
  {
    id: 'gw-1004',
    title: 'South Korean won slips against the dollar',
    summary:
      'SEOUL (Global Wire) &#8212; South Korean exporters welcomed the weaker currency; the central bank said it was watching markets.',
    published: 'Tue, 17 Nov 2026 10:15:00 GMT',
  },
];

const broadcasterFirst: SampleStory[] = [
  {
    id: 'urn:pb:story:7001',
    title: 'Typhoon season ends quietly across the Pacific',
    summary: 'Forecasters recorded fewer landfalls than in any year since 2010.',
    published: '2026-11-15T22:00:00Z',
  },
];

const broadcasterSecond: SampleStory[] = [
  {
    id: 'urn:pb:story:7002',
    title: 'Ukrainian ammunition makers open a plant in Poland',
    summary:
      'The joint venture will produce artillery shells for export, company executives said in Rzeszów.',
    published: '2026-11-17T11:00:00Z',
  },
  {
    id: 'urn:pb:story:7003',
    title: 'Coastal towns prepare for winter tourism season',
    summary: 'Hotels report bookings up on last year as new rail links open.',
    published: '2026-11-17T11:30:00Z',
  },
];

export const SAMPLE_FEEDS: SampleFeed[] = [
  {
    path: '/global-wire/world.rss',
    title: 'Global Wire — World News',
    format: 'rss',
    first: wireFirst,
    second: wireSecond,
  },
  {
    path: '/pacific-broadcaster/news.atom',
    title: 'Pacific Broadcaster: News',
    format: 'atom',
    first: broadcasterFirst,
    second: broadcasterSecond,
  },
];

/** Watches the demo runs, with whether each must fire on the NATO / South Korea story. */
export const SAMPLE_WATCHES = [
  { name: 'nato', query: 'NATO', firesOnSeedStory: true },
  { name: 'south-korea', query: '"South Korea"', firesOnSeedStory: true },
  { name: 'ukraine-arms', query: 'Ukraine AND (weapons OR ammunition)', firesOnSeedStory: true },
  { name: 'south-not-north', query: '"South Korea" -"North Korea"', firesOnSeedStory: false },
] as const;

export function renderSampleFeed(feed: SampleFeed, edition: 'first' | 'second', origin: string): string {
  // Newest first, as real feeds list them.
  const stories = edition === 'first' ? feed.first : [...feed.second].reverse().concat(feed.first);
  const link = (s: SampleStory) =>
    `${origin}${feed.path.replace(/\/[^/]*$/, '')}/stories/${encodeURIComponent(s.id)}`;
  if (feed.format === 'rss') {
    const items = stories
      .map(
        (s) => `    <item>
      <title>${s.title}</title>
      <link>${link(s)}</link>
      <guid isPermaLink="false">${s.id}</guid>
      <pubDate>${s.published}</pubDate>
      <description>${escapeXml(s.summary)}</description>
    </item>`,
      )
      .join('\n');
    return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>${escapeXml(feed.title)}</title>
    <link>${origin}/</link>
    <description>Sample wire feed for the wirewatch demo</description>
${items}
  </channel>
</rss>
`;
  }
  const entries = stories
    .map(
      (s) => `  <entry>
    <id>${s.id}</id>
    <title>${s.title}</title>
    <link href="${link(s)}"/>
    <updated>${s.published}</updated>
    <summary>${escapeXml(s.summary)}</summary>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${escapeXml(feed.title)}</title>
  <id>urn:pb:feed</id>
  <updated>2026-11-17T11:30:00Z</updated>
${entries}
</feed>
`;
}

function escapeXml(text: string): string {
  return text
    .replace(/&(?!#?\w+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
