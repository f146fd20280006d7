// Records whose TIME readNmtran read from clock times or timestamps (08:30, 2026-03-06T08:30) into
// hours. Advice that names a place in the chart (W_LEVEL_AFTER_DOSE's "chart the dose at TIME 48")
// must speak the chart's terms there: a chart with a date column is told by its items, one of
// timestamps in TIME alone was not, and was told hours it cannot hold. The items object a record
// carries from the file (copies of the record share it) is the mark.

const CLOCK_ITEMS = new WeakSet<object>();

/** Marks a record's items as read from a TIME of clock times or timestamps. */
export function markClockItems(items: object): void {
  CLOCK_ITEMS.add(items);
}

/** Whether any of these records was read from clock times or timestamps in TIME. */
export function chartedOnClock(records: readonly { readonly items: object }[]): boolean {
  return records.some((r) => CLOCK_ITEMS.has(r.items));
}
