/**
 * Rows `batchSize` at a time, each batch one keyset query after the previous batch's last row. The
 * next batch's query runs while the caller works through the current one, so at most two batches
 * are in memory and the database and the consumer (a CSV stream, say) work side by side.
 */
export async function* keysetBatches<Row, Cursor>(
  fetchAfter: (after: Cursor | null) => Promise<Row[]>,
  cursorOf: (last: Row) => Cursor,
  batchSize: number,
): AsyncGenerator<Row[]> {
  const prefetch = (after: Cursor | null) => {
    const query = fetchAfter(after);
    // A consumer that stops early never awaits the prefetched batch: its failure must not go unhandled.
    query.catch(() => undefined);
    return query;
  };
  let next = prefetch(null);
  for (;;) {
    const batch = await next;
    const last = batch.at(-1);
    const more = batch.length === batchSize && last !== undefined;
    if (more) next = prefetch(cursorOf(last));
    if (batch.length > 0) yield batch;
    if (!more) return;
  }
}
