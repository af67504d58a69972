/** A story as a test outlet publishes it. */
export interface OutletItem {
  guid: string;
  title: string;
  summary: string;
}

/** An RSS 2.0 document for a fake outlet: its items link to http://127.0.0.1/<outlet>/<guid>. */
export function outletRss(outlet: string, items: readonly OutletItem[]): string {
  const entries = items
    .map(
      (s) =>
        `<item><guid>${s.guid}</guid><title>${s.title}</title><link>http://127.0.0.1/${outlet}/${s.guid}</link>\n` +
        `<pubDate>Tue, 03 Mar 2026 09:30:00 GMT</pubDate><description>${s.summary}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${outlet}</title><link>http://127.0.0.1/</link>
${entries}
</channel></rss>`;
}
