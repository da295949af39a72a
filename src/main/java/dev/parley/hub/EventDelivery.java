package dev.parley.hub;

import dev.parley.hub.BrokerEvent.Message;
import dev.parley.hub.BrokerEvent.Presence;
import dev.parley.hub.BrokerEvent.Relayed;
import dev.parley.hub.BrokerEvent.Replaced;
import dev.parley.hub.BrokerEvent.Typing;
import dev.parley.hub.BrokerEvent.Whisper;
import dev.parley.message.ServerMessage.ChatMessage;
import dev.parley.message.ServerMessage.TypingNotice;
import dev.parley.message.ServerMessageEncoder;
import dev.parley.session.CloseCodes;
import jakarta.websocket.CloseReason;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Delivers a broker's events to this node's members, the same way for every broker: each event is
 * encoded once, and reaches the members whose welcome did not cover it. A message whose
 * predecessors never arrived (a subscription was down) is preceded by them, read back from the
 * broker outside the room's lock; when they cannot be read back, or the history began again, the
 * members are closed with 1012 so that they resume.
 */
final class EventDelivery implements BrokerListener {

  private static final System.Logger LOG = System.getLogger(EventDelivery.class.getName());

  /** Reason sent with 1013 to a member that lost its place in a room that filled up. */
  static final String ROOM_FULL = "Room is full";

  /** Reason sent with 4001 to the connection that a takeover replaced. */
  static final String REPLACED = "Replaced by a newer connection of the same member";

  private final HubRooms rooms;
  private final Broker broker;
  private final Drops drops;
  private final PresenceFlush presenceFlush;
  private final ServerMessageEncoder encoder = new ServerMessageEncoder();
  private final ReadBack readBack;
  private volatile BiConsumer<Member, String> relayed = (member, frame) -> {};

  EventDelivery(HubRooms rooms, Broker broker, Drops drops, PresenceFlush presenceFlush) {
    this.presenceFlush = presenceFlush;
    this.rooms = rooms;
    this.broker = broker;
    this.drops = drops;
    this.readBack = new ReadBack(broker, this);
  }

  @Override
  public void event(String name, BrokerEvent event) {
    HubRoom room = rooms.get(name);
    if (room == null) {
      return; // nobody here
    }
    List<Runnable> afterwards = new ArrayList<>();
    Long gapAfter = room.locked(() -> apply(room, event, afterwards));
    if (gapAfter != null) {
      readBack.fill(room, (Message) event, gapAfter, afterwards);
    }
    afterwards.forEach(Runnable::run);
  }

  /** Applies an event under the lock; returns the last id delivered when a message came early. */
  private Long apply(HubRoom room, BrokerEvent event, List<Runnable> afterwards) {
    if (room.retired()) {
      return null;
    }
    if (room.epoch() == null) {
      room.processed(event, null); // only joins in flight are here: their welcomes decide
      return null;
    }
    if (event instanceof Message message) {
      if (!message.epoch().equals(room.epoch())) {
        reset(room, HISTORY_RESET, afterwards);
        return null;
      }
      long id = message.message().id();
      if (id > room.lastId() + 1) {
        return room.lastId();
      }
      if (id == room.lastId() + 1) {
        deliver(room, message);
      }
    } else if (event instanceof Presence presence) {
      room.processed(presence, null);
      presenceFlush.add(room, presence);
    } else if (event instanceof Replaced replaced) {
      room.find(Member.keyOf(replaced.name()))
          .filter(stale -> stale.token().equals(replaced.token()))
          .filter(room::remove)
          .ifPresent(stale -> afterwards.add(() -> closeReplaced(room.name(), stale)));
      room.processed(replaced, null);
      rooms.retireIfUnused(room);
    } else if (event instanceof Typing typing) {
      String frame = encoder.encode(new TypingNotice(typing.name()));
      String typist = Member.keyOf(typing.name());
      room.members().stream()
          .filter(member -> !member.key().equals(typist))
          .forEach(member -> member.outbox().offer(frame));
    } else if (event instanceof Whisper whisper) {
      room.find(whisper.nickKey())
          .filter(target -> target.token().equals(whisper.token()))
          .ifPresent(target -> target.outbox().offer(whisper.frame()));
    } else if (event instanceof Relayed relay) {
      BiConsumer<Member, String> handler = relayed;
      room.find(relay.nickKey())
          .filter(target -> target.token().equals(relay.token()))
          .ifPresent(target -> afterwards.add(() -> handler.accept(target, relay.frame())));
    }
    return null;
  }

  /** Who handles a client frame relayed to a member of this node: outside the room's lock. */
  void onRelayed(BiConsumer<Member, String> handler) {
    relayed = handler;
  }

  /** Under the lock: the next message, to every member whose welcome did not include it. */
  void deliver(HubRoom room, Message message) {
    ChatMessage said = message.message();
    String frame = encoder.encode(said);
    for (HubRoom.Entry entry : room.entries()) {
      if (entry.id() < said.id()) {
        entry.member().outbox().offer(frame);
      }
    }
    room.delivered(message);
    room.processed(message, frame);
  }

  @Override
  public boolean catchUp(String name) {
    HubRoom room = rooms.get(name);
    return room == null || readBack.catchUp(room);
  }

  @Override
  public boolean catchUp() {
    boolean all = true;
    for (HubRoom room : rooms.all()) {
      all &= readBack.catchUp(room);
    }
    return all;
  }

  @Override
  public void reset(String name, String reason) {
    HubRoom room = rooms.get(name);
    if (room != null) {
      List<Runnable> afterwards = new ArrayList<>();
      room.locked(
          () -> {
            reset(room, reason, afterwards);
            return null;
          });
      afterwards.forEach(Runnable::run);
    }
  }

  @Override
  public void replaced(String name, Member member) {
    if (removeHere(name, member)) {
      closeReplaced(name, member);
    }
  }

  @Override
  public void roomFull(String name, Member member) {
    if (removeHere(name, member)) {
      CloseReason full = new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, ROOM_FULL);
      drops.close(name, member, full, false);
    }
  }

  private boolean removeHere(String name, Member member) {
    HubRoom room = rooms.get(name);
    return room != null
        && room.locked(
            () -> {
              boolean removed = room.remove(member);
              rooms.retireIfUnused(room);
              return removed;
            });
  }

  @Override
  public List<LocalRoom> localMembers() {
    return rooms.all().stream()
        .map(room -> room.locked(() -> new LocalRoom(room.name(), room.epoch(), room.members())))
        .filter(local -> local.epoch() != null)
        .toList();
  }

  /**
   * Under the lock: events were lost or the history began again. Every member here leaves and is
   * closed with 1012 to resume, and so are the joins in flight.
   */
  void reset(HubRoom room, String reason, List<Runnable> afterwards) {
    room.lostEvents();
    closeAll(room, reason, afterwards);
  }

  /** Under the lock: every member here leaves and is closed with 1012 to resume. */
  void closeAll(HubRoom room, String reason, List<Runnable> afterwards) {
    List<Member> stale = room.clear();
    rooms.retireIfUnused(room);
    if (!stale.isEmpty()) {
      LOG.log(Level.INFO, "Room {0}: {1}; closing {2} members", room.name(), reason, stale.size());
    }
    CloseReason close = new CloseReason(CloseReason.CloseCodes.SERVICE_RESTART, reason);
    stale.forEach(member -> afterwards.add(() -> drops.close(room.name(), member, close, true)));
  }

  void closeReplaced(String room, Member stale) {
    drops.close(room, stale, new CloseReason(CloseCodes.REPLACED, REPLACED), false);
  }
}
