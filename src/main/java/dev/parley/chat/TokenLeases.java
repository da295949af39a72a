package dev.parley.chat;

import dev.parley.auth.Authentication;
import dev.parley.auth.Identity;
import dev.parley.auth.TokenRefused;
import dev.parley.message.ErrorCode;
import dev.parley.message.ServerMessage.ErrorFrame;
import dev.parley.message.ServerMessageEncoder;
import dev.parley.session.DaemonThreads;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * How long an authenticated connection may stay: until its token's {@code exp}. It is told {@code
 * token-expiring} {@link #WARNING_SECONDS} before (at once when less is left), may send a {@code
 * refresh} with a newer token for the same subject, and is closed with 1008 when the time is up.
 */
@ApplicationScoped
public class TokenLeases {

  /** How long before expiry a connection is told to refresh. */
  public static final long WARNING_SECONDS = 30;

  static final String OTHER_SUBJECT = "The refresh token is for another subject";
  static final String ROOM_NOT_ALLOWED = "The refresh token does not allow this room";

  private final Authentication authentication;
  private final ServerMessageEncoder encoder = new ServerMessageEncoder();
  private final ScheduledThreadPoolExecutor timer;

  @Inject
  public TokenLeases(Authentication authentication) {
    this.authentication = authentication;
    timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("parley-token-leases"));
    timer.setRemoveOnCancelPolicy(true); // a refreshed or closed connection leaves nothing behind
  }

  /** For CDI's client proxy only. */
  protected TokenLeases() {
    authentication = null;
    timer = null;
  }

  /** The connection may stay until {@code expires}, unless refreshed. */
  void start(ChatConnection connection, String subject, Instant expires) {
    synchronized (connection) {
      if (!connection.ended()) {
        connection.lease(schedule(connection, subject, expires));
      }
    }
  }

  /** A {@code refresh}: a valid token for the same subject extends the connection. */
  void refresh(ChatConnection connection, String token) {
    Lease current = connection.lease();
    Identity renewed;
    try {
      renewed = authentication.verifier().verify(token);
    } catch (TokenRefused refused) {
      reply(connection, new ErrorFrame(ErrorCode.TOKEN_REFUSED, refused.getMessage(), null));
      return;
    }
    if (!renewed.subject().equals(current.subject())) {
      close(connection, OTHER_SUBJECT);
    } else if (!renewed.mayEnter(connection.room())) {
      close(connection, ROOM_NOT_ALLOWED);
    } else {
      // one lease at a time, none after the end: two refreshes at once (event stream POSTs on
      // two nodes) or a close meanwhile must not leave timers behind
      synchronized (connection) {
        if (!connection.ended()) {
          connection.lease().cancel();
          connection.lease(schedule(connection, current.subject(), renewed.expires()));
        }
      }
    }
  }

  /** The connection ended: its timers go. */
  void end(ChatConnection connection) {
    synchronized (connection) {
      connection.end();
      Lease lease = connection.lease();
      if (lease != null) {
        lease.cancel();
      }
    }
  }

  private Lease schedule(ChatConnection connection, String subject, Instant expires) {
    long left = expires.toEpochMilli() - System.currentTimeMillis();
    ScheduledFuture<?> warning =
        timer.schedule(
            () -> warn(connection, expires),
            Math.max(0, left - TimeUnit.SECONDS.toMillis(WARNING_SECONDS)),
            TimeUnit.MILLISECONDS);
    ScheduledFuture<?> expiry =
        timer.schedule(
            () -> close(connection, Authentication.TOKEN_EXPIRED),
            Math.max(0, left),
            TimeUnit.MILLISECONDS);
    return new Lease(subject, expires, warning, expiry);
  }

  private void warn(ChatConnection connection, Instant expires) {
    reply(
        connection,
        new ErrorFrame(
            ErrorCode.TOKEN_EXPIRING,
            "The token expires at " + expires + "; send a refresh with a new one",
            null));
  }

  private static void close(ChatConnection connection, String why) {
    connection
        .member()
        .outbox()
        .closeWhenSent(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, why));
  }

  private void reply(ChatConnection connection, ErrorFrame error) {
    connection.member().outbox().offer(encoder.encode(error));
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
  }

  /** A connection's token: whose, until when, and the timers that act on it. */
  record Lease(
      String subject, Instant expires, ScheduledFuture<?> warning, ScheduledFuture<?> expiry) {
    void cancel() {
      warning.cancel(false);
      expiry.cancel(false);
    }
  }
}
