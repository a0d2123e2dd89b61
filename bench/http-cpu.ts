// CPU time a service process has used, from /proc (Linux). CPU per request is a second measure
// beside req/s: on a machine shared with other work it moves much less with their load.
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime/stime; 100 on every Linux Node supports in practice. */
const CLK_TCK = 100;

/** User + system CPU seconds used by `pid` so far, or undefined off Linux. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may hold spaces): utime and stime are
    // fields 14 and 15 of the whole line, i.e. 12 and 13 after ") ".
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}
