package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.chat.ChatHistory.Replay;
import dev.parley.chat.ServerMessage.ChatMessage;
import dev.parley.session.Member;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Lua scripts against a real redis-server: numbering, history, nicks and the dead-node sweep.
 */
class RedisScriptsTest {

  private static final int HISTORY_SIZE = 5;

  private static LocalRedis server;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;
  private static StatefulRedisPubSubConnection<String, String> subscription;
  private static final BlockingQueue<String> published = new LinkedBlockingQueue<>();

  private final RedisJson json = new RedisJson();
  private final RedisChatHistory history = new RedisChatHistory(this::redis, HISTORY_SIZE);
  private final String room = "room-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startRedis() {
    server = LocalRedis.start();
    client = RedisClient.create(server.uri());
    connection = client.connect();
    subscription = client.connectPubSub();
    subscription.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String pattern, String channel, String message) {
            published.add(channel + "\n" + message);
          }
        });
    subscription.sync().psubscribe(Keys.EVENTS_PATTERN);
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

  private RedisCommands<String, String> redis() {
    return connection.sync();
  }

  @Test
  void messagesAreNumberedFromOneAndOnlyTheHistorySizeIsKept() {
    for (int i = 1; i <= 8; i++) {
      assertEquals(i, history.append(room, "ada", "message " + i, null).id());
    }
    assertEquals(List.of(4L, 5L, 6L, 7L, 8L), ids(history.before(room, Long.MAX_VALUE, 100)));
    assertEquals(List.of(6L, 7L), ids(history.before(room, 8, 2)));
  }

  @Test
  void resumingReplaysWhatWasMissedAndSaysWhetherAnythingWasTrimmed() {
    String epoch = history.replay(room, null, null, 50).epoch();
    for (int i = 1; i <= 8; i++) {
      history.append(room, "ada", "message " + i, "c" + i);
    }
    Replay fromThree = history.replay(room, 3L, epoch, 50);
    assertEquals(List.of(4L, 5L, 6L, 7L, 8L), ids(fromThree.messages()));
    assertTrue(fromThree.complete(), "4 is the oldest kept: nothing lost");
    assertEquals(8, fromThree.last());
    assertEquals("c4", fromThree.messages().get(0).cid());

    assertFalse(history.replay(room, 2L, epoch, 50).complete(), "3 was trimmed");
    assertTrue(history.replay(room, 8L, epoch, 50).messages().isEmpty());

    Replay otherEpoch = history.replay(room, 7L, "from-a-restart", 2);
    assertFalse(otherEpoch.complete());
    assertEquals(List.of(7L, 8L), ids(otherEpoch.messages()));
    assertEquals(epoch, otherEpoch.epoch(), "the epoch is set once per room");
  }

  @Test
  void messagesSaidOnTwoNodesAtOnceArePublishedOnceEachInIdOrder() throws Exception {
    RedisChatHistory otherNode = new RedisChatHistory(this::redis, HISTORY_SIZE);
    history.replay(room, null, null, 0); // creates the epoch
    int each = 50;
    CompletableFuture<Void> first = sayMany(history, "ada", each);
    CompletableFuture<Void> second = sayMany(otherNode, "bob", each);
    first.get(30, TimeUnit.SECONDS);
    second.get(30, TimeUnit.SECONDS);
    List<Long> order = new ArrayList<>();
    while (order.size() < 2 * each) {
      String event = published.poll(10, TimeUnit.SECONDS);
      assertTrue(event != null, "published " + order.size() + " of " + 2 * each);
      JsonObject parsed = eventOfThisRoom(event);
      if (parsed != null && parsed.getString("kind").equals("message")) {
        order.add(parsed.getJsonObject("message").getJsonNumber("id").longValue());
      }
    }
    assertEquals(LongStream.rangeClosed(1, 2 * each).boxed().toList(), order);
  }

  @Test
  void aNickIsUniqueAcrossNodesUnlessTheTokenTakesItOver() {
    RedisMembers nodeA = new RedisMembers(this::redis, "node-a", json);
    RedisMembers nodeB = new RedisMembers(this::redis, "node-b", json);
    Member ada = new Member("Ada", "token-1", null);
    var admitted = assertInstanceOf(RedisMembers.Claim.Admitted.class, join(nodeA, ada, null));
    assertEquals(List.of("Ada"), admitted.members());

    Member impostor = new Member("ADA", "token-2", null);
    assertInstanceOf(RedisMembers.Claim.Taken.class, join(nodeB, impostor, null));
    assertInstanceOf(RedisMembers.Claim.Taken.class, join(nodeB, impostor, "wrong"));

    Member adaAgain = new Member("Ada", "token-3", null);
    assertInstanceOf(RedisMembers.Claim.Admitted.class, join(nodeB, adaAgain, "token-1"));
    JsonObject replaced = nextEvent("replaced");
    assertEquals("replaced", replaced.getString("kind"));
    assertEquals("node-a", replaced.getString("node"));
    assertEquals("token-1", replaced.getString("token"));

    assertFalse(nodeA.leave(room, ada.key(), "token-1"), "the old connection holds nothing now");
    assertTrue(nodeB.leave(room, adaAgain.key(), "token-3"));
  }

  @Test
  void onlyTheConnectionHoldingTheNickIsNumbered() {
    RedisMembers node = new RedisMembers(this::redis, "node-a", json);
    Member ada = new Member("ada", "token-1", null);
    assertEquals(
        RedisChatHistory.Said.ABSENT,
        history.appendAs(room, ada.key(), ada.token(), "ada", "before joining", null),
        "Redis does not know the member: not numbered");
    join(node, ada, null);
    assertEquals(
        RedisChatHistory.Said.SAID,
        history.appendAs(room, ada.key(), ada.token(), "ada", "hello", null));
    join(node, new Member("ada", "token-2", null), "token-1");
    assertEquals(
        RedisChatHistory.Said.REPLACED,
        history.appendAs(room, ada.key(), ada.token(), "ada", "from the old connection", null));
    assertEquals(List.of(1L), ids(history.before(room, Long.MAX_VALUE, 100)), "one numbered");
  }

  @Test
  void registeringAMemberAgainKeepsItAndTellsNobody() {
    RedisMembers node = new RedisMembers(this::redis, "node-a", json);
    Member ada = new Member("ada", "token-1", null);
    join(node, ada, null);
    assertInstanceOf(RedisMembers.Claim.Kept.class, join(node, ada, ada.token()));
    redis().del(Keys.room(room, "members")); // Redis lost it
    var again = assertInstanceOf(RedisMembers.Claim.Admitted.class, join(node, ada, ada.token()));
    assertEquals(List.of("ada"), again.members());
  }

  @Test
  void aJoinMarksItsNodeAliveSoThatItsMemberIsNotSweptAtOnce() {
    RedisMembers node = new RedisMembers(this::redis, "fresh-" + room, json);
    RedisMembers other = new RedisMembers(this::redis, "other-" + room, json);
    join(node, new Member("ada", "t1", null), null); // before the node's first heartbeat
    other.sweep();
    assertEquals(1, redis().hlen(Keys.room(room, "members")), "not swept");
    assertFalse(node.alive(60_000), "the heartbeat learns that only a join marked the node");
    assertTrue(node.alive(60_000));
  }

  @Test
  void membersOfANodeWhoseHeartbeatExpiredAreSweptAndLeave() throws Exception {
    RedisMembers dying = new RedisMembers(this::redis, "dying-" + room, json);
    RedisMembers survivor = new RedisMembers(this::redis, "survivor-" + room, json);
    assertFalse(dying.alive(300), "a new node was not alive before");
    assertTrue(dying.alive(300));
    survivor.alive(60_000);
    join(dying, new Member("ada", "t1", null), null);
    join(survivor, new Member("bob", "t2", null), null);
    assertEquals(0, survivor.sweep(), "the dying node is still alive");

    Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
    while (redis().exists(Keys.node("dying-" + room)) == 1) {
      assertTrue(Instant.now().isBefore(deadline), "the node key did not expire");
      Thread.sleep(50);
    }
    assertEquals(1, survivor.sweep());
    // the joined events came before: the first left is the sweep's
    JsonObject left = nextEvent("left");
    assertEquals("left", left.getString("kind"));
    assertEquals("ada", left.getString("name"));
    assertEquals("[\"bob\"]", left.getJsonArray("members").toString());
    assertEquals(0, survivor.sweep(), "swept once");
  }

  private RedisMembers.Claim join(RedisMembers node, Member member, String token) {
    return node.join(room, member, token, 100, null, null, 50);
  }

  private CompletableFuture<Void> sayMany(RedisChatHistory node, String from, int count) {
    return CompletableFuture.runAsync(
        () -> {
          for (int i = 0; i < count; i++) {
            node.append(room, from, "message " + i, null);
          }
        });
  }

  /** The next event of {@code kind}, skipping the others (earlier steps' events may trail). */
  private JsonObject nextEvent(String kind) {
    try {
      while (true) {
        String event = published.poll(10, TimeUnit.SECONDS);
        assertTrue(event != null, "no " + kind + " event within 10 s");
        JsonObject parsed = eventOfThisRoom(event);
        if (parsed != null && parsed.getString("kind").equals(kind)) {
          return parsed;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private JsonObject eventOfThisRoom(String published) {
    String[] channelAndEvent = published.split("\n", 2);
    return channelAndEvent[0].equals(Keys.events(room)) ? json.parse(channelAndEvent[1]) : null;
  }

  private static List<Long> ids(List<ChatMessage> messages) {
    return messages.stream().map(ChatMessage::id).toList();
  }
}
