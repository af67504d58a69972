/** A watch query that cannot be parsed. The message says what is wrong and ends with the column. */
export class QuerySyntaxError extends Error {
  override name = 'QuerySyntaxError' as const;
  readonly code = 'query-syntax' as const;
  /** 1-based column (UTF-16 unit) where the problem is. */
  readonly column: number;
  readonly query: string;

  constructor(problem: string, column: number, query: string) {
    super(`${problem} at column ${column}`);
    this.column = column;
    this.query = query;
  }

  /** The query on one line and a caret under the offending column. */
  caret(): string {
    const line = this.query.replace(/[\r\n\t]/g, ' ');
    return `${line}\n${' '.repeat(Math.max(0, this.column - 1))}^`;
  }
}
