package dev.parley.cluster;

import dev.parley.session.Member;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.util.List;
import java.util.function.Supplier;

/**
 * Presence in Redis: which node's member holds which nick of a room, and which nodes are alive.
 * Every change is one script that also publishes the room's {@code joined}/{@code left} event.
 */
final class RedisMembers {

  /** The answer to a claim of a nick. */
  sealed interface Claim {
    /**
     * The nick is the member's now.
     *
     * @param seq the room event that admitted it: its welcome covers everything before
     * @param members the room's nicks, in join order
     * @param history what the history script returned for the welcome
     */
    record Admitted(long seq, List<String> members, List<Object> history) implements Claim {}

    /** The member already held the nick with this token (registering again). */
    record Kept() implements Claim {}

    /** Someone else holds the nick and the token did not match. */
    record Taken() implements Claim {}

    /** The room is full. */
    record Full() implements Claim {}
  }

  private final Supplier<RedisCommands<String, String>> redis;
  private final String node;
  private final RedisJson json;
  private final Script join = Script.load("join", "members", "history");
  private final Script leave = Script.load("leave", "members");
  private final Script alive = Script.load("alive");
  private final Script sweep = Script.load("sweep", "members");

  RedisMembers(Supplier<RedisCommands<String, String>> redis, String node, RedisJson json) {
    this.redis = redis;
    this.node = node;
    this.json = json;
  }

  String node() {
    return node;
  }

  /**
   * Claims the member's nick for this node and reads the history for its welcome in the same step.
   */
  Claim join(
      String room,
      Member member,
      String presentedToken,
      int maxMembers,
      Long since,
      String epoch,
      int latest) {
    List<Object> result =
        join.run(
            redis.get(),
            ScriptOutputType.MULTI,
            List.of(
                Keys.room(room, "epoch"),
                Keys.room(room, "seq"),
                Keys.room(room, "ids"),
                Keys.room(room, "log"),
                Keys.room(room, "members"),
                Keys.nodeRooms(node),
                Keys.NODES,
                Keys.node(node)),
            Keys.events(room),
            RedisChatHistory.newEpoch(),
            member.key(),
            member.name(),
            node,
            member.token(),
            presentedToken == null ? "" : presentedToken,
            String.valueOf(maxMembers),
            room,
            since == null ? "" : since.toString(),
            epoch == null ? "" : epoch,
            String.valueOf(latest),
            String.valueOf(NodeHeartbeat.TTL_MILLIS));
    return switch ((String) result.get(0)) {
      case "admitted" ->
          new Claim.Admitted(
              (Long) result.get(1), names((String) result.get(2)), (List<Object>) result.get(3));
      case "kept" -> new Claim.Kept();
      case "taken" -> new Claim.Taken();
      default -> new Claim.Full();
    };
  }

  /** Gives the nick up if the member still holds it; the room learns it left. */
  boolean leave(String room, String nickKey, String token) {
    Long removed =
        leave.run(
            redis.get(),
            ScriptOutputType.INTEGER,
            List.of(Keys.room(room, "seq"), Keys.room(room, "members"), Keys.nodeRooms(node)),
            Keys.events(room),
            nickKey,
            token,
            node,
            room);
    return removed == 1;
  }

  /**
   * Marks this node alive for {@code ttlMillis}; false when Redis may have lost its members since
   * the last beat (the key had expired, or only a join set it again).
   */
  boolean alive(long ttlMillis) {
    Long existed =
        alive.run(
            redis.get(),
            ScriptOutputType.INTEGER,
            List.of(Keys.node(node)),
            String.valueOf(ttlMillis));
    return existed == 1;
  }

  /** Removes the members of dead nodes; returns how many. */
  long sweep() {
    return sweep.run(redis.get(), ScriptOutputType.INTEGER, List.of(Keys.NODES), Keys.PREFIX);
  }

  /** This node stops: the others sweep what it leaves behind at their next heartbeat. */
  void stop() {
    redis.get().del(Keys.node(node));
  }

  /** The nick key's holder as stored, or null: {"name","node","token","joined"}. */
  jakarta.json.JsonObject holder(String room, String nickKey) {
    String held = redis.get().hget(Keys.room(room, "members"), nickKey);
    return held == null ? null : json.parse(held);
  }

  private List<String> names(String array) {
    JsonArray names = json.parseArray(array);
    return names.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
  }
}
