// TechEmpower's rule for the `queries` parameter: not an integer or < 1 -> 1, > 500 -> 500.
export function clampQueries(raw: unknown): number {
  // Express hands over a string, an array (repeated key) or an object (a[b]=c); only a plain
  // integer string counts. `Number('')` is 0 and `parseInt('5x')` is 5, so test the text itself.
  if (typeof raw !== 'string' || !/^\s*[-+]?\d+\s*$/.test(raw)) return 1;
  const n = Number(raw);
  if (n < 1) return 1;
  if (n > 500) return 500;
  return n;
}
