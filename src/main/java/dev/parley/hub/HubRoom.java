package dev.parley.hub;

import dev.parley.hub.BrokerEvent.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One room as this node sees it: its members here, what each one's welcome covered, the history's
 * epoch and the last message delivered. Everything but {@link #locked} is called under the room's
 * lock, which is never held across a broker call; rooms never wait on each other.
 */
final class HubRoom {

  /** Events kept for the joins in flight; more than this and those joins must resume. */
  static final int MAX_BUFFERED_EVENTS = 4096;

  /** An event processed while joins were in flight, with its frame once encoded. */
  static final class Processed {
    final BrokerEvent event;
    private String frame;

    Processed(BrokerEvent event, String frame) {
      this.event = event;
      this.frame = frame;
    }

    /** Encoded once, for every joiner that needs it. */
    String frame(Function<BrokerEvent, String> encode) {
      if (frame == null) {
        frame = encode.apply(event);
      }
      return frame;
    }
  }

  /** A member here, and the last event and message id its welcome covered. */
  record Entry(Member member, long seq, long id) {}

  private final String name;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Entry> members = new LinkedHashMap<>();
  private final ArrayDeque<Processed> duringJoins = new ArrayDeque<>();
  private long processedCount;
  private final List<BrokerEvent.Presence> pendingPresence = new ArrayList<>();
  private long lastFlushedSeq;
  private int joinsInFlight;
  private String epoch;
  private long lastId;
  private boolean retired;

  HubRoom(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  /** Whether this thread is inside {@link #locked} (a container ran a close inside a send). */
  boolean heldByCurrentThread() {
    return lock.isHeldByCurrentThread();
  }

  boolean retired() {
    return retired;
  }

  /**
   * A join goes to the broker: from now on the room keeps what it processes for that join. Returns
   * the join's mark: the count of events processed before it.
   */
  long joinStarted() {
    joinsInFlight++;
    return processedCount;
  }

  /** A join came back from the broker; returns whether the room is empty and done with. */
  boolean joinEnded() {
    joinsInFlight--;
    if (joinsInFlight == 0) {
      duringJoins.clear();
    }
    return retireIfUnused();
  }

  /**
   * What was processed since the join with this mark started, oldest first; empty when some of it
   * was dropped (more than {@link #MAX_BUFFERED_EVENTS}, or a reset): that join must resume.
   */
  Optional<List<Processed>> processedSince(long mark) {
    long firstKept = processedCount - duringJoins.size();
    if (mark < firstKept) {
      return Optional.empty();
    }
    List<Processed> since = new ArrayList<>((int) (processedCount - mark));
    long index = firstKept;
    for (Processed processed : duringJoins) {
      if (index++ >= mark) {
        since.add(processed);
      }
    }
    return Optional.of(since);
  }

  /**
   * Keeps a processed event, and its frame when already encoded, for the joins in flight; the
   * oldest go beyond the bound.
   */
  void processed(BrokerEvent event, String frame) {
    if (event instanceof BrokerEvent.Typing || event instanceof BrokerEvent.Whisper) {
      return;
    }
    processedCount++;
    if (joinsInFlight == 0) {
      return;
    }
    duringJoins.addLast(new Processed(event, frame));
    if (duringJoins.size() > MAX_BUFFERED_EVENTS) {
      duringJoins.removeFirst();
    }
  }

  /** Keeps a change for the next presence frame; true when it is the first of the interval. */
  boolean pendingPresence(BrokerEvent.Presence presence) {
    pendingPresence.add(presence);
    return pendingPresence.size() == 1;
  }

  /** The changes of the interval that ends now, oldest first. */
  List<BrokerEvent.Presence> takePendingPresence() {
    List<BrokerEvent.Presence> changes = List.copyOf(pendingPresence);
    pendingPresence.clear();
    if (!changes.isEmpty()) {
      lastFlushedSeq = changes.get(changes.size() - 1).seq();
    }
    return changes;
  }

  /** The last change that went out in a presence frame; later ones are still to be sent. */
  long lastFlushedSeq() {
    return lastFlushedSeq;
  }

  /** Events were lost (the broker says so): the joins in flight must resume. */
  void lostEvents() {
    processedCount++;
    duringJoins.clear();
  }

  /** The history's epoch that this room's members are in, or null when it has none. */
  String epoch() {
    return epoch;
  }

  long lastId() {
    return lastId;
  }

  /** Starts the room's view afresh from a welcome: no member here has seen anything else. */
  void start(String epoch, long lastId) {
    this.epoch = epoch;
    this.lastId = lastId;
  }

  void delivered(Message message) {
    lastId = message.message().id();
  }

  /** Adds or replaces the member holding its nick; returns the one it replaced here, if any. */
  Optional<Member> put(Entry entry) {
    Entry previous = members.put(entry.member().key(), entry);
    return Optional.ofNullable(previous).map(Entry::member).filter(old -> old != entry.member());
  }

  /** Removes the member if it still holds its nick here; returns whether it did. */
  boolean remove(Member member) {
    Entry entry = members.get(member.key());
    if (entry == null || entry.member() != member) {
      return false;
    }
    members.remove(member.key());
    if (members.isEmpty()) {
      epoch = null; // the next welcome starts the view again
    }
    return true;
  }

  /** Removes every member and returns them. */
  List<Member> clear() {
    List<Member> all = members();
    members.clear();
    epoch = null;
    return all;
  }

  /** Drops the room from its hub once nobody is in it or on the way. */
  boolean retireIfUnused() {
    if (members.isEmpty() && joinsInFlight == 0) {
      retired = true;
    }
    return retired;
  }

  Optional<Member> find(String nickKey) {
    return Optional.ofNullable(members.get(nickKey)).map(Entry::member);
  }

  /** Whether this connection still holds its nick (a takeover may have replaced it). */
  boolean holds(Member member) {
    Entry entry = members.get(member.key());
    return entry != null && entry.member() == member;
  }

  List<Member> members() {
    List<Member> all = new ArrayList<>(members.size());
    members.values().forEach(entry -> all.add(entry.member()));
    return all;
  }

  /** A copy: an offer can close a session and run its leave on this thread (reentrant lock). */
  List<Entry> entries() {
    return List.copyOf(members.values());
  }

  int size() {
    return members.size();
  }
}
