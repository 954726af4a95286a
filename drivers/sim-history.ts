/**
 * Role (shared by the simulators): what a simulator keeps of what happened (commands served,
 * messages on the wire, receipts), for tests and the technician to look at. Only the newest
 * `max` are kept: under `npm start` the simulators live in the kiosk's own process for days, and
 * a record that only grows is a leak there (a reader waiting for a finger is polled several
 * times a second). Dropping the oldest of a thousand is a microsecond.
 */
export function keepNewest<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}
