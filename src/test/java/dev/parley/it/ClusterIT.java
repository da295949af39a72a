package dev.parley.it;

import static dev.parley.it.Frames.ids;
import static dev.parley.it.Frames.members;
import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.cluster.LocalRedis;
import dev.parley.it.TestClient.Joined;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two Parley nodes, each its own process, sharing one Redis: members on either node are in the same
 * rooms. No Arquillian: the test starts and ends the processes itself. Node A reaches Redis through
 * a proxy that a test can cut.
 *
 * <p>The tests pass in any order. Each chats in rooms of its own, and puts back what it changes for
 * all: Redis is started again and node A's link to Redis let through again, whatever happens, and
 * the test waits until its node serves again. The node that a test kills is one it started for
 * itself. Before each test, both nodes must serve and hear each other.
 */
class ClusterIT {

  /**
   * A killed node's key expires after 6 s and the sweep runs every 2 s (README, "Several nodes").
   */
  private static final Duration DEAD_NODE_BOUND = Duration.ofSeconds(8);

  /** How long nodes may take to find Redis again after it restarted (reconnect backoff ≤ 5 s). */
  private static final Duration RECOVERY = Duration.ofSeconds(30);

  private static LocalRedis redis;

  /** Between node A and Redis: both of node A's connections to Redis pass through it. */
  private static CuttableProxy redisForA;

  private static AppNode nodeA;
  private static AppNode nodeB;

  @BeforeAll
  static void startRedisAndTwoNodes() throws IOException {
    redis = LocalRedis.start();
    redisForA = new CuttableProxy(URI.create(redis.uri()).getPort());
    nodeA = AppNode.start("a", "redis://127.0.0.1:" + redisForA.port());
    nodeB = AppNode.start("b", redis.uri());
    nodeA.awaitServing();
    nodeB.awaitServing();
  }

