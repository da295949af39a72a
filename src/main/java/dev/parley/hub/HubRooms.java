package dev.parley.hub;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The rooms in which this node has members or joins in flight; each has its own lock. */
final class HubRooms {

  private final ConcurrentMap<String, HubRoom> rooms = new ConcurrentHashMap<>();

  /** A join in flight in a room, and the count of events the room had processed before it. */
  record Joining(HubRoom room, long mark) {}

  /** The room, with a join counted in flight: it stays until that join has ended. */
  Joining startJoin(String name) {
    while (true) {
      HubRoom room = rooms.computeIfAbsent(name, HubRoom::new);
      Long mark =
          room.locked(
              () -> room.retired() ? null : room.joinStarted()); // retired: take the fresh one
      if (mark != null) {
        return new Joining(room, mark);
      }
    }
  }

  /** Under the room's lock: the join is over, and the room goes if nobody is in it. */
  void endJoin(HubRoom room) {
    if (room.joinEnded()) {
      rooms.remove(room.name(), room);
    }
  }

  /** Under the room's lock: the room goes if nobody is in it or on the way. */
  void retireIfUnused(HubRoom room) {
    if (room.retireIfUnused()) {
      rooms.remove(room.name(), room);
    }
  }

  /** The room if this node has it, else null. */
  HubRoom get(String name) {
    return rooms.get(name);
  }

  List<HubRoom> all() {
    return List.copyOf(rooms.values());
  }

  int count() {
    return rooms.size();
  }
}
