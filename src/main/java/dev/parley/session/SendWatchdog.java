package dev.parley.session;

import dev.parley.config.Setting;
import dev.parley.config.Settings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure no member silently stops receiving. A container may never complete a send: Tyrus
 * queues frames without bound for a peer that stopped reading and has no send timeout of its own.
 * Parley sends one frame at a time, so such a member would receive nothing more, and nobody would
 * notice while it keeps sending or answering pings. Each outbox's send in flight is checked
 * regularly; one older than {@link Setting#SEND_TIMEOUT_MILLIS} closes its session with 1011.
 */
@ApplicationScoped
public class SendWatchdog {

  private static final System.Logger LOG = System.getLogger(SendWatchdog.class.getName());

  /** Checks run this often at most, so that a stuck send is found within about a second. */
  private static final long LONGEST_CHECK_INTERVAL_MILLIS = 1000;

  private final SessionRegistry registry;
  private final Settings settings;
  private ScheduledExecutorService timer;

  @Inject
  public SendWatchdog(SessionRegistry registry, Settings settings) {
    this.registry = registry;
    this.settings = settings;
  }

  /** For CDI's client proxy only. */
  protected SendWatchdog() {
    this(null, null);
  }

  /** Starts checking, once, when the first chat connection opens. */
  public synchronized void start() {
    if (timer != null) {
      return;
    }
    long timeout = settings.get(Setting.SEND_TIMEOUT_MILLIS);
    long interval = Math.max(10, Math.min(LONGEST_CHECK_INTERVAL_MILLIS, timeout / 4));
    timer = DaemonTimer.named("parley-send-watchdog");
    timer.scheduleWithFixedDelay(
        () -> check(TimeUnit.MILLISECONDS.toNanos(timeout)),
        interval,
        interval,
        TimeUnit.MILLISECONDS);
  }

  private void check(long timeoutNanos) {
    try {
      long now = System.nanoTime();
      for (Outbox outbox : registry.chatOutboxes()) {
        outbox.giveUpIfStuck(now, timeoutNanos);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Send check failed; the next one runs as planned", e);
    }
  }

  @PreDestroy
  synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
