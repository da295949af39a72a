package dev.parley.hub;

import dev.parley.session.Sessions;
import jakarta.websocket.CloseReason;
import java.util.concurrent.Executor;

/**
 * Closes members that the hub took out of a room, and gives their nicks up in the broker. Runs
 * after the room's lock is released; when the caller still holds a room's lock (a container ran
 * {@code @OnClose} inside a send), the broker call moves to another thread, so that a hub lock is
 * never held across broker I/O nor taken in the opposite order to the memory broker's.
 */
final class Drops {

  private final Broker broker;
  private final Executor later;

  Drops(Broker broker, Executor later) {
    this.broker = broker;
    this.later = later;
  }

  /** Closes the member's connection; the broker is told unless it already moved the nick on. */
  void close(String room, Member member, CloseReason reason, boolean tellBroker) {
    Sessions.close(member.outbox().session(), reason);
    if (tellBroker) {
      leave(room, member, false);
    }
  }

  /** Gives the member's nick up in the broker, on another thread when {@code deferred}. */
  void leave(String room, Member member, boolean deferred) {
    if (deferred) {
      later.execute(() -> broker.leave(room, member));
    } else {
      broker.leave(room, member);
    }
  }
}
