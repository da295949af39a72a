package dev.parley.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The members of one room. Everything that must be seen in one order by all members (joins, leaves,
 * messages) happens under this room's lock, so rooms never wait on each other.
 */
public final class Room {

  /** The outcome of asking for a nick. */
  public sealed interface Admission {
    /** The nick is now held by {@code member}; {@code replaced} lost it to a token takeover. */
    record Admitted(Member member, Optional<Member> replaced) implements Admission {}

    /** Another connection holds the nick and the token did not match. */
    record NickTaken() implements Admission {}

    /** The room holds as many members as it may. */
    record RoomFull() implements Admission {}
  }

  private final String name;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Member> members = new LinkedHashMap<>();
  private boolean retired;

  Room(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /**
   * Runs {@code action} holding the room's lock: nothing else changes or reaches the room
   * meanwhile.
   */
  public <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  /** Gives the nick to {@code candidate} unless someone else holds it without a matching token. */
  Admission admit(Member candidate, String presentedToken, int maxMembers) {
    Member holder = members.get(candidate.key());
    if (holder != null) {
      if (presentedToken == null || !holder.token().equals(presentedToken)) {
        return new Admission.NickTaken();
      }
    } else if (members.size() >= maxMembers) {
      return new Admission.RoomFull();
    }
    members.put(candidate.key(), candidate);
    return new Admission.Admitted(candidate, Optional.ofNullable(holder));
  }

  /** Removes the member if it still holds its nick; false when a newer connection took it over. */
  boolean remove(Member member) {
    return members.remove(member.key(), member);
  }

  boolean isEmpty() {
    return members.isEmpty();
  }

  boolean retired() {
    return retired;
  }

  void retire() {
    retired = true;
  }

  /** The member holding this nick, in any case. Call under the lock. */
  public Optional<Member> find(String nick) {
    return Optional.ofNullable(members.get(Member.keyOf(nick)));
  }

  /** The nicks present, in the order they joined. Call under the lock. */
  public List<String> names() {
    List<String> names = new ArrayList<>(members.size());
    for (Member member : members.values()) {
      names.add(member.name());
    }
    return names;
  }

  /** Queues one encoded frame for every member. Call under the lock so that all see one order. */
  public void deliver(String frame) {
    deliverExcept(null, frame);
  }

  /**
   * Queues one encoded frame for every member but one. Call under the lock. Iterates over a copy: a
   * send to a peer that just dropped can make the container run {@code @OnClose} on this very
   * thread, and that member's leave then changes the room in the middle of the loop (the lock is
   * reentrant).
   */
  public void deliverExcept(Member excluded, String frame) {
    for (Member member : List.copyOf(members.values())) {
      if (member != excluded) {
        member.outbox().offer(frame);
      }
    }
  }

  /** The members' sessions. Call under the lock. */
  List<jakarta.websocket.Session> sessions() {
    List<jakarta.websocket.Session> sessions = new ArrayList<>(members.size());
    for (Member member : members.values()) {
      sessions.add(member.outbox().session());
    }
    return sessions;
  }

  /** Number of members. Call under the lock. */
  public int size() {
    return members.size();
  }
}
