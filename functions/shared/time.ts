/**
 * The one place product code reads the current time. In AWS it is the system clock; the local cloud
 * installs its simulated clock here so that deadlines, reminders and review dates follow it.
 */
let source: () => number = () => Date.now();

/** Current time in epoch milliseconds. */
export function now(): number {
  return source();
}

/** Current time as an ISO-8601 string. */
export function nowIso(): string {
  return new Date(source()).toISOString();
}

/** Replaces the time source (used by the local cloud's clock; tests may pin time). */
export function setTimeSource(next: () => number): void {
  source = next;
}
