package dev.parley.session;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.function.Consumer;

/** A peer on a WebSocket session. */
public record WebSocketPeer(Session session, String address) implements Peer {

  @Override
  public String id() {
    return session.getId();
  }

  @Override
  public boolean isOpen() {
    return session.isOpen();
  }

  @Override
  public void send(String text, Consumer<Throwable> done) {
    session
        .getAsyncRemote()
        .sendText(text, result -> done.accept(result.isOK() ? null : result.getException()));
  }

  @Override
  public void close(CloseReason reason) {
    Sessions.close(session, reason);
  }
}
