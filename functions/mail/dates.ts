import { now } from "../shared/time";

// Dates are written out by hand rather than with Intl so the wording is the same on every Node build
// (ICU versions disagree on commas and "at"), and always in UTC: partners sit in different time zones.
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** A moment as an ISO-8601 string, epoch milliseconds or a Date. */
export type DateInput = string | number | Date;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A date input could not be read as a date. */
export class InvalidMailDateError extends Error {
  constructor(field: string, value: unknown) {
    super(`${field}: "${String(value)}" is not a valid date`);
    this.name = "InvalidMailDateError";
  }
}

/** Reads an ISO string, epoch milliseconds or Date; throws InvalidMailDateError naming `field`. */
export function toDate(value: DateInput, field = "date"): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidMailDateError(field, value);
  return date;
}

/** "Friday 12 December 2025, 17:00 UTC". */
export function formatDateTime(value: DateInput, field = "date"): string {
  const date = toDate(value, field);
  const hours = String(date.getUTCHours()).padStart(2, "0");
  const minutes = String(date.getUTCMinutes()).padStart(2, "0");
  return `${formatDate(date, field)}, ${hours}:${minutes} UTC`;
}

/** "Friday 12 December 2025" (UTC). */
export function formatDate(value: DateInput, field = "date"): string {
  const date = toDate(value, field);
  return `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** "12 Dec 2025" (UTC), short enough for a subject line. */
export function formatShortDate(value: DateInput, field = "date"): string {
  const date = toDate(value, field);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]?.slice(0, 3)} ${date.getUTCFullYear()}`;
}

/**
 * How far away a moment is, in words: "in 14 days", "in 1 day", "in 5 hours", "in less than an hour",
 * "3 days ago". Whole days are rounded so a deadline set "14 days from now" still reads "in 14 days"
 * a few minutes later. `from` defaults to Concord's clock (the local cloud may run it faster).
 */
export function relativeTime(value: DateInput, from: number = now(), field = "date"): string {
  const diff = toDate(value, field).getTime() - from;
  const ahead = diff >= 0;
  const distance = Math.abs(diff);
  let words: string;
  if (distance >= 20 * HOUR_MS) {
    const days = Math.max(1, Math.round(distance / DAY_MS));
    words = `${days} day${days === 1 ? "" : "s"}`;
  } else if (distance >= HOUR_MS) {
    const hours = Math.round(distance / HOUR_MS);
    words = `${hours} hour${hours === 1 ? "" : "s"}`;
  } else {
    return ahead ? "in less than an hour" : "less than an hour ago";
  }
  return ahead ? `in ${words}` : `${words} ago`;
}

/** A deadline as people need it: "Friday 12 December 2025, 17:00 UTC (in 14 days)". */
export function formatDeadline(value: DateInput, from: number = now()): string {
  return `${formatDateTime(value, "deadline")} (${relativeTime(value, from, "deadline")})`;
}
