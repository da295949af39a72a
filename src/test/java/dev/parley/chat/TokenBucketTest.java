package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private final AtomicLong now = new AtomicLong();
  private final TokenBucket bucket = new TokenBucket(2, 3, now::get);

  @Test
  void allowsABurstThenRefusesUntilTokensRefill() {
    assertTrue(bucket.tryTake());
    assertTrue(bucket.tryTake());
    assertTrue(bucket.tryTake());
    assertFalse(bucket.tryTake());
    now.addAndGet(500_000_000L); // half a second at 2 per second: one token
    assertTrue(bucket.tryTake());
    assertFalse(bucket.tryTake());
  }

  @Test
  void neverHoldsMoreThanTheBurst() {
    now.addAndGet(60_000_000_000L);
    for (int i = 0; i < 3; i++) {
      assertTrue(bucket.tryTake());
    }
    assertFalse(bucket.tryTake());
  }
}
