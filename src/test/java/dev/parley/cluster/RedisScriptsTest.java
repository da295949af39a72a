package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.hub.Broker;
import dev.parley.hub.Claim;
import dev.parley.hub.JoinRequest;
import dev.parley.hub.Member;
import dev.parley.hub.Replay;
import dev.parley.hub.Roster;
import dev.parley.hub.Said;
import dev.parley.message.ServerMessage.ChatMessage;
import dev.parley.session.CloseThreads;
import dev.parley.session.FakeSession;
import dev.parley.session.Outbox;
import dev.parley.session.OutboxEvents;
import dev.parley.session.Peer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Lua scripts against a real redis-server: numbering, history, nicks, the idempotent say, the
 * expiry of idle rooms and the dead-node sweep.
 */
class RedisScriptsTest {

  private static final int HISTORY_SIZE = 5;
  private static final long ROOM_IDLE_MILLIS = 60_000;
  private static final int MAX_MEMBERS = 1000;
  private static final long POLL_SECONDS = 10;
  private static final List<String> ROOM_PARTS =
      List.of("epoch", "seq", "ids", "log", "members", "order", "nodes", "tokens");

  /** Where Redis announces the keys it expired (notify-keyspace-events Ex), in database 0. */
  private static final String EXPIRED = "__keyevent@0__:expired";

  private static LocalRedis server;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;
  private static StatefulRedisPubSubConnection<String, String> subscription;

  /** Every message published on a room channel or on {@link #EXPIRED}: "channel\nmessage". */
  private static final BlockingQueue<String> published = new LinkedBlockingQueue<>();