  @AfterAll
  static void stopAll() throws InterruptedException, IOException {
    for (AppNode node : new AppNode[] {nodeA, nodeB}) {
      if (node != null) {
        node.close();
      }
    }
    if (redisForA != null) {
      redisForA.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /**
   * Each test starts from a cluster that serves: a member on each node is admitted, and a message
   * said on either node reaches the member on the other, so that both nodes reach Redis, for
   * commands and for events. Waits up to {@link #RECOVERY} for the admissions.
   */
  @BeforeEach
  void bothNodesServeAndHearEachOther() throws InterruptedException {
    String room = Rooms.fresh("probe");
    try (Joined onA = joinOnceServing(a(), room, "probe-a", "");
        Joined onB = joinOnceServing(b(), room, "probe-b", "")) {
      onA.client().send(say("from a"));
      assertEquals("from a", onA.client().next("message").getString("text"));
      assertEquals("from a", onB.client().next("message").getString("text"), "b hears a");
      onB.client().send(say("from b"));
      assertEquals("from b", onB.client().next("message").getString("text"));
      assertEquals("from b", onA.client().next("message").getString("text"), "a hears b");
    }
  }

  private static URL a() {
    return nodeA.base();
  }

  private static URL b() {
    return nodeB.base();
  }

  @Test
  void aMessageSaidOnOneNodeReachesTheMembersOnBothNodesExactlyOnce() {
    String room = Rooms.fresh("cluster");
    try (Joined ada = TestClient.join(a(), room, "ada");
        Joined bob = TestClient.join(b(), room, "bob");
        Joined cid = TestClient.join(a(), room, "cid")) {
      List<Joined> everyone = List.of(ada, bob, cid);
      ada.client().send(say("first", "c1"));
      expectNext(everyone, 1, "first");
      bob.client().send(say("second", "c2"));
      expectNext(everyone, 2, "second");
      ada.client().send(say("third"));
      expectNext(everyone, 3, "third"); // and no late copy of the first two came before it
    }
  }

  private static void expectNext(List<Joined> members, long id, String text) {
    for (Joined member : members) {
      JsonObject message = member.client().next("message");
      assertEquals(id, id(message), () -> member.welcome().getString("name") + " got " + message);
      assertEquals(text, message.getString("text"));
    }
  }

  @Test
  void idsIncreaseAcrossNodesAndEveryMemberSeesTheSameOrder() {
    String room = Rooms.fresh("cluster");
    int each = 20;
    try (Joined ada = TestClient.join(a(), room, "ada");
        Joined bob = TestClient.join(b(), room, "bob")) {
      CompletableFuture<Void> fromA = sayMany(ada, "a", each);
      CompletableFuture<Void> fromB = sayMany(bob, "b", each);
      fromA.join();
      fromB.join();
      List<JsonObject> seenByAda = messages(ada, 2 * each);
      List<JsonObject> seenByBob = messages(bob, 2 * each);
      assertEquals(seenByAda, seenByBob, "one order for everyone");
      List<Long> expected = LongStream.rangeClosed(1, 2 * each).boxed().toList();
      assertEquals(expected, seenByAda.stream().map(ClusterIT::id).toList(), "no gap, in order");
    }
  }

  @Test
  void presenceIsTheUnionOfTheMembersOfBothNodes() {
    String room = Rooms.fresh("cluster");
    try (Joined ada = TestClient.join(a(), room, "ada")) {
      Joined bob = TestClient.join(b(), room, "bob");
      assertEquals(List.of("ada", "bob"), members(bob.welcome()));
      JsonObject joined = ada.client().awaitJoined("bob");
      assertEquals(2, joined.getInt("count"));

      try (Joined cid = TestClient.join(a(), room, "cid")) {
        assertEquals(List.of("ada", "bob", "cid"), members(cid.welcome()));
        assertEquals(3, bob.client().awaitJoined("cid").getInt("count"));

        TestClient taken = TestClient.connect(b(), "chat/" + room + "?name=ADA");
        assertEquals(4409, taken.awaitCloseCode(), "nicks are unique across nodes");

        bob.close();
        assertEquals(2, ada.client().awaitLeft("bob").getInt("count"));
      }
    }
  }

  @Test
  void aClientThatDropsFromOneNodeResumesOnTheOtherWithExactlyWhatItMissed() {
    String room = Rooms.fresh("cluster");
    try (Joined ada = TestClient.join(a(), room, "ada")) {
      Joined bob = TestClient.join(a(), room, "bob");
      sayAndAwait(ada, 3);
      for (long id = 1; id <= 3; id++) {
        assertEquals(id, id(bob.client().next("message")));
      }
      String epoch = bob.welcome().getString("epoch");
      String token = bob.welcome().getString("token");
      bob.client().abort(); // a dead link: node A has not noticed
      sayAndAwait(ada, 5);
      try (Joined back =
          TestClient.join(b(), room, "bob", "&since=3&epoch=" + epoch + "&token=" + token)) {
        JsonObject welcome = back.welcome();
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L), ids(welcome.getJsonArray("history")));
        assertTrue(welcome.getBoolean("complete"));
        assertEquals(epoch, welcome.getString("epoch"), "one history for both nodes");
        assertEquals(8, welcome.getJsonNumber("last").longValue());
        ada.client().send(say("after resume"));
        assertEquals(9, id(back.client().next("message")), "no duplicate, no gap");
      }
    }
  }

  @Test
  void aTokenTakesTheNickOverOnAnotherNodeAndTheOldConnectionIsClosedWith4001() {
    String room = Rooms.fresh("cluster");
    try (Joined ada = TestClient.join(a(), room, "ada");
        Joined bob = TestClient.join(a(), room, "bob")) {
      String token = bob.welcome().getString("token");
      ada.client().awaitJoined("bob");
      try (Joined newBob = TestClient.join(b(), room, "bob", "&token=" + token)) {
        assertEquals(4001, bob.client().awaitCloseCode());
        assertEquals(List.of("ada", "bob"), members(newBob.welcome()));
        ada.client().send(say("still one bob"));
        assertEquals("still one bob", newBob.client().next("message").getString("text"));
        assertEquals("message", ada.client().next().getString("type"), "no presence change");
      }
    }
  }

  @Test
  void aSaySentAgainAfterDroppingToTheOtherNodeIsNotNumberedTwice() {
    String room = Rooms.fresh("cluster");
    try (Joined ada = TestClient.join(a(), room, "ada")) {
      Joined bob = TestClient.join(a(), room, "bob");
      String token = bob.welcome().getString("token");
      bob.client().send(say("did this arrive?", "c-1"));
      JsonObject original = ada.client().next("message");
      bob.client().abort(); // its own copy never read: a phone losing its network
      try (Joined back = TestClient.join(b(), room, "bob", "&token=" + token)) {
        back.client().send(say("did this arrive?", "c-1"));
        assertEquals(original, back.client().next("message"), "the original, same id");
        back.client().send(say("next", "c-2"));
        JsonObject next = ada.client().next("message");
        assertEquals("next", next.getString("text"), "ada got nothing in between");
        assertEquals(id(original) + 1, id(next));
      }
    }
  }

