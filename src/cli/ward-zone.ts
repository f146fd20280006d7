// --tz, the ward's time zone, for the commands that read a chart's clock times into hours (optimize
// --from, forecast). A chart without UTC offsets is otherwise read on the wall clock, and across a
// daylight-saving switch its hours are 1 h off the real ones (W_CLOCK_DST says so); with --tz each
// file is read on that zone's clock (readNmtran's onZoneClock), the hours real. One reading for every
// file a command reads, so that the history, its displayed clock and a future regimen agree.

import { zoneName } from '../regimen/clock.js';
import type { ReadOptions } from '../regimen/nmtran.js';

/** The zone --tz names (refused by the option when unknown), or undefined without it. */
export function wardZone(tz: string | undefined): string | undefined {
  return tz === undefined ? undefined : zoneName(tz, '--tz');
}

/** readNmtran's options for a file of a command given `--tz` (or not): on the zone's clock with it. */
export function wardReading(file: string, tz: string | undefined): ReadOptions {
  const zone = wardZone(tz);
  return zone === undefined ? { file } : { file, zone, onZoneClock: true };
}

/** The end of W_CLOCK_DST said by a command that takes --tz: how to have the times read as the real hours. */
export function tzAdvice(zone: string, what: string): string {
  return `give --tz with the ward's zone (e.g. --tz ${zone}) to read ${what} on its clock, or write them with their UTC offsets (ISO 8601)`;
}
