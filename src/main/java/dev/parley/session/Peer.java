package dev.parley.session;

import jakarta.websocket.CloseReason;
import java.util.function.Consumer;

/**
 * One client connection as the chat sees it, whatever carries it: a WebSocket session, or an event
 * stream with its POSTs. Frames are text, one at a time (see {@link Outbox}).
 */
public interface Peer {

  /** Names the connection in logs. */
  String id();

  /** Where it comes from, as logs and the per-address limit count it. */
  String address();

  boolean isOpen();

  /**
   * Hands one text frame to the transport without waiting for the peer; {@code done} gets null once
   * it was written, or what failed. It may run on the calling thread, before this returns.
   */
  void send(String text, Consumer<Throwable> done);

  /** Closes with this code and reason; a peer that is already gone is not an error. */
  void close(CloseReason reason);

  /**
   * Whether its client frames come as POSTs naming its token, which may land on any node (event
   * streams); a WebSocket's come on the connection itself.
   */
  default boolean takesPosts() {
    return false;
  }
}
