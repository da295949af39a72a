package dev.parley.chat;

import dev.parley.config.CdiEndpointConfigurator;
import dev.parley.message.ServerMessageEncoder;
import dev.parley.ops.Metrics;
import dev.parley.session.EndpointErrors;
import dev.parley.session.Heartbeat;
import dev.parley.session.SendWatchdog;
import dev.parley.session.SessionRegistry;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;

/**
 * {@code /chat/{room}?name=NICK}: one connection of one member; admission and protocol do the work.
 */
@ServerEndpoint(
    value = "/chat/{room}",
    decoders = ClientMessageDecoder.class,
    encoders = ServerMessageEncoder.class,
    configurator = CdiEndpointConfigurator.class)
@Dependent
public class ChatEndpoint {

  @Inject ChatAdmission admission;
  @Inject ChatProtocol chat;
  @Inject EndpointErrors errors;
  @Inject Heartbeat heartbeat;
  @Inject SendWatchdog sendWatchdog;
  @Inject Metrics metrics;
  @Inject SessionRegistry registry;

  /** Null until admitted, and for a connection that was refused. */
  private ChatConnection connection;

  @OnOpen
  public void open(Session session, @PathParam("room") String room) {
    connection = admission.open(session, room).orElse(null);
    if (connection == null) {
      return;
    }
    ChatConnection admitted = connection;
    admitted.member().outbox().onDrop(reason -> chat.close(admitted, reason));
    heartbeat.watch(session);
    sendWatchdog.start();
    if (!session.isOpen()) {
      // closed while joining (its outbox gave up at once): @OnClose may have run before
      // connection was set, so make sure the member does not stay behind
      chat.close(connection, new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "closed"));
    }
  }

  @OnMessage
  public void receive(Session session, ClientMessage message) {
    if (connection != null) {
      heartbeat.heard(session);
      metrics.received(Metrics.CHAT);
      chat.handle(connection, message);
    }
  }

  @OnMessage
  public void pong(Session session, PongMessage pong) {
    heartbeat.heard(session);
  }

  @OnMessage
  public void receiveBinary(Session session, ByteBuffer data) {
    chat.refuseBinary(session, connection);
  }

  @OnClose
  public void close(Session session, CloseReason reason) {
    try {
      metrics.closed(Metrics.CHAT, reason.getCloseCode().getCode());
      registry.releaseAddressSlot(session);
      if (connection != null) {
        chat.close(connection, reason);
      }
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
