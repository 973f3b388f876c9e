// The local clock as every function container reads it: one SharedArrayBuffer the local cloud writes whenever
// the clock changes (rate, jump) and each worker reads on every `Date.now()`. It imports nothing, because a
// container running a deployable bundle loads it with plain Node (no TypeScript loader beyond type stripping).
//
// Layout: Int32 [0] is a sequence number, odd while the writer is mid-update (a seqlock: readers retry rather
// than see half a change); Float64 [1..4] are the simulated time at the anchor, the anchor's real epoch time
// (performance.timeOrigin + performance.now(), comparable across threads), the rate, and the latest time.

const SEQUENCE = 0;
const SLOTS = 4;

/** The simulated clock's state at one instant, in epoch milliseconds. */
export interface SharedClockState {
  /** Simulated time at `anchorRealEpochMs`. */
  anchorSimMs: number;
  /** Real epoch time of the anchor. */
  anchorRealEpochMs: number;
  /** Simulated milliseconds per real millisecond (0 when the clock stands still). */
  rate: number;
  /** Simulated time never passes this. */
  latestMs: number;
}

/** A fresh buffer holding `state`. */
export function createSharedClock(state: SharedClockState): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(8 + 8 * SLOTS);
  writeSharedClock(buffer, state);
  return buffer;
}

/** Publishes a new state to every reader. */
export function writeSharedClock(buffer: SharedArrayBuffer, state: SharedClockState): void {
  const sequence = new Int32Array(buffer, 0, 1);
  const values = new Float64Array(buffer, 8, SLOTS);
  Atomics.add(sequence, SEQUENCE, 1);
  values[0] = state.anchorSimMs;
  values[1] = state.anchorRealEpochMs;
  values[2] = state.rate;
  values[3] = state.latestMs;
  Atomics.add(sequence, SEQUENCE, 1);
}

/** A function that reads the shared clock's simulated time now, in epoch milliseconds. */
export function sharedClockReader(buffer: SharedArrayBuffer): () => number {
  const sequence = new Int32Array(buffer, 0, 1);
  const values = new Float64Array(buffer, 8, SLOTS);
  return () => {
    for (;;) {
      const before = Atomics.load(sequence, SEQUENCE);
      if (before % 2 === 1) continue;
      const anchorSim = values[0] ?? 0;
      const anchorReal = values[1] ?? 0;
      const rate = values[2] ?? 1;
      const latest = values[3] ?? Number.POSITIVE_INFINITY;
      if (Atomics.load(sequence, SEQUENCE) !== before) continue;
      const real = performance.timeOrigin + performance.now();
      return Math.min(anchorSim + (real - anchorReal) * rate, latest);
    }
  };
}
