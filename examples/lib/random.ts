// World has ids 1..10000 and randomNumbers 1..10000 (TechEmpower).
export const WORLD_ROWS = 10000;

/** A uniformly random integer in 1..10000. */
export function randomWorldId(): number {
  return 1 + Math.floor(Math.random() * WORLD_ROWS);
}

/** A new randomNumber for /updates: also 1..10000. */
export function randomNumber(): number {
  return 1 + Math.floor(Math.random() * WORLD_ROWS);
}
