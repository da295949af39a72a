package dev.parley.chat;

import dev.parley.chat.ChatHistory.Replay;
import dev.parley.chat.ServerMessage.ChatMessage;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

/** The bounded, numbered message log of one room in memory. Thread-safe. */
final class RoomHistory {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String room;
  private final int capacity;
  private final Clock clock;
  private final String epoch = newEpoch();
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
    if (!resumable) {
      return new Replay(epoch, newest(latest), lastId, since == null);
    }
    List<ChatMessage> missed = new ArrayList<>();
    for (ChatMessage message : messages) {
      if (message.id() > since) {
        missed.add(message);
      }
    }
    long oldestKept = messages.isEmpty() ? lastId + 1 : messages.peekFirst().id();
    boolean complete = since >= oldestKept - 1 && since <= lastId;
    return new Replay(epoch, missed, lastId, complete);
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

  private static String newEpoch() {
    byte[] bytes = new byte[9];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
