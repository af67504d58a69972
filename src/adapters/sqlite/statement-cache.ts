import type Database from 'better-sqlite3';

// better-sqlite3 compiles SQL on every prepare(); a statement prepared once per query text and kept is reused by
// every call (a poll runs a dozen queries, a cycle thousands of polls).
const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** `db.prepare(sql)`, compiled once per database and SQL text. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export function prepared<Params extends unknown[] | {} = unknown[], Row = unknown>(
  db: Database.Database,
  sql: string,
): Database.Statement<Params, Row> {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement as unknown as Database.Statement<Params, Row>;
}
