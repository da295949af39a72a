package dev.parley.session;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.time.Instant;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes a session when what admitted it runs out, such as a token at its {@code exp}, unless the
 * session ends first. Chat renews such a lease in-band; the echo and the operations feed have no
 * refresh and are closed.
 */
@ApplicationScoped
public class Expiries {

  private static final String EXPIRY = "parley.expiry";

  private final SessionRegistry registry;
  private final ScheduledThreadPoolExecutor timer =
      new ScheduledThreadPoolExecutor(1, DaemonThreads.named("parley-expiries"));

  @Inject
  public Expiries(SessionRegistry registry) {
    this.registry = registry;
    timer.setRemoveOnCancelPolicy(true); // a session that ended leaves nothing behind
  }

  /** For CDI's client proxy only. */
  protected Expiries() {
    this.registry = null;
  }

  /** Closes {@code session} with {@code reason} at {@code at} (at once if that has passed). */
  public void closeAt(Session session, Instant at, CloseReason reason) {
    long delay = Math.max(0, at.toEpochMilli() - System.currentTimeMillis());
    Future<?> expiry =
        timer.schedule(
            () -> registry.closes().execute(() -> Sessions.close(session, reason)),
            delay,
            TimeUnit.MILLISECONDS);
    session.getUserProperties().put(EXPIRY, expiry);
  }

  /** The session ended: its close is no longer due. */
  public void forget(Session session) {
    if (session.getUserProperties().remove(EXPIRY) instanceof Future<?> expiry) {
      expiry.cancel(false);
    }
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
  }
}
