/** Positional parameters ($1, $2, …) of one SQL statement, numbered in the order they are added. */
export class SqlParameters {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
