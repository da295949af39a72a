package dev.parley.hub;

import dev.parley.hub.BrokerEvent.Presence;
import dev.parley.message.ServerMessage.PresenceChange;
import dev.parley.message.ServerMessageEncoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Coalesces a room's joins and leaves: they are gathered for one interval, then each member gets
 * one {@code presence} frame with the net change since what it knew (its welcome, or the last
 * frame). A join storm of N members then costs each member one frame per interval, not N.
 */
final class PresenceFlush {

  /** Runs a task once after a delay; the hub's own thread, or the test's hand. */
  interface Scheduler {
    void schedule(Runnable task, long delayMillis);
  }

  private final Scheduler scheduler;
  private final long intervalMillis;
  private final ServerMessageEncoder encoder = new ServerMessageEncoder();

  PresenceFlush(Scheduler scheduler, long intervalMillis) {
    this.scheduler = scheduler;
    this.intervalMillis = intervalMillis;
  }

  /** Under the room's lock: a change to send at the end of the current interval. */
  void add(HubRoom room, Presence presence) {
    if (room.pendingPresence(presence)) {
      scheduler.schedule(() -> flush(room), intervalMillis);
    }
  }

  private void flush(HubRoom room) {
    room.locked(
        () -> {
          List<Presence> changes = room.takePendingPresence();
          if (room.retired() || changes.isEmpty()) {
            return null;
          }
          int count = changes.get(changes.size() - 1).count();
          Map<Integer, String> frames = new HashMap<>(); // by the first change a member lacks
          for (HubRoom.Entry entry : room.entries()) {
            int first = 0;
            while (first < changes.size() && changes.get(first).seq() <= entry.seq()) {
              first++;
            }
            int from = first;
            String frame =
                frames.computeIfAbsent(
                    from, start -> encode(net(changes.subList(start, changes.size()), count)));
            if (frame != null) {
              entry.member().outbox().offer(frame);
            }
          }
          return null;
        });
  }

  /** The frame for these changes, or null when they cancel out. */
  String encode(PresenceChange change) {
    return change.joined().isEmpty() && change.left().isEmpty() ? null : encoder.encode(change);
  }

  /**
   * The net change of a run of joins and leaves: a nick whose first change is a join was absent
   * before, one whose last is a join is present after; only a difference is told.
   */
  static PresenceChange net(List<Presence> changes, int count) {
    Map<String, Presence> first = new LinkedHashMap<>();
    Map<String, Presence> last = new LinkedHashMap<>();
    for (Presence change : changes) {
      String key = Member.keyOf(change.name());
      first.putIfAbsent(key, change);
      last.put(key, change);
    }
    List<String> joined = new ArrayList<>();
    List<String> left = new ArrayList<>();
    for (Map.Entry<String, Presence> entry : last.entrySet()) {
      boolean before = !first.get(entry.getKey()).joined();
      boolean after = entry.getValue().joined();
      if (!before && after) {
        joined.add(entry.getValue().name());
      } else if (before && !after) {
        left.add(entry.getValue().name());
      }
    }
    return new PresenceChange(joined, left, count);
  }
}
