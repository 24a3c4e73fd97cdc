const exactFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const dayFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const relativeFormat = new Intl.RelativeTimeFormat("en-US", { numeric: "auto" });
const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

export function formatExact(date: Date): string {
  return `${exactFormat.format(date)} UTC`;
}

export function formatDay(date: Date): string {
  return dayFormat.format(date);
}

export function formatMrr(cents: number | null): string {
  return cents === null ? "—" : `${money.format(cents / 100)}/mo`;
}

const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
  ["month", 12],
  ["year", Infinity],
];

export function formatRelative(date: Date, now: Date = new Date()): string {
  let amount = (date.getTime() - now.getTime()) / 1000;
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size) return unit === "second" && Math.abs(amount) < 45 ? "just now" : relativeFormat.format(Math.round(amount), unit);
    amount /= size;
  }
  return formatDay(date);
}
