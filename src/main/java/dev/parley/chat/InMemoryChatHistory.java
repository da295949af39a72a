package dev.parley.chat;

import dev.parley.chat.ServerMessage.ChatMessage;
import dev.parley.config.Setting;
import dev.parley.config.Settings;
import dev.parley.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

/**
 * Histories of one node, in memory. Each room's history has its own epoch, so a room forgotten to
 * stay within {@link Setting#MAX_ROOMS} and begun again is never mistaken for the old one.
 */
@ApplicationScoped
public class InMemoryChatHistory implements ChatHistory {

  private final ConcurrentMap<String, RoomHistory> rooms = new ConcurrentHashMap<>();
  private final Settings settings;
  private final Predicate<String> roomInUse;
  private final Clock clock;

  @Inject
  public InMemoryChatHistory(Settings settings, SessionRegistry registry) {
    this(settings, registry::hasMembers, Clock.systemUTC());
  }

  InMemoryChatHistory(Settings settings, Predicate<String> roomInUse, Clock clock) {
    this.settings = settings;
    this.roomInUse = roomInUse;
    this.clock = clock;
  }

  /** For CDI's client proxy only. */
  protected InMemoryChatHistory() {
    this.settings = null;
    this.roomInUse = null;
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

  /**
   * Forgets the least recently used histories of rooms nobody is in. A room with members keeps its
   * history whatever the count: its members' ids must not start again. Runs only when a history is
   * created, so the scan never touches the message path.
   */
  private void forgetLeastRecentlyUsedBeyondLimit() {
    long excess = rooms.size() - settings.get(Setting.MAX_ROOMS);
    if (excess <= 0) {
      return;
    }
    rooms.entrySet().stream()
        .filter(entry -> !roomInUse.test(entry.getKey()))
        .sorted(Comparator.comparingLong(entry -> entry.getValue().lastUsedNanos()))
        .limit(excess)
        .toList()
        .forEach(idle -> rooms.remove(idle.getKey(), idle.getValue()));
  }
}
