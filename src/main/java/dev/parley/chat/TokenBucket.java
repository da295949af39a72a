package dev.parley.chat;

import java.util.function.LongSupplier;

/** A token bucket: {@code rate} frames per second on average, bursts up to {@code burst}. */
final class TokenBucket {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final double ratePerNano;
  private final double burst;
  private final LongSupplier nanoClock;
  private double tokens;
  private long lastRefill;

  TokenBucket(long ratePerSecond, long burst, LongSupplier nanoClock) {
    this.ratePerNano = (double) ratePerSecond / NANOS_PER_SECOND;
    this.burst = Math.max(1, burst);
    this.nanoClock = nanoClock;
    this.tokens = this.burst;
    this.lastRefill = nanoClock.getAsLong();
  }

  /** Takes one token if there is one. One connection's frames arrive one at a time. */
  synchronized boolean tryTake() {
    long now = nanoClock.getAsLong();
    tokens = Math.min(burst, tokens + (now - lastRefill) * ratePerNano);
    lastRefill = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