  @Test
  void whispersAndTypingNoticesReachMembersOnTheOtherNode() {
    String room = Rooms.fresh("cluster");
    try (Joined ada = TestClient.join(a(), room, "ada");
        Joined bob = TestClient.join(b(), room, "bob")) {
      ada.client().send(Frames.whisper("BOB", "psst"));
      JsonObject received = bob.client().next("whisper");
      assertEquals("ada", received.getString("from"));
      assertEquals("bob", received.getString("to"), "the nick as its holder spelt it");
      assertEquals("psst", received.getString("text"));
      assertEquals(received, ada.client().next("whisper"), "the sender gets the same frame");

      bob.client().send(Frames.typing());
      assertEquals("bob", ada.client().next("typing").getString("name"));

      ada.client().send(Frames.whisper("nobody", "hello?"));
      assertEquals("no-such-member", ada.client().next("error").getString("code"));
    }
  }

  @Test
  void aPostThatLandsOnTheOtherNodeIsHandledByTheNodeOfItsStream() {
    String room = Rooms.fresh("cluster");
    try (StreamClient ada = StreamClient.open(a(), room, "name=ada", null);
        Joined bob = TestClient.join(b(), room, "bob")) {
      String token = ada.next("welcome").json().getString("token");
      HttpResponse<String> posted = ada.postVia(b(), token, say("via b", "c-1").toString());
      assertEquals(202, posted.statusCode(), posted.body());
      JsonObject said = bob.client().next("message");
      assertEquals("ada", said.getString("from"));
      assertEquals("via b", said.getString("text"));
      assertEquals("c-1", ada.next("message").json().getString("cid"), "the stream gets it too");

      posted = ada.postVia(b(), token, "{\"type\":\"say\"}");
      assertEquals(400, posted.statusCode(), posted.body());
      assertEquals("missing-field", ada.next("error").json().getString("code"), "told on A too");

      posted = ada.postVia(b(), "not-a-token", say("who?").toString());
      assertEquals(401, posted.statusCode(), posted.body());
      posted = ada.postVia(a(), bob.welcome().getString("token"), say("bob?").toString());
      assertEquals(401, posted.statusCode(), "a WebSocket member's token holds no stream");
    }
  }

  /**
   * Node A is cut off from Redis (both its connections, and it cannot connect again) until it is
   * seen to be: a {@code say} on node A is answered {@code unavailable}. The messages said on node
   * B after that are numbered by Redis while node A cannot hear of them, so its member can only get
   * them from the room's log once node A is let through again: a gap filled, each message once, in
   * order, and no late copy after.
   */
  @Test
  void messagesNumberedWhileANodeWasCutOffFromRedisReachItsMembersOnceEachInOrder() {
    String room = Rooms.fresh("cluster");
    int missed = 5;
    try (Joined ada = TestClient.join(a(), room, "ada");
        Joined bob = TestClient.join(b(), room, "bob")) {
      bob.client().send(say("before the cut"));
      assertEquals(1, id(ada.client().next("message")));
      assertEquals(1, id(bob.client().next("message")));

      List<Long> numberedWhileCut;
      redisForA.cut(true); // both connections of node A dropped; new ones refused
      try {
        ada.client().send(say("anyone there?", "cut?"));
        JsonObject refused = ada.client().next("error");
        assertEquals("unavailable", refused.getString("code"), "node A is cut off: " + refused);
        assertEquals("cut?", refused.getString("cid"));

        for (int i = 1; i <= missed; i++) {
          bob.client().send(say("said while node A was cut off " + i));
        }
        numberedWhileCut = idsOf(messages(bob, missed));
        assertEquals(
            LongStream.rangeClosed(2, missed + 1).boxed().toList(),
            numberedWhileCut,
            "numbered by Redis while node A was cut off");
        assertFalse(ada.client().hasPendingText(), "node A, cut off, cannot have delivered them");
      } finally {
        redisForA.allow();
      }

      assertEquals(
          numberedWhileCut,
          idsOf(messages(ada, missed)),
          "what node A could not hear, read back from the log once node A reconnected");
      bob.client().send(say("after the cut"));
      for (Joined member : List.of(ada, bob)) {
        assertEquals(missed + 2, id(member.client().next("message")), "no late copy before it");
      }
      ada.client().send(say("node A speaks again"));
      for (Joined member : List.of(ada, bob)) {
        assertEquals(missed + 3, id(member.client().next("message")));
      }
    }
  }

