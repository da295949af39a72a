package dev.parley.ops.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Percentiles of each interval alone, from the cumulative histogram that /metrics exports. */
class FanOutPercentilesTest {

  // as dev.parley.ops.Metrics registers it
  private final Timer timer =
      Timer.builder("parley.broadcast.fanout")
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofNanos(1_000))
          .maximumExpectedValue(Duration.ofSeconds(1))
          .register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  private final FanOutPercentiles percentiles = new FanOutPercentiles(timer);

  @Test
  void anIntervalWithoutBroadcastsHasNoPercentiles() {
    assertArrayEquals(new Double[] {null, null}, percentiles.next());
  }

  @Test
  void eachIntervalIsMeasuredAloneNotWithEverythingBefore() {
    record(99, Duration.ofMillis(1));
    record(1, Duration.ofMillis(200));
    Double[] first = percentiles.next();
    assertBetween(1, 1.5, first[0]);
    assertBetween(1, 1.5, first[1]);

    record(100, Duration.ofMillis(50));
    Double[] second = percentiles.next();
    assertBetween(50, 70, second[0]); // the 99 fast ones of before do not pull it down
    assertBetween(50, 70, second[1]);

    assertNull(percentiles.next()[0], "a quiet interval after them");
  }

  @Test
  void theTailOfAnIntervalShowsInItsP99() {
    record(98, Duration.ofMillis(2));
    record(2, Duration.ofMillis(300));
    Double[] interval = percentiles.next();
    assertBetween(2, 3, interval[0]);
    assertBetween(300, 400, interval[1]);
  }

  private void record(int times, Duration each) {
    for (int i = 0; i < times; i++) {
      timer.record(each);
    }
  }

  /** A bucket's upper bound: at the value or up to the next bucket, about a third above it. */
  private static void assertBetween(double low, double high, Double millis) {
    assertTrue(
        millis != null && millis >= low && millis <= high, low + ".." + high + ": " + millis);
  }
}
