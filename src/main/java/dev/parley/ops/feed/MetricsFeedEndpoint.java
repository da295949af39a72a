package dev.parley.ops.feed;

import dev.parley.auth.Authentication;
import dev.parley.config.CdiEndpointConfigurator;
import dev.parley.config.Setting;
import dev.parley.config.Settings;
import dev.parley.ops.Metrics;
import dev.parley.push.LatestValue;
import dev.parley.security.PeerAddress;
import dev.parley.session.EndpointErrors;
import dev.parley.session.Expiries;
import dev.parley.session.FrameSize;
import dev.parley.session.Heartbeat;
import dev.parley.session.SessionRegistry;
import dev.parley.session.Sessions;
import dev.parley.session.WebSocketPeer;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.StringReader;
import java.util.List;

/**
 * {@code /feed/metrics}: the backlog, then a snapshot a second ({@link MetricsFeed}). A client may
 * acknowledge what it has taken in with {@code {"type":"ack","n":N}}, N counting the frames of this
 * connection, the backlog being the first; from its first ack on, it is sent a frame only once it
 * has acknowledged all before, so that one that stalls finds at most one old snapshot when it comes
 * back, then the newest. Anything else it sends closes the feed with 1003. With authentication on,
 * the feed closes with 1008 when the token expires.
 */
@ServerEndpoint(value = "/feed/metrics", configurator = CdiEndpointConfigurator.class)
@Dependent
public class MetricsFeedEndpoint {

  /** Acks are all a subscriber sends: a frame larger than this is closed with 1009. */
  public static final int MAX_FRAME_BYTES = 1024;

  /** Reason sent with 1003 for any frame but an ack. */
  public static final String ACKS_ONLY = "The feed takes only {\"type\":\"ack\",\"n\":N}";

  /** Reason sent with 1008 to a handshake that did not pass authentication. */
  public static final String NOT_AUTHENTICATED = "The feed needs a token with the role ops";

  private static final JsonProvider JSON = JsonProvider.provider();
  private static final String SUBSCRIBER = "parley.feedSubscriber";
  // an ack as the page sends it, read without a parser: every subscriber sends one a second
  private static final String ACK_PREFIX = "{\"type\":\"ack\",\"n\":";
  private static final long NOT_AN_ACK = -1;

  @Inject MetricsFeed feed;
  @Inject SessionRegistry registry;
  @Inject Settings settings;
  @Inject Heartbeat heartbeat;
  @Inject EndpointErrors errors;
  @Inject Metrics metrics;
  @Inject Expiries expiries;
  @Inject Authentication authentication;

  @OnOpen
  public void open(Session session) {
    if (authentication.enabled() && !passedAuthentication(session)) {
      // the filter checks every handshake it sees; a path it did not see is refused here too
      Sessions.close(
          session, new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, NOT_AUTHENTICATED));
      return;
    }
    String address = PeerAddress.of(session);
    if (!registry.claimAddressSlot(
        session, address, settings.getInt(Setting.MAX_CONNECTIONS_PER_ADDRESS))) {
      return;
    }
    session.setMaxTextMessageBufferSize(MAX_FRAME_BYTES);
    session.setMaxBinaryMessageBufferSize(MAX_FRAME_BYTES);
    Sessions.boundCloseWait(session);
    registry.addFeed(session);
    heartbeat.watch(session);
    session
        .getUserProperties()
        .put(SUBSCRIBER, feed.subscribe(new WebSocketPeer(session, address)));
    // last: an expiry that is already due closes the session, whose close finds all of the above
    Authentication.expiry(session)
        .ifPresent(at -> expiries.closeAt(session, at, Authentication.tokenExpired()));
  }

  @OnMessage
  public void text(Session session, String text) {
    heartbeat.heard(session);
    if (FrameSize.exceeds(text, MAX_FRAME_BYTES)) {
      FrameSize.closeTooBig(session, MAX_FRAME_BYTES); // Tyrus keeps no per-session limit
      return;
    }
    long received = acknowledgedCount(text);
    if (received >= 0 && session.getUserProperties().get(SUBSCRIBER) instanceof LatestValue value) {
      value.acknowledged(received);
    } else {
      refuse(session);
    }
  }

  @OnMessage
  public void binary(Session session, byte[] data) {
    heartbeat.heard(session);
    refuse(session);
  }

  @OnMessage
  public void pong(Session session, PongMessage pong) {
    heartbeat.heard(session);
  }

  @OnClose
  public void close(Session session, CloseReason reason) {
    try {
      if (session.getUserProperties().remove(SUBSCRIBER) instanceof LatestValue value) {
        feed.unsubscribe(value);
      }
      expiries.forget(session);
      registry.removeFeed(session);
      registry.releaseAddressSlot(session);
      metrics.closed(Metrics.FEED, reason.getCloseCode().getCode());
    } catch (IllegalStateException applicationStopped) {
      EndpointErrors.afterShutdown(reason, applicationStopped);
    }
  }

  @OnError
  public void error(Session session, Throwable error) {
    try {
      errors.handle(session, error);
    } catch (IllegalStateException applicationStopped) {
      EndpointErrors.afterShutdown(error, applicationStopped);
    }
  }

  private static boolean passedAuthentication(Session session) {
    List<String> subject = session.getRequestParameterMap().get(Authentication.SUBJECT);
    return subject != null && !subject.isEmpty() && subject.get(0) != null;
  }

  private static void refuse(Session session) {
    Sessions.close(session, new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, ACKS_ONLY));
  }

  /** The N of an ack, {@code {"type":"ack","n":N}} with N ≥ 0; {@link #NOT_AN_ACK} otherwise. */
  static long acknowledgedCount(String text) {
    if (text.startsWith(ACK_PREFIX) && text.endsWith("}")) {
      String digits = text.substring(ACK_PREFIX.length(), text.length() - 1);
      if (!digits.isEmpty()
          && digits.length() <= 18
          && digits.chars().allMatch(Character::isDigit)) {
        return Long.parseLong(digits);
      }
    }
    try (JsonReader reader = JSON.createReader(new StringReader(text))) {
      if (reader.read() instanceof JsonObject frame
          && "ack".equals(frame.getString("type", null))
          && frame.get("n") instanceof JsonNumber n
          && n.isIntegral()
          && n.longValue() >= 0) {
        return n.longValue();
      }
    } catch (JsonException | IllegalStateException | ArithmeticException malformed) {
      // not an ack
    }
    return NOT_AN_ACK;
  }
}
