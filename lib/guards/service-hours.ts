import type { Availability, AvailabilityDecision } from './availability';

/**
 * Days of the week, as {@link serviceHours} takes them, in the gate's own time zone.
 *
 * @example
 * ```ts
 * import { serviceHours, type Weekday } from 'keyturn';
 *
 * const days: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
 * const availability = serviceHours({ timeZone: 'Asia/Tokyo', days, open: '07:00', close: '22:00' });
 * ```
 */
export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * Options of {@link serviceHours}. Checked when the gate is built: an unknown time zone or day, or a time
 * that is not `HH:MM`, throws a `TypeError`.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, serviceHours, type ServiceHoursOptions } from 'keyturn';
 *
 * // A night shift: open from 22:00 until 06:00 the next morning, Sunday night to Thursday night.
 * const hours: ServiceHoursOptions = {
 *   timeZone: 'America/New_York',
 *   days: ['sun', 'mon', 'tue', 'wed', 'thu'],
 *   open: '22:00',
 *   close: '06:00',
 *   description: 'The night desk opens at 22:00 New York time.',
 * };
 * createAuthorizationServer({ clients, availability: serviceHours(hours) });
 * ```
 */
export interface ServiceHoursOptions {
  /** IANA time zone the hours are in, e.g. `Europe/Berlin`. Required. */
  timeZone: string;
  /** Days the service opens (for a window past midnight: the day it opens on). Default: Monday to Friday. */
  days?: readonly Weekday[];
  /** Local opening time, `HH:MM` (24-hour). Required. */
  open: string;
  /** Local closing time, `HH:MM` (24-hour). Earlier than `open` means the window runs past midnight. Required. */
  close: string;
  /**
   * Error description while closed. Default: `'The server is currently unavailable due to non-working
   * hours. Please try again later.'` (the bank seed's wording).
   */
  description?: string;
  /** Clock, epoch milliseconds (for tests). Default: `Date.now`. */
  now?: () => number;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * An {@link Availability} gate that opens on given days between local times in a time zone, and while
 * closed answers with the seconds until the next opening. Time zone rules, daylight saving changes
 * included, come from `Intl`, so there are no hand-written zone tables to age.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, serviceHours } from 'keyturn';
 *
 * const hours = serviceHours({ timeZone: 'Europe/London', days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '17:30' });
 * createAuthorizationServer({ clients, availability: hours });
 * ```
 */
export function serviceHours(options: ServiceHoursOptions): Availability {
  const { timeZone, open, close } = options;
  const days = new Set(options.days ?? (['mon', 'tue', 'wed', 'thu', 'fri'] as const));
  const now = options.now ?? Date.now;
  const description = options.description ?? 'The server is currently unavailable due to non-working hours. Please try again later.';
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new TypeError(`serviceHours: unknown timeZone "${timeZone}"`);
  }
  const openMin = minutes(open, 'open');
  const closeMin = minutes(close, 'close');
  if (openMin === closeMin) throw new TypeError('serviceHours: open and close must differ');
  for (const day of days) if (!WEEKDAYS.includes(day)) throw new TypeError(`serviceHours: unknown day "${String(day)}"`);
  const overnight = closeMin < openMin;

  const wall = (instant: number): LocalTime => {
    const p: Record<string, number> = {};
    for (const part of formatter.formatToParts(instant)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    return { y: p.year!, mo: p.month!, d: p.day!, min: p.hour! * 60 + p.minute!, s: p.second! };
  };
  // Offset of local wall time from UTC at an instant, in ms.
  const offset = (instant: number): number => {
    const w = wall(instant);
    return Date.UTC(w.y, w.mo - 1, w.d, 0, w.min, w.s) - Math.floor(instant / 1000) * 1000;
  };
  // The instant a local wall time happens. A wall time skipped by a DST change moves forward by the gap
  // (02:30 on a spring-forward night becomes 03:30), as Temporal's 'compatible' disambiguation does.
  const instantOf = (y: number, mo: number, d: number, min: number): number => {
    const asUtc = Date.UTC(y, mo - 1, d, 0, min);
    let t = asUtc - offset(asUtc);
    const corrected = asUtc - offset(t);
    if (corrected !== t) t = Math.max(t, corrected);
    return t;
  };
  const isOpenDay = (y: number, mo: number, d: number, shift: number) =>
    days.has(WEEKDAYS[new Date(Date.UTC(y, mo - 1, d + shift)).getUTCDay()]!);

  return function serviceHoursGate(): AvailabilityDecision {
    const t = now();
    const w = wall(t);
    const isOpen = overnight
      ? (isOpenDay(w.y, w.mo, w.d, 0) && w.min >= openMin) || (isOpenDay(w.y, w.mo, w.d, -1) && w.min < closeMin)
      : isOpenDay(w.y, w.mo, w.d, 0) && w.min >= openMin && w.min < closeMin;
    if (isOpen) return OPEN;
    for (let k = 0; k <= 7; k++) {
      if (!isOpenDay(w.y, w.mo, w.d, k)) continue;
      const date = new Date(Date.UTC(w.y, w.mo - 1, w.d + k));
      const start = instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), openMin);
      if (start > t) return { open: false, retryAfterSeconds: Math.max(1, Math.ceil((start - t) / 1000)), description };
    }
    // No open day at all: tell clients to come back in a day rather than never.
    return { open: false, retryAfterSeconds: 86_400, description };
  };
}

interface LocalTime {
  y: number;
  mo: number;
  d: number;
  min: number;
  s: number;
}

const OPEN: AvailabilityDecision = Object.freeze({ open: true });

function minutes(value: string, name: string): number {
  const match = HHMM.exec(value);
  if (!match) throw new TypeError(`serviceHours: ${name} must be HH:MM (got "${value}")`);
  return Number(match[1]) * 60 + Number(match[2]);
}
