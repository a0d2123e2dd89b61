// What machine a benchmark ran on, for the results file.
import { availableParallelism, cpus as osCpus } from 'node:os';

export function nproc(): number { return availableParallelism(); }

export function cpus(): string {
  const models = [...new Set(osCpus().map((c) => c.model.trim()))];
  return models.join(', ') || 'unknown';
}
