package dev.parley.cluster;

import dev.parley.hub.Broker;
import dev.parley.hub.Claim;
import dev.parley.hub.Ids;
import dev.parley.hub.JoinRequest;
import dev.parley.hub.Member;
import dev.parley.hub.Roster;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Presence in Redis: which node's member holds which nick of a room, and which nodes are alive.
 * Every change is one script that also publishes the room's {@code joined}/{@code left} event.
 */
final class RedisMembers {

  private final Supplier<RedisCommands<String, String>> redis;
  private final String node;
  private final RedisHistory history;
  private final RedisJson json;
  private final long roomIdleMillis;
  private final Script join = Script.load("join", "members", "history");
  private final Script leave = Script.load("leave", "members");
  private final Script alive = Script.load("alive", "members");
  private final Script sweep = Script.load("sweep", "members");
  private final Script roster = Script.load("roster", "members");
  private final Script relay = Script.load("relay", "members");

  RedisMembers(
      Supplier<RedisCommands<String, String>> redis,
      String node,
      RedisHistory history,
      long roomIdleMillis) {
    this.redis = redis;
    this.node = node;
    this.history = history;
    this.json = history.json();
    this.roomIdleMillis = roomIdleMillis;
  }

  String node() {
    return node;
  }

  /**
   * Claims the member's nick for this node and reads the history for its welcome in the same step.
   */
  Claim join(String room, JoinRequest request) {
    Member member = request.member();
    List<Object> result =
        join.run(
            redis.get(),
            ScriptOutputType.MULTI,
            Stream.concat(
                    Keys.roomKeys(room).stream(),
                    Stream.of(Keys.nodeRooms(node), Keys.NODES, Keys.node(node)))
                .toList(),
            Keys.events(room),
            Ids.epoch(),
            member.key(),
            member.name(),
            node,
            member.token(),
            request.presentedToken() == null ? "" : request.presentedToken(),
            String.valueOf(request.maxMembers()),
            room,
            request.since() == null ? "" : request.since().toString(),
            request.epoch() == null ? "" : request.epoch(),
            String.valueOf(request.latest()),
            String.valueOf(NodeHeartbeat.TTL_MILLIS),
            String.valueOf(roomIdleMillis),
            Keys.roomPrefix(room),
            Keys.PREFIX,
            String.valueOf(Broker.CID_MEMORY_MILLIS),
            String.valueOf(request.listLimit()),
            member.outbox().peer().takesPosts() ? "1" : "");
    return switch ((String) result.get(0)) {
      case "admitted" ->
          new Claim.Admitted(
              (Long) result.get(1),
              names((String) result.get(2)),
              Math.toIntExact((Long) result.get(4)),
              history.replayOf(
                  room, (List<Object>) result.get(3), request.since(), request.epoch()));
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
            room,
            String.valueOf(roomIdleMillis),
            Keys.roomPrefix(room),
            String.valueOf(Broker.CID_MEMORY_MILLIS));
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
            List.of(Keys.node(node), Keys.nodeRooms(node)),
            String.valueOf(ttlMillis),
            Keys.PREFIX,
            String.valueOf(roomIdleMillis));
    return existed == 1;
  }

  /** Removes the members of dead nodes; returns how many. */
  long sweep() {
    return sweep.run(
        redis.get(),
        ScriptOutputType.INTEGER,
        List.of(Keys.NODES),
        Keys.PREFIX,
        String.valueOf(Broker.CID_MEMORY_MILLIS));
  }

  /** This node stops: the others sweep what it leaves behind at their next heartbeat. */
  void stop() {
    redis.get().del(Keys.node(node));
  }

  /**
   * Up to {@code limit} nicks in join order after {@code afterKey} (from the first when that member
   * is not there), and the room's size.
   */
  Roster roster(String room, String afterKey, int limit) {
    List<Object> result =
        roster.run(
            redis.get(),
            ScriptOutputType.MULTI,
            List.of(Keys.room(room, "members")),
            Keys.roomPrefix(room),
            afterKey == null ? "" : afterKey,
            String.valueOf(limit));
    return new Roster(names((String) result.get(0)), Math.toIntExact((Long) result.get(1)));
  }

  /**
   * Publishes a client frame for the member of the room holding {@code token}, wherever it is;
   * false when nobody holds it.
   */
  boolean relay(String room, String token, String frame) {
    Long published =
        relay.run(
            redis.get(),
            ScriptOutputType.INTEGER,
            List.of(Keys.room(room, "members"), Keys.room(room, "tokens")),
            Keys.roomPrefix(room),
            token,
            Keys.events(room),
            frame);
    return published == 1;
  }

  /** Every nick key of the room and the token that holds it now. */
  Map<String, String> tokens(String room) {
    Map<String, String> tokens = new HashMap<>();
    redis
        .get()
        .hgetall(Keys.room(room, "members"))
        .forEach((nickKey, held) -> tokens.put(nickKey, json.parse(held).getString("token")));
    return tokens;
  }

  /** The nick key's holder as stored, or null: {"name","node","token","joined"}. */
  JsonObject holder(String room, String nickKey) {
    String held = redis.get().hget(Keys.room(room, "members"), nickKey);
    return held == null ? null : json.parse(held);
  }

  private List<String> names(String array) {
    JsonArray names = json.parseArray(array);
    return names.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
  }
}
