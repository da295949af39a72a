package dev.parley.push;

import dev.parley.session.Peer;
import jakarta.websocket.CloseReason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * A peer whose writes complete only when the test says so, like a client that stopped reading; or
 * at once, like one that keeps up.
 */
final class HeldPeer implements Peer {

  private final boolean completesAtOnce;
  private final List<String> sent = new ArrayList<>();
  private final Deque<Consumer<Throwable>> pending = new ArrayDeque<>();
  private final List<CloseReason> closes = new ArrayList<>();
  private RuntimeException sendThrows;
  private Throwable sendFails;

  private HeldPeer(boolean completesAtOnce) {
    this.completesAtOnce = completesAtOnce;
  }

  /** A peer whose container refuses to start a send, as for a session closed meanwhile. */
  static HeldPeer throwing() {
    HeldPeer peer = new HeldPeer(true);
    peer.sendThrows = new IllegalStateException("The WebSocket session has been closed");
    return peer;
  }

  /** A peer whose sends complete with a failure, as for a connection reset. */
  static HeldPeer failing() {
    HeldPeer peer = new HeldPeer(true);
    peer.sendFails = new java.io.IOException("Connection reset by peer");
    return peer;
  }

  synchronized List<CloseReason> closes() {
    return List.copyOf(closes);
  }

  static HeldPeer keepingUp() {
    return new HeldPeer(true);
  }

  static HeldPeer notReading() {
    return new HeldPeer(false);
  }

  /** What was handed to the transport, in order. */
  synchronized List<String> sent() {
    return List.copyOf(sent);
  }

  /** The oldest write in flight completes. */
  void completeOne() {
    Consumer<Throwable> done;
    synchronized (this) {
      done = pending.removeFirst();
    }
    done.accept(null);
  }

  synchronized int inFlight() {
    return pending.size();
  }

  @Override
  public void send(String text, Consumer<Throwable> done) {
    if (sendThrows != null) {
      throw sendThrows;
    }
    synchronized (this) {
      sent.add(text);
      if (!completesAtOnce) {
        pending.addLast(done);
        return;
      }
    }
    done.accept(sendFails);
  }

  @Override
  public String id() {
    return "held";
  }

  @Override
  public String address() {
    return "127.0.0.1";
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public synchronized void close(CloseReason reason) {
    closes.add(reason);
  }
}