  @Test
  void afterRedisRestartsEveryNodeServesAgain() throws InterruptedException {
    String room = Rooms.fresh("cluster");
    String oldEpoch;
    try (Joined ada = TestClient.join(a(), room, "ada");
        Joined bob = TestClient.join(b(), room, "bob")) {
      ada.client().send(say("before"));
      assertEquals(1, id(ada.client().next("message")));
      assertEquals(1, id(bob.client().next("message")));
      oldEpoch = bob.welcome().getString("epoch");

      redis.stop();
      try {
        ada.client().send(say("during the outage", "lost?"));
        JsonObject refused = ada.client().next("error");
        assertEquals("unavailable", refused.getString("code"));
        assertEquals("lost?", refused.getString("cid"), "not silently dropped: answered");
      } finally {
        redis.restart(); // empty: Redis kept nothing
      }

      // The rooms' history began again, so the nodes close their members to resume (1012).
      assertEquals(1012, ada.client().awaitCloseCode());
      assertEquals(1012, bob.client().awaitCloseCode());
    }

    try (Joined adaBack = joinOnceServing(a(), room, "ada", "&since=1&epoch=" + oldEpoch);
        Joined bobBack = joinOnceServing(b(), room, "bob", "&since=1&epoch=" + oldEpoch)) {
      assertFalse(bobBack.welcome().getBoolean("complete"), "ids began again");
      assertNotEquals(oldEpoch, bobBack.welcome().getString("epoch"));
      adaBack.client().send(say("after"));
      JsonObject after = bobBack.client().next("message");
      assertEquals("after", after.getString("text"));
      assertEquals(1, id(after));
      assertEquals(after, adaBack.client().next("message"));
      bobBack.client().send(say("and back"));
      assertEquals("and back", adaBack.client().next("message").getString("text"));
    }
  }

  /** Joins once the node admits members again, trying until {@link #RECOVERY} is over. */
  private static Joined joinOnceServing(URL node, String room, String nick, String query)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(RECOVERY);
    while (true) {
      try {
        return TestClient.join(node, room, nick, query);
      } catch (AssertionError | RuntimeException notYet) {
        if (Instant.now().isAfter(deadline)) {
          throw notYet;
        }
        Thread.sleep(200); // poll until the deadline
      }
    }
  }

  /** The node killed is a third one, started for this test: the others go on serving. */
  @Test
  void theMembersOfAKilledNodeLeaveThePresenceOfTheOthersWithinTheBound() throws Exception {
    String room = Rooms.fresh("cluster");
    try (AppNode doomed = AppNode.start("c", redis.uri());
        Joined bob = TestClient.join(b(), room, "bob")) {
      TestClient.join(doomed.awaitServing().base(), room, "ada");
      assertEquals(2, bob.client().awaitJoined("ada").getInt("count"));

      Instant killed = Instant.now();
      doomed.kill();
      JsonObject left = bob.client().awaitLeft("ada");
      Duration took = Duration.between(killed, Instant.now());
      assertEquals(1, left.getInt("count"));
      assertTrue(
          took.compareTo(DEAD_NODE_BOUND.plusSeconds(2)) <= 0, "left after " + took.toMillis());

      try (Joined cid = TestClient.join(b(), room, "cid")) {
        assertEquals(List.of("bob", "cid"), members(cid.welcome()));
      }
      try (Joined ada = TestClient.join(b(), room, "ada")) {
        assertEquals(List.of("bob", "ada"), members(ada.welcome()), "the nick is free again");
      }
    }
  }

  private static CompletableFuture<Void> sayMany(Joined member, String prefix, int count) {
    return CompletableFuture.runAsync(
        () -> {
          for (int i = 0; i < count; i++) {
            member.client().send(say(prefix + i));
          }
        });
  }

  private static List<JsonObject> messages(Joined member, int count) {
    List<JsonObject> messages = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      messages.add(member.client().next("message"));
    }
    return messages;
  }

  private static void sayAndAwait(Joined member, int count) {
    for (int i = 0; i < count; i++) {
      member.client().send(say("message " + i));
      member.client().next("message");
    }
  }

  private static List<Long> idsOf(List<JsonObject> messages) {
    return messages.stream().map(ClusterIT::id).toList();
  }

  private static long id(JsonObject message) {
    return message.getJsonNumber("id").longValue();
  }
}
