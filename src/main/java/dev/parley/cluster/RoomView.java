package dev.parley.cluster;

import dev.parley.session.Member;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this node knows of a room in which it has members: the history's epoch, the last message id
 * delivered here, and from which point on each local member gets the room's events (what came
 * before was in its welcome). Used under the room's lock only.
 */
final class RoomView {

  /**
   * A local member's welcome covered the events up to {@code seq} and messages up to {@code id}.
   */
  private record Covered(long seq, long id) {}

  private final String epoch;
  private final Map<Member, Covered> members = new LinkedHashMap<>();
  private long lastId;

  RoomView(String epoch, long lastId) {
    this.epoch = epoch;
    this.lastId = lastId;
  }

  String epoch() {
    return epoch;
  }

  long lastId() {
    return lastId;
  }

  void delivered(long id) {
    lastId = id;
  }

  void admit(Member member, long seq, long lastIdInWelcome) {
    members.put(member, new Covered(seq, lastIdInWelcome));
  }

  void forget(Member member) {
    members.remove(member);
  }

  List<Member> members() {
    return new ArrayList<>(members.keySet());
  }

  /** The local members that did not get the event {@code seq} in their welcome. */
  List<Member> after(long seq) {
    return members.entrySet().stream()
        .filter(entry -> entry.getValue().seq() < seq)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** The local members that did not get message {@code id} in their welcome. */
  List<Member> withoutMessage(long id) {
    return members.entrySet().stream()
        .filter(entry -> entry.getValue().id() < id)
        .map(Map.Entry::getKey)
        .toList();
  }
}