  private final RedisJson json = new RedisJson();
  private final RedisHistory history =
      new RedisHistory(this::redis, HISTORY_SIZE, ROOM_IDLE_MILLIS);
  private final String room = "room-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startRedis() {
    server = LocalRedis.start();
    client = RedisClient.create(server.uri());
    connection = client.connect();
    connection.sync().configSet("notify-keyspace-events", "Ex");
    subscription = client.connectPubSub();
    subscription.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String pattern, String channel, String message) {
            published.add(channel + "\n" + message);
          }
        });
    subscription.sync().psubscribe(Keys.EVENTS_PATTERN, EXPIRED);
  }

  @AfterAll
  static void stopRedis() {
    if (client != null) {
      client.shutdown();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Each test on an empty Redis (no other test's nodes to sweep) and with nothing published. */
  @BeforeEach
  void emptyRedis() {
    redis().flushall();
    publishedSoFar();
  }

  private RedisCommands<String, String> redis() {
    return connection.sync();
  }

  @Test
  void messagesAreNumberedFromOneAndOnlyTheHistorySizeIsKept() {
    Member ada = member("ada", "token-1");
    admit(node("node-a"), ada, null);
    for (int i = 1; i <= 8; i++) {
      assertInstanceOf(Said.Accepted.class, say(history, ada, "message " + i, null));
    }
    assertEquals(
        LongStream.rangeClosed(1, 8).boxed().toList(),
        messageIds(eventsOf(room, publishedSoFar())));
    assertEquals(List.of(4L, 5L, 6L, 7L, 8L), ids(history.before(room, Long.MAX_VALUE, 100)));
    assertEquals(List.of(6L, 7L), ids(history.before(room, 8, 2)));
  }

  @Test
  void resumingReplaysWhatWasMissedAndSaysWhetherAnythingWasTrimmed() {
    RedisMembers node = node("node-a");
    Member ada = member("ada", "token-1");
    String epoch = admit(node, ada, null).replay().epoch();
    for (int i = 1; i <= 8; i++) {
      assertInstanceOf(Said.Accepted.class, say(history, ada, "message " + i, "c" + i));
    }
    Replay fromThree = replayFor(node, 3L, epoch, 50);
    assertEquals(List.of(4L, 5L, 6L, 7L, 8L), ids(fromThree.messages()));
    assertTrue(fromThree.complete(), "4 is the oldest kept: nothing lost");
    assertEquals(8, fromThree.last());
    assertEquals("c4", fromThree.messages().get(0).cid());

    assertFalse(replayFor(node, 2L, epoch, 50).complete(), "3 was trimmed");
    assertTrue(replayFor(node, 8L, epoch, 50).messages().isEmpty());

    Replay otherEpoch = replayFor(node, 7L, "from-a-restart", 2);
    assertFalse(otherEpoch.complete());
    assertEquals(List.of(7L, 8L), ids(otherEpoch.messages()));
    assertEquals(epoch, otherEpoch.epoch(), "the epoch is set once per room");
  }

  @Test
  void messagesSaidOnTwoNodesAtOnceArePublishedOnceEachInIdOrder() throws Exception {
    RedisHistory otherNode = new RedisHistory(this::redis, HISTORY_SIZE, ROOM_IDLE_MILLIS);
    Member ada = member("ada", "token-a");
    Member bob = member("bob", "token-b");
    admit(node("node-a"), ada, null);
    admit(node("node-b"), bob, null);
    int each = 50;
    CompletableFuture<Void> first = sayMany(history, ada, each);
    CompletableFuture<Void> second = sayMany(otherNode, bob, each);
    first.get(30, TimeUnit.SECONDS);
    second.get(30, TimeUnit.SECONDS);
    assertEquals(
        LongStream.rangeClosed(1, 2 * each).boxed().toList(),
        messageIds(eventsOf(room, publishedSoFar())));
  }

  @Test
  void aNickIsUniqueAcrossNodesUnlessTheTokenTakesItOver() {
    RedisMembers nodeA = node("node-a");
    RedisMembers nodeB = node("node-b");
    Member ada = member("Ada", "token-1");
    assertEquals(List.of("Ada"), admit(nodeA, ada, null).members());

    Member impostor = member("ADA", "token-2");
    assertInstanceOf(Claim.Taken.class, join(nodeB, impostor, null));
    assertInstanceOf(Claim.Taken.class, join(nodeB, impostor, "wrong"));

    Member adaAgain = member("Ada", "token-3");
    admit(nodeB, adaAgain, "token-1");
    JsonObject replaced = nextEvent("replaced");
    assertEquals("replaced", replaced.getString("kind"));
    assertEquals("node-a", replaced.getString("node"));
    assertEquals("token-1", replaced.getString("token"));

    assertFalse(nodeA.leave(room, ada.key(), "token-1"), "the old connection holds nothing now");
    assertTrue(nodeB.leave(room, adaAgain.key(), "token-3"));
  }

  @Test
  void onlyTheConnectionHoldingTheNickIsNumbered() {
    RedisMembers node = node("node-a");
    Member ada = member("ada", "token-1");
    assertInstanceOf(
        Said.Unknown.class,
        say(history, ada, "before joining", null),
        "Redis does not know the member: not numbered");
    admit(node, ada, null);
    assertInstanceOf(Said.Accepted.class, say(history, ada, "hello", null));
    admit(node, member("ada", "token-2"), "token-1");
    assertInstanceOf(Said.Replaced.class, say(history, ada, "from the old connection", null));
    assertEquals(List.of(1L), ids(history.before(room, Long.MAX_VALUE, 100)), "one numbered");
  }

  @Test
  void registeringAMemberAgainKeepsItAndTellsNobody() {
    RedisMembers node = node("node-a");
    Member ada = member("ada", "token-1");
    admit(node, ada, null);
    publishedSoFar();
    assertInstanceOf(
        Claim.Kept.class, node.join(room, JoinRequest.again(ada, MAX_MEMBERS)), "already held");
    assertEquals(List.of(), eventsOf(room, publishedSoFar()), "kept: the room is told nothing");
    redis().del(Keys.room(room, "members")); // Redis lost it
    var again =
        assertInstanceOf(
            Claim.Admitted.class, node.join(room, JoinRequest.again(ada, MAX_MEMBERS)));
    assertEquals(1, again.count());
  }

  @Test
  void aJoinMarksItsNodeAliveSoThatItsMemberIsNotSweptAtOnce() {
    RedisMembers node = node("fresh-" + room);
    RedisMembers other = node("other-" + room);
    admit(node, member("ada", "t1"), null); // before the node's first heartbeat
    other.sweep();
    assertEquals(1, redis().hlen(Keys.room(room, "members")), "not swept");
    assertFalse(node.alive(60_000), "the heartbeat learns that only a join marked the node");
    assertTrue(node.alive(60_000));
  }

  @Test
  void membersOfANodeWhoseHeartbeatExpiredAreSweptAndLeave() {
    RedisMembers dying = node("dying-" + room);
    RedisMembers survivor = node("survivor-" + room);
    assertFalse(dying.alive(60_000), "a new node was not alive before");
    assertTrue(dying.alive(60_000));
    survivor.alive(60_000);
    admit(dying, member("ada", "t1"), null);
    admit(survivor, member("bob", "t2"), null);
    assertEquals(0, survivor.sweep(), "the dying node is still alive");

    assertTrue(dying.alive(50), "its last beat");
    awaitExpiry(Keys.node("dying-" + room));
    assertEquals(1, survivor.sweep());
    // the joined events came before: the first left is the sweep's
    JsonObject left = nextEvent("left");
    assertEquals("left", left.getString("kind"));
    assertEquals("ada", left.getString("name"));
    assertEquals(1, left.getInt("count"));
    assertEquals(0, survivor.sweep(), "swept once");
  }

  // --- The indexes beside the members hash (join order, members per node)

  @Test
  void theIndexesFollowJoinsTakeoversLeavesAndSweeps() {
    RedisMembers nodeA = node("node-a");
    RedisMembers dying = node("dying-" + room);
    nodeA.alive(60_000);
    dying.alive(60_000);
    Member ada = member("Ada", "t1");
    admit(nodeA, ada, null);
    admit(dying, member("bob", "t2"), null);
    admit(nodeA, member("cy", "t3"), null);
    admit(dying, member("dan", "t4"), null);
    Member adaOnTheOtherNode = member("ADA", "t5");
    admit(dying, adaOnTheOtherNode, ada.token()); // takes the nick over from node A
    assertTrue(nodeA.leave(room, "cy", "t3"));
    assertEquals(
        new Roster(List.of("ADA", "bob", "dan"), 3), nodeA.roster(room, null, 10), "join order");
    assertEquals(Map.of("dying-" + room, "3"), redis().hgetall(Keys.room(room, "nodes")));
    assertEquals(Set.of(), redis().smembers(Keys.nodeRooms("node-a")), "node A has nobody here");

    assertTrue(dying.alive(50));
    awaitExpiry(Keys.node("dying-" + room));
    assertEquals(3, nodeA.sweep());
    assertEquals(new Roster(List.of(), 0), nodeA.roster(room, null, 10));
    assertEquals(Map.of(), redis().hgetall(Keys.room(room, "nodes")));
    assertEquals(Map.of(), redis().hgetall(Keys.room(room, "tokens")));
  }

  @Test
  void aFrameIsRelayedToTheHolderOfTheTokenWhereverItIsAndOnlyWhileItHoldsIt() {
    RedisMembers nodeA = node("node-a");
    RedisMembers nodeB = node("node-b");
    admit(nodeA, streamMember("ada", "t1"), null);
    admit(nodeA, streamMember("bob", "t2"), null);
    admit(nodeA, member("cy", "t4"), null);
    publishedSoFar();

    assertTrue(nodeB.relay(room, "t2", "{\"type\":\"say\",\"text\":\"h\u00e9\"}"));
    JsonObject relayed = nextEvent("relay");
    assertEquals("bob", relayed.getString("to"));
    assertEquals("t2", relayed.getString("token"));
    assertEquals("{\"type\":\"say\",\"text\":\"h\u00e9\"}", relayed.getString("frame"));

    assertFalse(nodeB.relay(room, "t9", "{}"), "nobody holds t9");
    assertFalse(nodeB.relay(room, "t4", "{}"), "cy's frames come on its WebSocket");
    assertFalse(nodeB.relay("elsewhere", "t2", "{}"), "t2 is a token of another room");
    admit(nodeB, streamMember("BOB", "t3"), "t2"); // bob's nick taken over with its token
    assertFalse(nodeB.relay(room, "t2", "{}"), "the old connection's token holds nothing now");
    assertTrue(nodeB.relay(room, "t3", "{}"));
    assertTrue(nodeA.leave(room, "ada", "t1"));
    assertFalse(nodeB.relay(room, "t1", "{}"), "ada left");
  }

  @Test
  void aRoomWrittenWithoutItsIndexesHasThemRebuiltByTheNextScript() {
    RedisMembers nodeA = node("node-a");
    RedisMembers nodeB = node("node-b");
    admit(nodeA, member("ada", "t1"), null);
    admit(nodeB, member("bob", "t2"), null);
    admit(nodeA, streamMember("cy", "t3"), null);
    redis().del(Keys.room(room, "order"), Keys.room(room, "nodes"), Keys.room(room, "tokens"));
    assertTrue(nodeB.relay(room, "t3", "{}"), "the tokens are indexed again");

    assertEquals(new Roster(List.of("bob", "cy"), 3), nodeB.roster(room, "ada", 10));
    assertTrue(nodeA.leave(room, "ada", "t1"));
    assertEquals(Set.of(room), redis().smembers(Keys.nodeRooms("node-a")), "cy is still there");
    assertTrue(nodeA.leave(room, "cy", "t3"));
    assertEquals(Set.of(), redis().smembers(Keys.nodeRooms("node-a")), "nobody left on node A");
    assertEquals(Map.of("node-b", "1"), redis().hgetall(Keys.room(room, "nodes")));
  }

  @Test
  void pagingAfterAMemberWhoLeftStartsFromTheFirst() {
    RedisMembers nodeA = node("node-a");
    admit(nodeA, member("ada", "t1"), null);
    admit(nodeA, member("bob", "t2"), null);
    assertTrue(nodeA.leave(room, "ada", "t1"));
    assertEquals(new Roster(List.of("bob"), 1), nodeA.roster(room, "ada", 10));
  }

  // --- The idempotent say

  @Test
  void aCidSaidAgainIsNotNumberedAgainNotEvenByTheConnectionThatTookTheNickOver() {
    RedisMembers nodeA = node("node-a");
    RedisMembers nodeB = node("node-b");
    Member ada = member("Ada", "ada-1");
    Member bob = member("Bob", "bob-1");
    admit(nodeA, ada, null);
    admit(nodeA, bob, null);
    assertInstanceOf(Said.Accepted.class, say(history, ada, "hello", "c1"));
    List<JsonObject> said = messages(eventsOf(room, publishedSoFar()));
    assertEquals(1, said.size());
    ChatMessage original = json.read(room, said.get(0).getJsonObject("message"));
    assertEquals(1, original.id());
    assertEquals("hello", original.text());
    assertEquals("c1", original.cid());
    String ids = redis().get(Keys.room(room, "ids"));
    String seq = redis().get(Keys.room(room, "seq"));

    Said again = say(history, ada, "hello", "c1");
    assertEquals(original, assertInstanceOf(Said.Duplicate.class, again).original());
    assertEquals(List.of(), eventsOf(room, publishedSoFar()), "a duplicate is not published");
    assertEquals(ids, redis().get(Keys.room(room, "ids")), "no id taken");
    assertEquals(seq, redis().get(Keys.room(room, "seq")), "no event numbered");

    String cidKey = Keys.roomPrefix(room) + "cid:ada-1:c1";
    long cidTtl = redis().pttl(cidKey);
    assertTrue(
        cidTtl > 0 && cidTtl <= Broker.CID_MEMORY_MILLIS,
        "the cid is forgotten within CID_MEMORY_MILLIS; PTTL " + cidTtl);

    // The client reconnects on node B, takes its nick over and sends the same say again
    Member adaOnB = member("Ada", "ada-2");
    admit(nodeB, adaOnB, "ada-1");
    Said resent = say(history, adaOnB, "hello, resent with other text", "c1");
    assertEquals(
        original,
        assertInstanceOf(Said.Duplicate.class, resent, "the origin is carried over").original());
    assertInstanceOf(Said.Replaced.class, say(history, ada, "hello", "c1"), "old connection");
    // and again, a second takeover
    Member adaThird = member("Ada", "ada-3");
    admit(nodeA, adaThird, "ada-2");
    assertEquals(
        original,
        assertInstanceOf(Said.Duplicate.class, say(history, adaThird, "hello", "c1")).original());
    assertEquals(ids, redis().get(Keys.room(room, "ids")), "still no id taken");
    assertEquals(
        List.of(), messages(eventsOf(room, publishedSoFar())), "no message published meanwhile");

    // Another member's cid is its own
    assertInstanceOf(Said.Accepted.class, say(history, bob, "hello from bob", "c1"));
    assertInstanceOf(Said.Accepted.class, say(history, adaThird, "something new", "c2"));
    // and a say without cid is never a duplicate
    assertInstanceOf(Said.Accepted.class, say(history, adaThird, "no cid", null));
    assertInstanceOf(Said.Accepted.class, say(history, adaThird, "no cid", null));
    List<JsonObject> numbered = messages(eventsOf(room, publishedSoFar()));
    assertEquals(List.of(2L, 3L, 4L, 5L), messageIds(numbered));
    ChatMessage bobs = json.read(room, numbered.get(0).getJsonObject("message"));
    assertEquals("Bob", bobs.from());
    assertEquals("c1", bobs.cid());
    assertEquals("5", redis().get(Keys.room(room, "ids")));
  }

  /**
   * BUG: the origin lives only in the members hash. When a node is swept (cut off from Redis for
   * longer than its key's time to live) and then registers its members again, {@link
   * JoinRequest#again} makes the member's current token its origin; a member that had taken its
   * nick over before has a new origin then, and a cid it said before the sweep is numbered again
   * when the client sends it again.
   */
  @Test
  void aCidIsRememberedWhenANodeRegistersAgainAMemberThatHadTakenItsNickOver() {
    RedisMembers nodeA = node("node-a");
    RedisMembers nodeB = node("node-b");
    nodeB.alive(60_000);
    admit(nodeA, member("ada", "t1"), null);
    Member ada = member("ada", "t2");
    admit(nodeA, ada, "t1"); // the client reconnected: origin t1
    assertInstanceOf(Said.Accepted.class, say(history, ada, "hello", "c1"));
    // node A is cut off from Redis before the reply comes, for long enough to be swept
    redis().del(Keys.node("node-a"));
    assertEquals(1, nodeB.sweep());
    assertFalse(nodeA.alive(60_000), "back: node A registers its members again");
    admit(nodeA, ada, ada.token());
    assertEquals(Set.of("ada"), Set.copyOf(redis().hkeys(Keys.room(room, "members"))));

    Said resent = say(history, ada, "hello", "c1"); // the client sends it again
    assertInstanceOf(
        Said.Duplicate.class,
        resent,
        "c1 was said within CID_MEMORY_MILLIS, with origin t1; origin now "
            + nodeA.holder(room, ada.key()).getString("origin"));
  }

  // --- The expiry of idle rooms

  @Test
  void everyKeyOfARoomExpiresWhenTheRoomIsIdle() {
    Member ada = member("ada", "t1");
    admit(node("node-a"), ada, null);
    assertInstanceOf(Said.Accepted.class, say(history, ada, "hello", "c1"));
    for (String part : ROOM_PARTS) {
      long ttl = redis().pttl(Keys.room(room, part));
      assertTrue(ttl > 0 && ttl <= ROOM_IDLE_MILLIS, part + " expires when idle; PTTL " + ttl);
    }
  }

  @Test
  void theHeartbeatKeepsAliveTheRoomsWhereItsNodeHasMembersAndNoOthers() {
    RedisMembers nodeA = node("node-a");
    RedisMembers nodeB = node("node-b");
    String othersRoom = room + "-others";
    String leftRoom = room + "-left";
    Member ada = member("ada", "t1");
    Member bob = member("bob", "t2");
    Member cy = member("cy", "t3");
    admit(nodeA, room, ada, null);
    admit(nodeB, othersRoom, bob, null);
    admit(nodeA, leftRoom, cy, null);
    admit(nodeB, leftRoom, member("dan", "t4"), null); // keeps the room's members hash
    assertInstanceOf(Said.Accepted.class, sayIn(room, ada, "hello", null));
    assertInstanceOf(Said.Accepted.class, sayIn(othersRoom, bob, "hello", null));
    assertInstanceOf(Said.Accepted.class, sayIn(leftRoom, cy, "hello", null));
    assertTrue(nodeA.leave(leftRoom, cy.key(), cy.token()));
    long lowered = 5_000;
    for (String each : List.of(room, othersRoom, leftRoom)) {
      lowerExpiry(each, lowered);
    }

    nodeA.alive(60_000);

    for (String part : ROOM_PARTS) {
      long ttl = redis().pttl(Keys.room(room, part));
      assertTrue(
          ttl > ROOM_IDLE_MILLIS - 10_000 && ttl <= ROOM_IDLE_MILLIS,
          "node A's room: " + part + " pushed back; PTTL " + ttl);
    }
    assertExpiryNotPushedBack(othersRoom, lowered, "node A has no members there");
    assertExpiryNotPushedBack(leftRoom, lowered, "node A's member left");
  }

  /**
   * BUG: when a member's nick is taken over by a connection on another node, the old node's rooms
   * set ({@link Keys#nodeRooms}) keeps the room (join.lua never removes it, and leave.lua with the
   * old token returns before its SREM), so the old node's heartbeat pushes the room's expiry back
   * for as long as that node lives, although it has no member there.
   */
  @Test
  void aNodeWhoseMemberWasTakenOverByAnotherNodeNoLongerKeepsTheRoomAlive() {
    RedisMembers nodeA = node("node-a");
    RedisMembers nodeB = node("node-b");
    Member ada = member("ada", "t1");
    admit(nodeA, ada, null);
    assertInstanceOf(Said.Accepted.class, say(history, ada, "hello", null));
    admit(nodeB, member("ada", "t2"), "t1"); // the client reconnected through node B
    assertFalse(nodeA.leave(room, ada.key(), ada.token()), "the old connection closes on node A");
    long lowered = 5_000;
    lowerExpiry(room, lowered);

    nodeA.alive(60_000);

    assertExpiryNotPushedBack(
        room,
        lowered,
        "node A has no member in the room since the takeover; its rooms set: "
            + redis().smembers(Keys.nodeRooms("node-a")));
  }

  // --- The sweep

  @Test
  void aDeadNodesManyMembersAreSweptEachWithItsOwnLeftEvent() {
    RedisMembers dead = node("dead-" + room);
    RedisMembers live = node("live-" + room);
    assertFalse(live.alive(60_000));
    String liveRoom = room + "-live";
    Member zed = member("Zed", "tz");
    admit(live, liveRoom, zed, null);
    int count = 300;
    Set<String> deadNames = new HashSet<>();
    for (int i = 0; i < count; i++) {
      if (i == count / 2) {
        admit(live, member("Bob", "tb"), null);
      }
      Member member = member("m" + i, "t" + i);
      admit(dead, member, null);
      deadNames.add(member.name());
    }
    long seqBefore = Long.parseLong(redis().get(Keys.room(room, "seq")));
    publishedSoFar();
    Map<String, String> liveRoomMembers = redis().hgetall(Keys.room(liveRoom, "members"));
    String liveRoomSeq = redis().get(Keys.room(liveRoom, "seq"));
    assertEquals(0, live.sweep(), "the node is alive");

    redis().del(Keys.node("dead-" + room)); // it died
    assertEquals(count, live.sweep());

    assertEquals(Set.of("bob"), Set.copyOf(redis().hkeys(Keys.room(room, "members"))));
    List<String> events = publishedSoFar();
    List<JsonObject> left = eventsOf(room, events);
    assertEquals(count, left.size(), "one event per removed member");
    long previous = seqBefore;
    Set<String> named = new HashSet<>();
    for (JsonObject event : left) {
      assertEquals("left", event.getString("kind"));
      long seq = event.getJsonNumber("seq").longValue();
      assertTrue(seq > previous, "seq " + seq + " after " + previous);
      previous = seq;
      assertTrue(named.add(event.getString("name")), "named twice: " + event);
      assertEquals(1, event.getInt("count"), "the room once they are all gone: Bob");
    }
    assertEquals(deadNames, named);

    assertEquals(List.of(), eventsOf(liveRoom, events), "the live node's room is not told");
    assertEquals(liveRoomMembers, redis().hgetall(Keys.room(liveRoom, "members")));
    assertEquals(liveRoomSeq, redis().get(Keys.room(liveRoom, "seq")));
    assertEquals(
        Set.of(room, liveRoom), redis().smembers(Keys.nodeRooms("live-" + room)), "live rooms");
    assertEquals(Set.of("live-" + room), redis().smembers(Keys.NODES), "the dead node forgotten");
    assertEquals(0, redis().exists(Keys.nodeRooms("dead-" + room)));
    assertEquals(0, live.sweep(), "swept once");
  }

  // --- A join whose reply was lost

  @Test
  void aJoinWhoseReplyWasLostIsUndoneByLeavingWithItsToken() {
    RedisMembers node = node("node-a");
    Member ada = member("Ada", "t1");
    admit(node, ada, null); // the reply does not come back: the hub leaves with the same token
    publishedSoFar();

    assertFalse(node.leave(room, ada.key(), "another-token"), "another token gives nothing up");
    assertEquals("t1", node.holder(room, ada.key()).getString("token"));
    assertEquals(List.of(), eventsOf(room, publishedSoFar()), "nobody left");

    assertTrue(node.leave(room, ada.key(), ada.token()));
    assertNull(node.holder(room, ada.key()), "nobody holds the nick");
    List<JsonObject> events = eventsOf(room, publishedSoFar());
    assertEquals(1, events.size());
    assertEquals("left", events.get(0).getString("kind"));
    assertEquals("Ada", events.get(0).getString("name"));
    assertEquals(0, events.get(0).getInt("count"));
    assertFalse(redis().sismember(Keys.nodeRooms("node-a"), room), "no member of node A left");

    Member someoneElse = member("ADA", "t2");
    assertEquals(List.of("ADA"), admit(node("node-b"), someoneElse, null).members());
  }

  @Test
  void aTakeoverWhoseReplyWasLostIsUndoneTheSameWay() {
    RedisMembers nodeA = node("node-a");
    RedisMembers nodeB = node("node-b");
    Member ada = member("Ada", "t1");
    admit(nodeA, ada, null);
    Member adaAgain = member("Ada", "t2");
    admit(nodeB, adaAgain, "t1"); // the reply is lost

    assertFalse(nodeB.leave(room, ada.key(), "t1"), "the replaced token gives nothing up");
    assertNotNull(nodeB.holder(room, ada.key()));
    assertTrue(nodeB.leave(room, adaAgain.key(), adaAgain.token()));
    assertNull(nodeB.holder(room, ada.key()), "nobody holds the nick");
    assertEquals(List.of("ada"), admit(nodeA, member("ada", "t3"), null).members());
  }

  // --- Helpers

  private RedisMembers node(String name) {
    return new RedisMembers(this::redis, name, history, ROOM_IDLE_MILLIS);
  }

  private static Member member(String name, String token) {
    return new Member(
        name,
        token,
        new Outbox(
            new FakeSession().peer(),
            10,
            10_000,
            OutboxEvents.NONE,
            CloseThreads.named("test-closes")));
  }

  /** A member on an event stream: its frames come as POSTs, which may land on any node. */
  private static Member streamMember(String name, String token) {
    Peer stream =
        new Peer() {
          @Override
          public String id() {
            return "stream-" + token;
          }

          @Override
          public String address() {
            return "127.0.0.1";
          }

          @Override
          public boolean isOpen() {
            return true;
          }

          @Override
          public void send(String text, Consumer<Throwable> done) {
            done.accept(null);
          }

          @Override
          public void close(CloseReason reason) {}

          @Override
          public boolean takesPosts() {
            return true;
          }
        };
    return new Member(
        name,
        token,
        new Outbox(stream, 10, 10_000, OutboxEvents.NONE, CloseThreads.named("test-closes")));
  }

  private Claim join(RedisMembers node, Member member, String presentedToken) {
    return node.join(
        room, new JoinRequest(member, presentedToken, MAX_MEMBERS, null, null, 50, 1000));
  }

  private Claim.Admitted admit(RedisMembers node, Member member, String presentedToken) {
    return assertInstanceOf(Claim.Admitted.class, join(node, member, presentedToken));
  }

  private Claim.Admitted admit(
      RedisMembers node, String inRoom, Member member, String presentedToken) {
    Claim claim =
        node.join(
            inRoom, new JoinRequest(member, presentedToken, MAX_MEMBERS, null, null, 50, 1000));
    return assertInstanceOf(Claim.Admitted.class, claim);
  }

  /** The replay a new member resuming after {@code since} gets in its welcome. */
  private Replay replayFor(RedisMembers node, Long since, String epoch, int latest) {
    Member reader = member("reader-" + UUID.randomUUID(), "token-" + UUID.randomUUID());
    Claim claim =
        node.join(room, new JoinRequest(reader, null, MAX_MEMBERS, since, epoch, latest, 1000));
    return assertInstanceOf(Claim.Admitted.class, claim).replay();
  }

  private Said say(RedisHistory node, Member member, String text, String cid) {
    return node.appendAs(room, member.key(), member.token(), member.name(), text, cid);
  }

  private Said sayIn(String inRoom, Member member, String text, String cid) {
    return history.appendAs(inRoom, member.key(), member.token(), member.name(), text, cid);
  }

  private CompletableFuture<Void> sayMany(RedisHistory node, Member member, int count) {
    return CompletableFuture.runAsync(
        () -> {
          for (int i = 0; i < count; i++) {
            assertInstanceOf(Said.Accepted.class, say(node, member, "message " + i, null));
          }
        });
  }

  private void lowerExpiry(String inRoom, long millis) {
    for (String part : ROOM_PARTS) {
      assertTrue(redis().pexpire(Keys.room(inRoom, part), millis), inRoom + " has its " + part);
    }
  }

  private void assertExpiryNotPushedBack(String inRoom, long lowered, String why) {
    for (String part : ROOM_PARTS) {
      long ttl = redis().pttl(Keys.room(inRoom, part));
      assertTrue(
          ttl > 0 && ttl <= lowered,
          inRoom + " " + part + " not pushed back (" + why + "); PTTL " + ttl);
    }
  }

  /**
   * Everything published until now, in order: publishes a fence and takes what came before it. The
   * scripts publish before they return, and one subscription receives in publishing order.
   */
  private List<String> publishedSoFar() {
    String fence = "fence-" + UUID.randomUUID();
    redis().publish(Keys.events(fence), fence);
    List<String> before = new ArrayList<>();
    while (true) {
      String event = poll("the fence " + fence);
      if (event.equals(Keys.events(fence) + "\n" + fence)) {
        return before;
      }
      before.add(event);
    }
  }

  /** The next event of {@code kind} in this room, skipping the others. */
  private JsonObject nextEvent(String kind) {
    while (true) {
      JsonObject parsed = eventOf(room, poll("a " + kind + " event"));
      if (parsed != null && parsed.getString("kind").equals(kind)) {
        return parsed;
      }
    }
  }

  /** Waits until Redis announces that it expired {@code key}. */
  private void awaitExpiry(String key) {
    while (!poll("the expiry of " + key).equals(EXPIRED + "\n" + key)) {
      // another event or expiry
    }
  }

  private static String poll(String what) {
    try {
      String event = published.poll(POLL_SECONDS, TimeUnit.SECONDS);
      if (event == null) {
        fail("Nothing published within " + POLL_SECONDS + " s while waiting for " + what);
      }
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private List<JsonObject> eventsOf(String inRoom, List<String> events) {
    return events.stream().map(event -> eventOf(inRoom, event)).filter(e -> e != null).toList();
  }

  private JsonObject eventOf(String inRoom, String published) {
    String[] channelAndEvent = published.split("\n", 2);
    return channelAndEvent[0].equals(Keys.events(inRoom)) ? json.parse(channelAndEvent[1]) : null;
  }

  private static List<JsonObject> messages(List<JsonObject> events) {
    return events.stream().filter(event -> event.getString("kind").equals("message")).toList();
  }

  private static List<Long> messageIds(List<JsonObject> events) {
    return messages(events).stream()
        .map(event -> event.getJsonObject("message").getJsonNumber("id").longValue())
        .toList();
  }

  private static List<Long> ids(List<ChatMessage> messages) {
    return messages.stream().map(ChatMessage::id).toList();
  }
}
