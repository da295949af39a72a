package dev.parley.echo;

import dev.parley.auth.Authentication;
import dev.parley.config.CdiEndpointConfigurator;
import dev.parley.config.Setting;
import dev.parley.config.Settings;
import dev.parley.ops.Metrics;
import dev.parley.security.PeerAddress;
import dev.parley.session.EndpointErrors;
import dev.parley.session.Expiries;
import dev.parley.session.FrameSize;
import dev.parley.session.Heartbeat;
import dev.parley.session.SessionRegistry;
import dev.parley.session.Sessions;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.lang.System.Logger.Level;

/**
 * {@code /echo}: every text frame comes back as the same text, every binary frame as the same
 * bytes. The reply goes out before the next frame is read, so a client that does not read slows
 * only itself.
 */
@ServerEndpoint(value = "/echo", configurator = CdiEndpointConfigurator.class)
@Dependent
public class EchoEndpoint {

  private static final System.Logger LOG = System.getLogger(EchoEndpoint.class.getName());

  @Inject SessionRegistry registry;
  @Inject Settings settings;
  @Inject EndpointErrors errors;
  @Inject Heartbeat heartbeat;
  @Inject Metrics metrics;
  @Inject Expiries expiries;

  @OnOpen
  public void open(Session session) {
    String address = PeerAddress.of(session);
    int max = settings.getInt(Setting.MAX_CONNECTIONS_PER_ADDRESS);
    if (!registry.claimAddressSlot(session, address, max)) {
      return;
    }
    LOG.log(Level.DEBUG, "Echo session {0} opened from {1}", session.getId(), address);
    // Containers with smaller default buffers (Tomcat: 8 KiB) must accept frames up to our limit.
    session.setMaxTextMessageBufferSize(settings.getInt(Setting.MAX_TEXT_MESSAGE_BYTES));
    Sessions.boundCloseWait(session);
    session.setMaxBinaryMessageBufferSize(settings.getInt(Setting.MAX_BINARY_MESSAGE_BYTES));
    registry.addEcho(session);
    heartbeat.watch(session);
    // with parley.authEcho, the token's end is the connection's: echo has no refresh
    Authentication.expiry(session)
        .ifPresent(at -> expiries.closeAt(session, at, Authentication.tokenExpired()));
  }

  @OnMessage
  public String echoText(Session session, String text) {
    heartbeat.heard(session);
    metrics.received(Metrics.ECHO, text.length());
    long max = settings.get(Setting.MAX_TEXT_MESSAGE_BYTES);
    if (FrameSize.exceeds(text, max)) {
      FrameSize.closeTooBig(session, max);
      return null;
    }
    metrics.echoed(text.length());
    return text;
  }

  @OnMessage
  public byte[] echoBinary(Session session, byte[] data) {
    heartbeat.heard(session);
    metrics.received(Metrics.ECHO, data.length);
    long max = settings.get(Setting.MAX_BINARY_MESSAGE_BYTES);
    if (data.length > max) {
      FrameSize.closeTooBig(session, max);
      return null;
    }
    metrics.echoed(data.length);
    return data;
  }

  @OnMessage
  public void pong(Session session, PongMessage pong) {
    heartbeat.heard(session);
  }

  @OnClose
  public void close(Session session, CloseReason reason) {
    try {
      registry.releaseAddressSlot(session);
      registry.removeEcho(session);
      expiries.forget(session);
      metrics.closed(Metrics.ECHO, reason.getCloseCode().getCode());
      LOG.log(
          Level.DEBUG,
          "Echo session {0} closed ({1})",
          session.getId(),
          reason.getCloseCode().getCode());
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
}
