package dev.parley.ops.feed;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.concurrent.TimeUnit;

/**
 * Fan-out latency percentiles over the last interval, read from the same histogram that {@code
 * /metrics} exports: its bucket counts only grow, so the counts taken now minus those taken last
 * time are the interval's own histogram. A percentile is the upper bound of the bucket it falls in
 * (the buckets grow by about a third each), and null when nothing was broadcast.
 */
final class FanOutPercentiles {

  private final Timer timer;
  private double[] previous = new double[0];
  private long previousCount;

  FanOutPercentiles(Timer timer) {
    this.timer = timer;
  }

  /** The interval's percentiles, in milliseconds: {p50, p99}, each null if nothing was timed. */
  Double[] next() {
    HistogramSnapshot snapshot = timer.takeSnapshot();
    CountAtBucket[] buckets = snapshot.histogramCounts();
    long count = snapshot.count(); // of the same instant as the buckets
    long timed = count - previousCount;
    double[] now = new double[buckets.length];
    for (int i = 0; i < buckets.length; i++) {
      now[i] = buckets[i].count();
    }
    Double[] percentiles = {
      percentile(buckets, now, timed, 0.5), percentile(buckets, now, timed, 0.99)
    };
    previous = now;
    previousCount = count;
    return percentiles;
  }

  private Double percentile(CountAtBucket[] buckets, double[] now, long timed, double quantile) {
    if (timed <= 0) {
      return null;
    }
    double rank = Math.ceil(quantile * timed);
    for (int i = 0; i < buckets.length; i++) {
      double before = i < previous.length ? previous[i] : 0;
      if (now[i] - before >= rank) {
        return buckets[i].bucket(TimeUnit.MILLISECONDS);
      }
    }
    return timer.max(TimeUnit.MILLISECONDS); // above the highest bucket: the recent maximum
  }
}
