/**
 * Wire agencies recognised in datelines and bylines, by canonical name. The patterns only fire on attribution
 * forms ("SEOUL (Reuters) -", "(AP)", "— AFP", an author field naming the agency), never on a mention in running
 * text ("told the Associated Press"), which cites a wire without carrying its story.
 */
const WIRES: ReadonlyArray<{ name: string; aliases: readonly string[] }> = [
  { name: 'Reuters', aliases: ['Reuters', 'Thomson Reuters'] },
  { name: 'AP', aliases: ['AP', 'Associated Press', 'The Associated Press'] },
  { name: 'AFP', aliases: ['AFP', 'Agence France-Presse', 'Agence France Presse'] },
  { name: 'Yonhap', aliases: ['Yonhap', 'Yonhap News Agency', 'Yonhap News'] },
  { name: 'Kyodo', aliases: ['Kyodo', 'Kyodo News'] },
  { name: 'dpa', aliases: ['dpa', 'Deutsche Presse-Agentur'] },
  { name: 'EFE', aliases: ['EFE'] },
  { name: 'ANSA', aliases: ['ANSA'] },
  { name: 'Xinhua', aliases: ['Xinhua'] },
  { name: 'UPI', aliases: ['UPI', 'United Press International'] },
  { name: 'PTI', aliases: ['PTI', 'Press Trust of India'] },
];

const byAlias = new Map<string, string>();
for (const w of WIRES) for (const a of w.aliases) byAlias.set(a.toLowerCase(), w.name);

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
const alias = [...byAlias.keys()]
  .sort((a, b) => b.length - a.length)
  .map(escape)
  .join('|');

/** "(Reuters)", "(AP)", "(Yonhap)" — case-sensitive for the short all-caps names so "(ap)" in prose is not AP. */
const PAREN = new RegExp(`\\((${alias})\\)`, 'i');
/** A dateline: "SEOUL, March 3 (Yonhap) --", "KYIV, Ukraine (AP) —", "GENEVA (AFP) -". */
const DATELINE = new RegExp(
  `^\\s*[A-Z][A-Za-z0-9 .,'’-]{1,60}?\\s*\\((${alias})\\)\\s*(?:-{1,2}|[—–:])\\s*`,
  'i',
);
/** A trailing credit: "… cables. — AFP", "- Reuters". */
const TRAILING = new RegExp(`(?:^|\\s)(?:-{1,2}|[—–])\\s*(${alias})\\.?\\s*$`, 'i');

export interface WireAttribution {
  /** Canonical agency name, e.g. "Reuters", or null when the item names none. */
  wire: string | null;
  /** The summary with a leading dateline removed, so that fingerprints compare the story, not the credit. */
  lead: string;
}

function canonical(found: string | undefined): string | null {
  if (found === undefined) return null;
  const name = byAlias.get(found.toLowerCase()) ?? null;
  // Short all-caps agency names must be written in capitals: "(ap)" or "— efe" in prose is not a credit.
  if (name !== null && found.length <= 4 && name.toUpperCase() === name && found !== found.toUpperCase()) {
    return null;
  }
  return name;
}

/** Finds the wire agency an item credits (dateline, parenthesised credit, trailing credit, or author). */
export function parseWireAttribution(item: {
  title: string;
  summary: string;
  author?: string | null;
}): WireAttribution {
  const summary = item.summary;
  const dateline = DATELINE.exec(summary);
  const fromDateline = canonical(dateline?.[1]);
  if (fromDateline && dateline) return { wire: fromDateline, lead: summary.slice(dateline[0].length) };
  const wire =
    canonical(PAREN.exec(summary)?.[1]) ??
    canonical(TRAILING.exec(summary)?.[1]) ??
    canonical(PAREN.exec(item.title)?.[1]) ??
    canonical(item.author?.trim().replace(/^by\s+/i, '')) ??
    null;
  return { wire, lead: summary };
}

/** Whether `word` (normalised, lower case) is a wire agency's name: dropped from fingerprints. */
export function isWireWord(word: string): boolean {
  return WIRE_WORDS.has(word);
}

const WIRE_WORDS = new Set(
  [...byAlias.keys()].flatMap((a) => (a.includes(' ') ? [] : [a.replace(/[^a-z]/g, '')])),
);
