/** One more outlet carrying a story that was already alerted. */
export interface StoryReport {
  feedTitle: string;
  host: string | null;
  title: string;
  link: string | null;
  wire: string | null;
}

/** Discord-markdown lines "[Outlet](link)", one per outlet, deduplicated, within `maxChars` (Discord field: 1024). */
export function alsoReportedLines(reports: readonly StoryReport[], maxChars = 1024): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  let used = 0;
  const unique = reports.filter((r) => {
    const key = `${r.feedTitle}\u0000${r.link ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  for (const [i, r] of unique.entries()) {
    const name = (r.feedTitle || r.host || 'another feed').replace(/[[\]]/g, '').slice(0, 80);
    const line = r.link && /^https?:\/\//i.test(r.link) ? `[${name}](${r.link})` : name;
    const more = `…and ${unique.length - i} more`;
    if (used + line.length + 1 > maxChars - more.length - 1) {
      lines.push(more);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return lines.join('\n');
}
