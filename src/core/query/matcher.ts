import type { CompiledQuery } from './ast.js';
import type { Hit, MatchInput } from './item-view.js';
import { PreparedItem } from './prepared-item.js';
import { matchPrepared } from './query-verifier.js';

/** Matches one compiled query against one item (the engine's verifier, without the index). */
export function matchQuery(q: CompiledQuery, item: MatchInput): { matched: boolean; hits: Hit[] } {
  return matchPrepared(q, new PreparedItem(item));
}
