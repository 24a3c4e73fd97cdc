/**
 * Minimal 5-field cron matcher (minute hour day-of-month month day-of-week) for the schedules in
 * vercel.json, so local runs tick the same crons Vercel would. Supports *, N, a-b, lists and steps.
 */
const FIELD_RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
];

export function parseCron(expr: string): Set<number>[] {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`Cron "${expr}" must have 5 fields`);
  return fields.map((field, i) => parseField(field, FIELD_RANGES[i]!, expr));
}

function parseField(field: string, [min, max]: [number, number], expr: string): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    let lo = min;
    let hi = max;
    if (range !== "*") {
      const [a, b] = range!.split("-").map(Number);
      lo = a!;
      hi = b ?? (stepText === undefined ? a! : max);
    }
    if (![lo, hi, step].every(Number.isInteger) || lo < min || hi > max || lo > hi || step < 1) {
      throw new Error(`Cron "${expr}" has an invalid field "${field}"`);
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return values;
}

/** True when the schedule fires in the minute containing `date` (UTC, as Vercel runs crons). */
export function cronMatches(schedule: Set<number>[], date: Date): boolean {
  const parts = [date.getUTCMinutes(), date.getUTCHours(), date.getUTCDate(), date.getUTCMonth() + 1, date.getUTCDay()];
  return parts.every((v, i) => schedule[i]!.has(v));
}
