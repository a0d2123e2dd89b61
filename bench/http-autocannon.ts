// The slice of autocannon's programmatic API bench/http uses (the package ships no types).
export interface Histogram { average: number; mean: number; stddev: number; min: number; max: number; p50: number; p90: number; p99: number }
export interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  throughput: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  duration: number;
}
export interface AutocannonOptions { url: string; connections: number; duration: number; pipelining?: number; timeout?: number }

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannonModule = require('autocannon') as (opts: AutocannonOptions) => Promise<AutocannonResult>;

export function autocannon(opts: AutocannonOptions): Promise<AutocannonResult> {
  return autocannonModule(opts);
}
