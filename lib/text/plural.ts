const number = new Intl.NumberFormat("en-US");

/** "1 subscriber", "2,000 subscribers": a count with its noun in agreement. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${number.format(count)} ${count === 1 ? singular : plural}`;
}
