// Stitched stack traces (DESIGN.md "Trampoline": errors list every green function of the logical chain).
//
// With an explicit frame stack, a frame's caller is never on the JS stack while the frame runs, so
// V8's own trace shows only the innermost function and the trampoline. The logical chain is rebuilt
// from call sites instead: emitted code passes each green call's site with its frame (protocol.ts
// "Kinds of call"), the trampoline stores the site beside the frame it pushes, and when an error
// leaves a frame on its way to the caller, the caller's site is added to the error. Nothing is done
// for errors that never cross a frame boundary, and lines are only formatted when `.stack` is read.

import type { Site } from './protocol.js';

/** The site of the frame about to be yielded; taken by the trampoline when it pushes that frame. */
let pendingSite: Site | undefined;

/**
 * `__g.at(frame, site)`: note where the call that made `frame` came from, and return `frame`.
 * The trampoline takes the site when the frame is yielded, which the emitted code does at once.
 * (The frame comes first: a body then needs one register less, and a parked frame keeps them all.)
 */
export function at<F>(frame: F, site: Site | undefined): F {
  pendingSite = site;
  return frame;
}

/** Take (and clear) the site noted by the latest `at`. */
export function takeSite(): Site | undefined {
  const site = pendingSite;
  pendingSite = undefined;
  return site;
}

/**
 * `__g.sites(file, [fn, line, col, fn, line, col, ...])`: a file's site table, indexed as `__s[k]`.
 * `file` is relative to the project root; positions are the original TS ones (1-based).
 */
export function sites(file: string, flat: readonly (string | number)[]): Site[] {
  const table: Site[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) {
    table.push(Object.freeze({ file, fn: String(flat[i]), line: Number(flat[i + 1]), col: Number(flat[i + 2]) }));
  }
  return table;
}

/** The green call sites an error has crossed, innermost first. */
const HOPS = Symbol.for('green-ts.hops');
interface Stitched { [HOPS]?: Site[] }

/**
 * An error is leaving a frame that was called from `site`: add that site to its logical chain.
 * The first hop replaces `error.stack` by an accessor that appends the chain when read.
 */
export function noteHop(error: unknown, site: Site): void {
  if (typeof error !== 'object' || error === null) return;
  const stitched = error as Stitched;
  const hops = stitched[HOPS];
  if (hops !== undefined) {
    hops.push(site);
    return;
  }
  try {
    const list = [site];
    Object.defineProperty(error, HOPS, { value: list, enumerable: false, configurable: true, writable: false });
    stitchStack(error, list);
  } catch {
    // A frozen or exotic object: keep the error as it is.
  }
}

/** The green call sites an error crossed, innermost first (empty when it crossed none). */
export function greenSites(error: unknown): readonly Site[] {
  return (typeof error === 'object' && error !== null && (error as Stitched)[HOPS]) || [];
}

function stitchStack(error: object, hops: Site[]): void {
  // Reading `.stack` once here formats V8's part (it is formatted lazily, on first read); the green
  // part is formatted on each read from `hops`, which keeps growing while the error unwinds.
  const original: unknown = (error as { stack?: unknown }).stack;
  if (typeof original !== 'string') return;
  let cached = original;
  let cachedCount = 0;
  Object.defineProperty(error, 'stack', {
    configurable: true,
    enumerable: false,
    get() {
      if (cachedCount !== hops.length) {
        cached = original + formatSites(hops);
        cachedCount = hops.length;
      }
      return cached;
    },
    set(value: unknown) {
      Object.defineProperty(error, 'stack', { value, writable: true, configurable: true, enumerable: false });
    },
  });
}

/**
 * `\n    at fn (file:line:col)` per site; a run of identical sites (deep recursion) is shown once with
 * a count, as Python does, so a 200,000-deep chain stays readable.
 */
export function formatSites(hops: readonly Site[]): string {
  let out = '';
  for (let i = 0; i < hops.length; ) {
    const site = hops[i];
    let j = i + 1;
    while (j < hops.length && hops[j] === site) j++;
    out += `\n    at ${site.fn} (${site.file}:${site.line}:${site.col})`;
    if (j - i > 2) {
      out += `\n    [previous line repeated ${j - i - 1} more times]`;
    } else if (j - i === 2) {
      out += `\n    at ${site.fn} (${site.file}:${site.line}:${site.col})`;
    }
    i = j;
  }
  return out;
}
