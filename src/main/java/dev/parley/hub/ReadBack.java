package dev.parley.hub;

import static dev.parley.hub.BrokerListener.HISTORY_RESET;
import static dev.parley.hub.BrokerListener.MISSED;

import dev.parley.hub.BrokerEvent.Message;
import dev.parley.message.ServerMessage.ChatMessage;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads back from the broker the messages that never arrived as events (a subscription was down),
 * outside the room's lock, and delivers them in order under it; a room that cannot be made whole
 * has its members resume.
 */
final class ReadBack {

  private static final System.Logger LOG = System.getLogger(ReadBack.class.getName());

  private final Broker broker;
  private final EventDelivery delivery;

  ReadBack(Broker broker, EventDelivery delivery) {
    this.broker = broker;
    this.delivery = delivery;
  }

  private List<ChatMessage> read(String room, long after) {
    try {
      return broker.after(room, after);
    } catch (BrokerUnavailableException e) {
      LOG.log(Level.WARNING, "Could not read back what room {0} missed: {1}", room, e);
      return List.of();
    }
  }

  /** Delivers the messages read back before {@code early}, then it; or resets the room. */
  void fill(HubRoom room, Message early, long lastDelivered, List<Runnable> afterwards) {
    List<ChatMessage> missed = read(room.name(), lastDelivered);
    room.locked(
        () -> {
          if (room.retired() || !early.epoch().equals(room.epoch())) {
            return null;
          }
          for (ChatMessage message : missed) {
            if (message.id() == room.lastId() + 1 && message.id() < early.message().id()) {
              delivery.deliver(room, new Message(early.epoch(), early.seq(), message));
            }
          }
          if (room.lastId() + 1 == early.message().id()) {
            delivery.deliver(room, early);
          } else if (room.lastId() < early.message().id()) {
            delivery.reset(room, MISSED, afterwards);
          }
          return null;
        });
  }

  /** Returns false when the broker did not answer. */
  boolean catchUp(HubRoom room) {
    record View(String epoch, long lastId) {}
    View view = room.locked(() -> new View(room.epoch(), room.lastId()));
    if (view.epoch() == null) {
      return true;
    }
    String epoch;
    List<ChatMessage> missed;
    try {
      epoch = broker.epoch(room.name());
      missed = broker.after(room.name(), view.lastId());
    } catch (BrokerUnavailableException e) {
      LOG.log(Level.INFO, "Room {0} could not catch up yet: {1}", room.name(), e.getMessage());
      return false;
    }
    List<Runnable> afterwards = new ArrayList<>();
    room.locked(
        () -> {
          if (!view.epoch().equals(room.epoch())) {
            return null; // the view began again meanwhile: its welcomes are newer than this
          }
          if (!view.epoch().equals(epoch)) {
            delivery.reset(room, HISTORY_RESET, afterwards);
            return null;
          }
          for (ChatMessage message : missed) {
            if (message.id() > room.lastId() + 1) {
              delivery.reset(room, MISSED, afterwards);
              return null;
            }
            if (message.id() == room.lastId() + 1) {
              // read back, its seq unknown: only its id counts for messages
              delivery.deliver(room, new Message(epoch, Long.MAX_VALUE, message));
            }
          }
          return null;
        });
    afterwards.forEach(Runnable::run);
    return true;
  }
}
