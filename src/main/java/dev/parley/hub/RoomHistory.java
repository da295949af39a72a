package dev.parley.hub;

import dev.parley.message.ServerMessage.ChatMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The bounded, numbered message log of one room in memory. Thread-safe. */
final class RoomHistory {

  private final String room;
  private final int capacity;
  private final Clock clock;
  private final String epoch = Ids.epoch();
  private final ArrayDeque<ChatMessage> messages = new ArrayDeque<>();
  private long lastId;
  private volatile long lastUsedNanos = System.nanoTime();

  RoomHistory(String room, int capacity, Clock clock) {
    this.room = room;
    this.capacity = capacity;
    this.clock = clock;
  }

  synchronized ChatMessage append(String from, String text, String cid) {
    touch();
    String ts = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString();
    ChatMessage message = new ChatMessage(++lastId, room, from, text, ts, cid);
    messages.addLast(message);
    while (messages.size() > capacity) {
      messages.removeFirst();
    }
    return message;
  }

  synchronized Replay replay(Long since, String clientEpoch, int latest) {
    touch();
    boolean resumable = since != null && epoch.equals(clientEpoch);
    List<ChatMessage> messages = resumable ? after(since) : newest(latest);
    long oldestKept = messages.isEmpty() ? lastId + 1 : this.messages.peekFirst().id();
    return new Replay(
        epoch, messages, lastId, Replay.complete(since, clientEpoch, epoch, oldestKept, lastId));
  }

  /** The kept messages with ids above {@code after}, oldest first. */
  synchronized List<ChatMessage> after(long after) {
    List<ChatMessage> newer = new ArrayList<>();
    for (ChatMessage message : messages) {
      if (message.id() > after) {
        newer.add(message);
      }
    }
    return newer;
  }

  String epoch() {
    return epoch;
  }

  synchronized List<ChatMessage> before(long before, int limit) {
    touch();
    ArrayDeque<ChatMessage> page = new ArrayDeque<>(limit);
    Iterator<ChatMessage> newestFirst = messages.descendingIterator();
    while (newestFirst.hasNext() && page.size() < limit) {
      ChatMessage message = newestFirst.next();
      if (message.id() < before) {
        page.addFirst(message);
      }
    }
    return List.copyOf(page);
  }

  long lastUsedNanos() {
    return lastUsedNanos;
  }

  private List<ChatMessage> newest(int count) {
    int skip = Math.max(0, messages.size() - count);
    return messages.stream().skip(skip).toList();
  }

  private void touch() {
    lastUsedNanos = System.nanoTime();
  }
}
