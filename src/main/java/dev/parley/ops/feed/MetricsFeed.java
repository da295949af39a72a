package dev.parley.ops.feed;

import dev.parley.hub.Hub;
import dev.parley.ops.Metrics;
import dev.parley.push.LatestValue;
import dev.parley.push.Topic;
import dev.parley.session.DaemonTimer;
import dev.parley.session.Peer;
import dev.parley.session.SessionRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live operations feed behind {@code /feed/metrics}: a snapshot of the meters every second,
 * from the moment the application starts, so that a new subscriber first sees the last five
 * minutes. Subscribers get the snapshots through a {@link Topic}: a slow one skips to the newest.
 */
@ApplicationScoped
public class MetricsFeed {

  private static final System.Logger LOG = System.getLogger(MetricsFeed.class.getName());

  /** One snapshot a second. */
  public static final long INTERVAL_MILLIS = 1000;

  /** Five minutes of them for a new subscriber. */
  public static final int BACKLOG_POINTS = 300;

  private final Topic topic;
  private final Snapshots snapshots;
  private ScheduledExecutorService timer;
  private long lastTs; // on the timer's thread only

  @Inject
  public MetricsFeed(Metrics metrics, SessionRegistry sessions, Hub hub) {
    this.topic =
        new Topic(
            BACKLOG_POINTS, MetricsFeed::backlog, metrics::feedSnapshotSkipped, sessions.closes());
    this.snapshots = new Snapshots(metrics, sessions, hub);
  }

  /** For CDI's client proxy only. */
  protected MetricsFeed() {
    topic = null;
    snapshots = null;
  }

  /** Starts taking snapshots with the application, on whole seconds. */
  synchronized void start(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
    if (timer != null) {
      return;
    }
    long now = System.currentTimeMillis();
    long firstTs = (now / INTERVAL_MILLIS + 1) * INTERVAL_MILLIS;
    timer = DaemonTimer.named("parley-metrics-feed");
    timer.scheduleAtFixedRate(this::tick, firstTs - now, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      // stamped with the whole second it stands for; ticks that a stalled timer runs back to back
      // to catch up fall on a second already stamped and are skipped (a gap, not a burst)
      long ts = Math.round(System.currentTimeMillis() / (double) INTERVAL_MILLIS) * INTERVAL_MILLIS;
      if (ts <= lastTs) {
        return;
      }
      lastTs = ts;
      topic.publish(snapshots.take(ts));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Metrics snapshot failed; the next one runs as planned", e);
    }
  }

  /** Sends {@code peer} the backlog, then every snapshot: the newest, if it reads slowly. */
  public LatestValue subscribe(Peer peer) {
    return topic.subscribe(peer);
  }

  public void unsubscribe(LatestValue subscriber) {
    topic.unsubscribe(subscriber);
  }

  /** The snapshots kept, oldest first, as one frame; each point is a snapshot frame itself. */
  private static String backlog(List<String> points) {
    return "{\"type\":\"backlog\",\"points\":[" + String.join(",", points) + "]}";
  }

  @PreDestroy
  synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
