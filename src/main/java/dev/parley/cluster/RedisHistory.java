package dev.parley.cluster;

import dev.parley.hub.Broker;
import dev.parley.hub.Hub;
import dev.parley.hub.Ids;
import dev.parley.hub.Replay;
import dev.parley.hub.Said;
import dev.parley.message.ServerMessage.ChatMessage;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The rooms' histories in Redis, shared by every node: a counter of ids, the newest messages in a
 * list trimmed to the history size, and an epoch set once per life of the room's keys. Appending
 * also publishes the message on the room's channel, in the same script: numbering and publishing as
 * one step is what makes id order the delivery order on every node.
 */
final class RedisHistory {

  private final Supplier<RedisCommands<String, String>> redis;
  private final int historySize;
  private final long roomIdleMillis;
  private final RedisJson json = new RedisJson();
  private final Script say = Script.load("say", "members");
  private final Script page = Script.load("page");

  RedisHistory(
      Supplier<RedisCommands<String, String>> redis, int historySize, long roomIdleMillis) {
    this.redis = redis;
    this.historySize = historySize;
    this.roomIdleMillis = roomIdleMillis;
  }

  /**
   * Appends as the member holding {@code nickKey} with {@code token}, if it still holds it and has
   * not said {@code cid} lately.
   */
  Said appendAs(String room, String nickKey, String token, String from, String text, String cid) {
    List<Object> result = runSay(room, nickKey, token, from, text, Hub.now(), cid);
    return switch ((String) result.get(0)) {
      case "said" -> new Said.Accepted();
      case "duplicate" -> new Said.Duplicate(json.read(room, (String) result.get(1)));
      case "replaced" -> new Said.Replaced();
      default -> new Said.Unknown();
    };
  }

  private List<Object> runSay(
      String room, String nickKey, String token, String from, String text, String ts, String cid) {
    return say.run(
        redis.get(),
        ScriptOutputType.MULTI,
        Keys.roomKeys(room),
        Keys.events(room),
        Ids.epoch(),
        nickKey,
        token,
        json.withoutId(from, text, ts, cid),
        String.valueOf(historySize),
        cid == null ? "" : cid,
        String.valueOf(Broker.CID_MEMORY_MILLIS),
        String.valueOf(roomIdleMillis),
        Keys.roomPrefix(room));
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
    return new Replay(
        epoch, messages, last, Replay.complete(since, clientEpoch, epoch, oldestKept, last));
  }

  List<ChatMessage> before(String room, long before, int limit) {
    return page(room, "before", before, limit);
  }

  /** The kept messages with ids above {@code after}, oldest first: what a node missed. */
  List<ChatMessage> after(String room, long after) {
    return page(room, "after", after, 0);
  }

  /** One page of the log, read by index: a page costs its own size, not the log's. */
  private List<ChatMessage> page(String room, String direction, long bound, int limit) {
    List<String> stored =
        page.run(
            redis.get(),
            ScriptOutputType.MULTI,
            List.of(Keys.room(room, "ids"), Keys.room(room, "log")),
            direction,
            String.valueOf(bound),
            String.valueOf(limit));
    List<ChatMessage> messages = new ArrayList<>(stored.size());
    for (String message : stored) {
      messages.add(json.read(room, message));
    }
    return messages;
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
}
