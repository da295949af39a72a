package dev.parley.cluster;

import dev.parley.chat.ChatHistory;
import dev.parley.chat.LocalChatRooms;
import dev.parley.chat.ServerMessage.ChatMessage;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * The rooms' histories in Redis, shared by every node: a counter of ids, the newest messages in a
 * list trimmed to the history size, and an epoch set once per life of the room's keys. Appending
 * also publishes the message on the room's channel, in the same script: numbering and publishing as
 * one step is what makes id order the delivery order on every node.
 */
final class RedisChatHistory implements ChatHistory {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Supplier<RedisCommands<String, String>> redis;
  private final int historySize;
  private final RedisJson json = new RedisJson();
  private final Script say = Script.load("say");
  private final Script replay = Script.load("replay", "history");

  RedisChatHistory(Supplier<RedisCommands<String, String>> redis, int historySize) {
    this.redis = redis;
    this.historySize = historySize;
  }

  /** What became of a message said as a member. */
  enum Said {
    /** Numbered, stored and published. */
    SAID,
    /** A newer connection took the nick over; this one speaks for nobody. */
    REPLACED,
    /** Redis does not know the member (it lost its data, or the node was presumed dead). */
    ABSENT
  }

  @Override
  public ChatMessage append(String room, String from, String text, String cid) {
    String ts = LocalChatRooms.now();
    List<Object> result = runSay(room, "", "", from, text, ts, cid);
    return new ChatMessage((Long) result.get(2), room, from, text, ts, cid);
  }

  /** Appends as the member holding {@code nickKey} with {@code token}, if it still holds it. */
  Said appendAs(String room, String nickKey, String token, String from, String text, String cid) {
    List<Object> result = runSay(room, nickKey, token, from, text, LocalChatRooms.now(), cid);
    return switch ((String) result.get(0)) {
      case "said" -> Said.SAID;
      case "replaced" -> Said.REPLACED;
      default -> Said.ABSENT;
    };
  }

  private List<Object> runSay(
      String room, String nickKey, String token, String from, String text, String ts, String cid) {
    return say.run(
        redis.get(),
        ScriptOutputType.MULTI,
        List.of(
            Keys.room(room, "epoch"),
            Keys.room(room, "seq"),
            Keys.room(room, "ids"),
            Keys.room(room, "log"),
            Keys.room(room, "members")),
        Keys.events(room),
        newEpoch(),
        nickKey,
        token,
        json.withoutId(from, text, ts, cid),
        String.valueOf(historySize));
  }

  @Override
  public Replay replay(String room, Long since, String epoch, int latest) {
    List<Object> result =
        replay.run(
            redis.get(),
            ScriptOutputType.MULTI,
            List.of(Keys.room(room, "epoch"), Keys.room(room, "ids"), Keys.room(room, "log")),
            newEpoch(),
            since == null ? "" : since.toString(),
            epoch == null ? "" : epoch,
            String.valueOf(latest),
            "");
    return replayOf(room, result, since, epoch);
  }

  /**
   * Reads what a replay script returned: {epoch, last, oldest kept id, messages}. Complete as in
   * one node's history: resuming within the epoch from no earlier than the oldest kept message.
   */
  Replay replayOf(String room, List<Object> result, Long since, String clientEpoch) {
    String epoch = (String) result.get(0);
    long last = (Long) result.get(1);
    long oldestKept = (Long) result.get(2);
    List<ChatMessage> messages = new ArrayList<>();
    for (Object message : (List<?>) result.get(3)) {
      messages.add(json.read(room, (String) message));
    }
    boolean resumable = since != null && epoch.equals(clientEpoch);
    boolean complete = resumable ? since >= oldestKept - 1 && since <= last : since == null;
    return new Replay(epoch, messages, last, complete);
  }

  @Override
  public List<ChatMessage> before(String room, long before, int limit) {
    List<ChatMessage> page = new ArrayList<>();
    for (ChatMessage message : all(room)) {
      if (message.id() < before) {
        page.add(message);
      }
    }
    return List.copyOf(page.subList(Math.max(0, page.size() - limit), page.size()));
  }

  /** The kept messages with ids above {@code after}, oldest first: what a node missed. */
  List<ChatMessage> after(String room, long after) {
    return all(room).stream().filter(message -> message.id() > after).toList();
  }

  /** The epoch of the room's history now, or null when Redis has none (it lost its data). */
  String epoch(String room) {
    return redis.get().get(Keys.room(room, "epoch"));
  }

  ChatMessage read(String room, jakarta.json.JsonObject message) {
    return json.read(room, message);
  }

  RedisJson json() {
    return json;
  }

  private List<ChatMessage> all(String room) {
    List<ChatMessage> messages = new ArrayList<>();
    for (String message : redis.get().lrange(Keys.room(room, "log"), 0, -1)) {
      messages.add(json.read(room, message));
    }
    return messages;
  }

  /** A candidate for the room's epoch; the scripts keep the first one set. */
  static String newEpoch() {
    byte[] bytes = new byte[9];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
