// One pooled mysql2 connection and where it is in its life. The pool (./pool.ts) moves slots
// between states; nothing else changes `state`.
//
//   connecting --connected--> idle <--release-- busy
//        |                     |  ---acquire--->  |
//        +-----failed/died-----+------died--------+--> gone
//                                      busy --abandon/release(broken)--> gone
//
// `gone` is final: the socket is closed or closing and the slot is no longer counted. A `busy` slot
// can become `gone` under its holder (server KILL, network reset); the holder's later release is
// then a no-op.
import type { Connection as DriverConnection } from 'mysql2';

export type SlotState = 'connecting' | 'idle' | 'busy' | 'gone';

export class Slot {
  state: SlotState = 'connecting';
  /**
   * Set when an operation on this connection was abandoned (cancelled or timed out) or failed
   * fatally: what the server will send next is unknown, so it is never handed out again.
   */
  broken = false;
  /** When it last became idle (ms since epoch), for idle eviction. */
  idleSince = 0;

  constructor(readonly driver: DriverConnection) {}

  /** The server's id for this connection (`CONNECTION_ID()`), known once connected. */
  get threadId(): number | undefined {
    return this.driver.threadId ?? undefined;
  }
}
