// When to try again after a connection dropped or could not open: capped exponential backoff with
// jitter, so that clients dropped together (a restart) do not all come back in the same instant.
// Shared by the chat page and the operations page.

export const BACKOFF = Object.freeze({
  minDelayMs: 500, // first retry after about this long
  maxDelayMs: 30_000, // never wait longer than this between attempts
  growth: 2, // each failed attempt multiplies the delay
  jitter: 0.3, // up to ±30 % random
});

export class Backoff {
  #options;
  #attempt = 0;

  /** @param options BACKOFF to override */
  constructor(options = {}) {
    this.#options = { ...BACKOFF, ...options };
  }

  /** Attempts since the last success: 0 for a first connect. */
  get attempt() {
    return this.#attempt;
  }

  /** The wait before the next attempt, counting it. */
  nextDelay() {
    const { minDelayMs, maxDelayMs, growth, jitter } = this.#options;
    const base = Math.min(maxDelayMs, minDelayMs * growth ** this.#attempt);
    const spread = base * jitter * (Math.random() * 2 - 1);
    this.#attempt++;
    return Math.max(0, Math.round(Math.min(maxDelayMs, base + spread)));
  }

  /** Connected: the next drop starts from the shortest wait again. */
  reset() {
    this.#attempt = 0;
  }
}
