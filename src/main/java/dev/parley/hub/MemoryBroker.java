package dev.parley.hub;

import dev.parley.config.Setting;
import dev.parley.config.Settings;
import dev.parley.hub.BrokerEvent.Presence;
import dev.parley.message.ServerMessage.ChatMessage;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The broker of a single node: rooms in memory, events handed to the hub on the caller's thread.
 * Each room numbers and publishes under its own monitor, so the hub gets a room's events one at a
 * time and in order. Rooms nobody is in are forgotten, least recently used first, beyond {@link
 * Setting#MAX_ROOMS}; each history has its own epoch, so a room begun again is never mistaken for
 * the old one.
 */
public final class MemoryBroker implements Broker {

  private final ConcurrentMap<String, MemoryRoom> rooms = new ConcurrentHashMap<>();
  private final Settings settings;
  private final Clock clock;
  private volatile BrokerListener listener;

  public MemoryBroker(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public void listen(BrokerListener listener) {
    this.listener = listener;
  }

  @Override
  public Claim join(String name, JoinRequest request) {
    while (true) {
      MemoryRoom room = room(name);
      synchronized (room) {
        if (rooms.get(name) != room) {
          continue; // forgotten while idle, just now: take the fresh one
        }
        return join(name, room, request);
      }
    }
  }

  private Claim join(String name, MemoryRoom room, JoinRequest request) {
    Member member = request.member();
    MemoryRoom.Holder held = room.holder(member.key());
    if (held != null && held.token().equals(member.token())) {
      return new Claim.Kept();
    }
    long now = clock.millis();
    if (held != null && !presentsTokenOf(room, held, request, now)) {
      return new Claim.Taken();
    }
    if (held == null && room.size() >= request.maxMembers()) {
      return new Claim.Full();
    }
    String origin = held != null ? held.origin() : departedOrigin(room, request, now);
    if (held != null) { // the replaced connection's token still names its member a while
      room.departed(member.key(), held, now + CID_MEMORY_MILLIS);
    }
    room.hold(member.key(), new MemoryRoom.Holder(member.name(), member.token(), origin));
    long seq = room.nextSeq();
    listener.event(
        name,
        held == null
            ? new Presence(true, seq, member.name(), room.size())
            : new BrokerEvent.Replaced(seq, member.name(), held.token()));
    Replay replay = room.history.replay(request.since(), request.epoch(), request.latest());
    return new Claim.Admitted(seq, room.names(null, request.listLimit()), room.size(), replay);
  }

  /** A member back with the token of a connection that left is the same member (same cids). */
  private static String departedOrigin(MemoryRoom room, JoinRequest request, long now) {
    Member member = request.member();
    String origin = room.originOfDeparted(member.key(), request.presentedToken(), now);
    return origin != null ? origin : member.token();
  }

  /**
   * The holder's own token, or the token of an earlier connection of the same member (whose welcome
   * with the newer token may never have arrived).
   */
  private static boolean presentsTokenOf(
      MemoryRoom room, MemoryRoom.Holder held, JoinRequest request, long now) {
    String presented = request.presentedToken();
    return held.token().equals(presented)
        || held.origin().equals(room.originOfDeparted(request.member().key(), presented, now));
  }

  @Override
  public void leave(String name, Member member) {
    MemoryRoom room = rooms.get(name);
    if (room == null) {
      return;
    }
    synchronized (room) {
      if (room.release(member.key(), member.token(), clock.millis() + CID_MEMORY_MILLIS)) {
        listener.event(name, new Presence(false, room.nextSeq(), member.name(), room.size()));
      }
    }
  }

  @Override
  public Said say(String name, Member member, String text, String cid) {
    MemoryRoom room = room(name);
    synchronized (room) {
      MemoryRoom.Holder holder = room.holder(member.key());
      if (holder == null || !holder.token().equals(member.token())) {
        return holder == null ? new Said.Unknown() : new Said.Replaced();
      }
      long now = clock.millis();
      ChatMessage earlier = cid == null ? null : room.said(holder.origin(), cid, now);
      if (earlier != null) {
        return new Said.Duplicate(earlier);
      }
      ChatMessage message = room.history.append(member.name(), text, cid);
      if (cid != null) {
        room.remember(holder.origin(), message, now + CID_MEMORY_MILLIS);
      }
      listener.event(name, new BrokerEvent.Message(room.history.epoch(), room.nextSeq(), message));
      return new Said.Accepted();
    }
  }

  @Override
  public Optional<String> whisper(String room, String nickKey, Function<String, String> frameFor) {
    return Optional.empty(); // every member of this broker is on this node, so the hub found it
  }

  @Override
  public boolean relay(String room, String token, String frame) {
    return false; // every member of this broker is on this node, so the caller found it there
  }

  @Override
  public void typing(String name, String typist) {
    listener.event(name, new BrokerEvent.Typing(typist));
  }

  @Override
  public List<ChatMessage> before(String name, long before, int limit) {
    return room(name).history.before(before, limit);
  }

  @Override
  public Roster members(String name, String afterKey, int limit) {
    MemoryRoom room = room(name);
    synchronized (room) {
      return new Roster(room.names(afterKey, limit), room.size());
    }
  }

  @Override
  public List<ChatMessage> after(String name, long after) {
    return room(name).history.after(after);
  }

  @Override
  public String epoch(String name) {
    return room(name).history.epoch();
  }

  @Override
  public void close() {
    rooms.clear();
  }

  private MemoryRoom room(String name) {
    MemoryRoom room = rooms.get(name);
    if (room != null) {
      return room;
    }
    room =
        rooms.computeIfAbsent(
            name,
            key ->
                new MemoryRoom(new RoomHistory(key, settings.getInt(Setting.HISTORY_SIZE), clock)));
    forgetLeastRecentlyUsedBeyondLimit();
    return room;
  }

  /**
   * Forgets the least recently used rooms that nobody is in. A room with members keeps its history
   * whatever the count: its members' ids must not start again. Runs only when a room is created, so
   * the scan never touches the message path.
   */
  private void forgetLeastRecentlyUsedBeyondLimit() {
    long excess = rooms.size() - settings.get(Setting.MAX_ROOMS);
    if (excess <= 0) {
      return;
    }
    rooms.entrySet().stream()
        .filter(entry -> isEmpty(entry.getValue()))
        .sorted(Comparator.comparingLong(entry -> entry.getValue().history.lastUsedNanos()))
        .limit(excess)
        .toList()
        .forEach(idle -> forgetIfEmpty(idle.getKey(), idle.getValue()));
  }

  /** Checked again under the room's monitor: a join may have just come in. */
  private void forgetIfEmpty(String name, MemoryRoom room) {
    synchronized (room) {
      if (room.isEmpty()) {
        rooms.remove(name, room);
      }
    }
  }

  private static boolean isEmpty(MemoryRoom room) {
    synchronized (room) {
      return room.isEmpty();
    }
  }
}
