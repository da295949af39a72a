package dev.parley.session;

import dev.parley.config.Setting;
import dev.parley.config.Settings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds dead connections. TCP alone may take hours to notice a peer that vanished (a phone out of
 * coverage, a NAT that forgot the flow): the server pings every connection, browsers answer
 * automatically, and a connection silent past the timeout is closed, which frees its nick and tells
 * the room ({@code left}).
 */
@ApplicationScoped
public class Heartbeat {

  private static final System.Logger LOG = System.getLogger(Heartbeat.class.getName());
  private static final String LAST_HEARD = "parley.lastHeardNanos";

  /** Reason sent with 1001 to a connection that stopped answering. */
  public static final String SILENT = "No answer to pings: connection presumed dead";

  private final SessionRegistry registry;
  private final Settings settings;
  private ScheduledExecutorService timer;

  @Inject
  public Heartbeat(SessionRegistry registry, Settings settings) {
    this.registry = registry;
    this.settings = settings;
  }

  /** For CDI's client proxy only. */
  protected Heartbeat() {
    this(null, null);
  }

  /** Starts watching a new connection. */
  public void watch(Session session) {
    session.getUserProperties().put(LAST_HEARD, new AtomicLong(System.nanoTime()));
    startTimer();
  }

  /** The peer showed it is alive: a pong or any message. */
  public void heard(Session session) {
    Object last = session.getUserProperties().get(LAST_HEARD);
    if (last instanceof AtomicLong lastHeard) {
      lastHeard.set(System.nanoTime());
    }
  }

  private synchronized void startTimer() {
    if (timer != null) {
      return;
    }
    long interval = settings.get(Setting.PING_INTERVAL_MILLIS);
    timer = DaemonTimer.named("parley-heartbeat");
    timer.scheduleWithFixedDelay(this::beat, interval, interval, TimeUnit.MILLISECONDS);
  }

  private void beat() {
    long timeout = TimeUnit.MILLISECONDS.toNanos(settings.get(Setting.HEARTBEAT_TIMEOUT_MILLIS));
    long now = System.nanoTime();
    try {
      for (Session session : registry.openSessions()) {
        try {
          check(session, now, timeout);
        } catch (IllegalStateException closedMeanwhile) {
          // Tomcat refuses even getUserProperties() once a session closed; its @OnClose is due
          LOG.log(Level.DEBUG, "Session {0} closed during the heartbeat", session.getId());
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Heartbeat round failed; the next one runs as planned", e);
    }
  }

  private static void check(Session session, long now, long timeout) {
    Object last = session.getUserProperties().get(LAST_HEARD);
    if (last instanceof AtomicLong lastHeard && now - lastHeard.get() > timeout) {
      LOG.log(Level.INFO, "Closing silent session {0}", session.getId());
      Sessions.close(session, new CloseReason(CloseReason.CloseCodes.GOING_AWAY, SILENT));
    } else {
      ping(session);
    }
  }

  private static void ping(Session session) {
    try {
      session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
    } catch (IOException | IllegalStateException | IllegalArgumentException gone) {
      LOG.log(Level.DEBUG, "Ping to session {0} failed: {1}", session.getId(), gone);
    }
  }

  @PreDestroy
  synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
