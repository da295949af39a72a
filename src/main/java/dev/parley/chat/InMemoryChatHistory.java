package dev.parley.chat;

import dev.parley.chat.ServerMessage.ChatMessage;
import dev.parley.config.Setting;
import dev.parley.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Histories of one node, in memory. Each room's history has its own epoch, so a room forgotten to
 * stay within {@link Setting#MAX_ROOMS} and begun again is never mistaken for the old one.
 */
@ApplicationScoped
public class InMemoryChatHistory implements ChatHistory {

  private final ConcurrentMap<String, RoomHistory> rooms = new ConcurrentHashMap<>();
  private final Settings settings;
  private final Clock clock;

  @Inject
  public InMemoryChatHistory(Settings settings) {
    this(settings, Clock.systemUTC());
  }

  InMemoryChatHistory(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** For CDI's client proxy only. */
  protected InMemoryChatHistory() {
    this.settings = null;
    this.clock = null;
  }

  @Override
  public ChatMessage append(String room, String from, String text, String cid) {
    return history(room).append(from, text, cid);
  }

  @Override
  public Replay replay(String room, Long since, String epoch, int latest) {
    return history(room).replay(since, epoch, latest);
  }

  @Override
  public List<ChatMessage> before(String room, long before, int limit) {
    return history(room).before(before, limit);
  }

  private RoomHistory history(String room) {
    RoomHistory history = rooms.get(room);
    if (history != null) {
      return history;
    }
    history =
        rooms.computeIfAbsent(
            room, name -> new RoomHistory(name, settings.getInt(Setting.HISTORY_SIZE), clock));
    forgetLeastRecentlyUsedBeyondLimit();
    return history;
  }

  /** Runs only when a room's history is created, so the scan never touches the message path. */
  private void forgetLeastRecentlyUsedBeyondLimit() {
    long limit = settings.get(Setting.MAX_ROOMS);
    while (rooms.size() > limit) {
      rooms.entrySet().stream()
          .min(Comparator.comparingLong(entry -> entry.getValue().lastUsedNanos()))
          .ifPresent(oldest -> rooms.remove(oldest.getKey(), oldest.getValue()));
    }
  }
}
