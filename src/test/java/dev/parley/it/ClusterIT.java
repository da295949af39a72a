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
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two Parley nodes, each its own process, sharing one Redis: members on either node are in the same
 * rooms. No Arquillian: the test starts and ends the processes itself. The last two tests restart
 * Redis and kill a node, so they run last, in that order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  /**
   * A killed node's key expires after 6 s and the sweep runs every 2 s (README, "Several nodes").
   */
  private static final Duration DEAD_NODE_BOUND = Duration.ofSeconds(8);

  /** How long nodes may take to find Redis again after it restarted (reconnect backoff ≤ 5 s). */
  private static final Duration RECOVERY = Duration.ofSeconds(30);

  private static LocalRedis redis;
  private static AppNode nodeA;
  private static AppNode nodeB;

  @BeforeAll
  static void startRedisAndTwoNodes() {
    redis = LocalRedis.start();
    nodeA = AppNode.start("a", redis.uri());
    nodeB = AppNode.start("b", redis.uri());
    nodeA.awaitServing();
    nodeB.awaitServing();
  }

  @AfterAll
  static void stopAll() throws InterruptedException {
    for (AppNode node : new AppNode[] {nodeA, nodeB}) {
      if (node != null) {
        node.close();
      }
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static URL a() {
    return nodeA.base();
  }

  private static URL b() {
    return nodeB.base();
  }

  @Test
  @Order(1)
  void aMessageSaidOnOneNodeReachesTheMembersOnBothNodesExactlyOnce() {
    String room = freshRoom();
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
  @Order(2)
  void idsIncreaseAcrossNodesAndEveryMemberSeesTheSameOrder() {
    String room = freshRoom();
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
  @Order(3)
  void presenceIsTheUnionOfTheMembersOfBothNodes() {
    String room = freshRoom();
    try (Joined ada = TestClient.join(a(), room, "ada")) {
      Joined bob = TestClient.join(b(), room, "bob");
      assertEquals(List.of("ada", "bob"), members(bob.welcome()));
      JsonObject joined = ada.client().next("joined");
      assertEquals("bob", joined.getString("name"));
      assertEquals(List.of("ada", "bob"), members(joined));

      try (Joined cid = TestClient.join(a(), room, "cid")) {
        assertEquals(List.of("ada", "bob", "cid"), members(cid.welcome()));
        assertEquals(List.of("ada", "bob", "cid"), members(bob.client().next("joined")));

        TestClient taken = TestClient.connect(b(), "chat/" + room + "?name=ADA");
        assertEquals(4409, taken.awaitCloseCode(), "nicks are unique across nodes");

        bob.close();
        JsonObject left = ada.client().next("left");
        assertEquals("bob", left.getString("name"));
        assertEquals(List.of("ada", "cid"), members(left));
      }
    }
  }

  @Test
  @Order(4)
  void aClientThatDropsFromOneNodeResumesOnTheOtherWithExactlyWhatItMissed() {
    String room = freshRoom();
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
  @Order(5)
  void aTokenTakesTheNickOverOnAnotherNodeAndTheOldConnectionIsClosedWith4001() {
    String room = freshRoom();
    try (Joined ada = TestClient.join(a(), room, "ada");
        Joined bob = TestClient.join(a(), room, "bob")) {
      String token = bob.welcome().getString("token");
      try (Joined newBob = TestClient.join(b(), room, "bob", "&token=" + token)) {
        assertEquals(4001, bob.client().awaitCloseCode());
        assertEquals(List.of("ada", "bob"), members(newBob.welcome()));
        ada.client().send(say("still one bob"));
        assertEquals("still one bob", newBob.client().next("message").getString("text"));
        assertEquals("bob", ada.client().next("joined").getString("name"));
        assertEquals("message", ada.client().next().getString("type"), "no left, no joined");
      }
    }
  }

  @Test
  @Order(6)
  void whispersAndTypingNoticesReachMembersOnTheOtherNode() {
    String room = freshRoom();
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
  @Order(7)
  void nodesWhoseSubscriptionBrokeDeliverWhatTheyMissedOnceEachInOrder() {
    String room = freshRoom();
    int count = 10;
    try (Joined ada = TestClient.join(a(), room, "ada");
        Joined bob = TestClient.join(b(), room, "bob")) {
      assertEquals(2, redis.cutSubscriptions(), "one subscription per node");
      for (int i = 1; i <= count; i++) {
        ada.client().send(say("said during the blip " + i));
      }
      List<Long> expected = LongStream.rangeClosed(1, count).boxed().toList();
      for (Joined member : List.of(ada, bob)) {
        assertEquals(expected, messages(member, count).stream().map(ClusterIT::id).toList());
      }
      ada.client().send(say("after the blip"));
      for (Joined member : List.of(ada, bob)) {
        assertEquals(count + 1, id(member.client().next("message")), "no late copy before it");
      }
    }
  }

  @Test
  @Order(90)
  void afterRedisRestartsEveryNodeServesAgain() throws InterruptedException {
    String room = freshRoom();
    Joined ada = TestClient.join(a(), room, "ada");
    Joined bob = TestClient.join(b(), room, "bob");
    ada.client().send(say("before"));
    assertEquals(1, id(ada.client().next("message")));
    assertEquals(1, id(bob.client().next("message")));
    String oldEpoch = bob.welcome().getString("epoch");

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

  @Test
  @Order(100)
  void theMembersOfAKilledNodeLeaveThePresenceOfTheOthersWithinTheBound() throws Exception {
    String room = freshRoom();
    try (Joined bob = TestClient.join(b(), room, "bob")) {
      TestClient.join(a(), room, "ada");
      assertEquals(List.of("bob", "ada"), members(bob.client().next("joined")));

      Instant killed = Instant.now();
      nodeA.kill();
      JsonObject left = bob.client().next("left");
      Duration took = Duration.between(killed, Instant.now());
      assertEquals("ada", left.getString("name"));
      assertEquals(List.of("bob"), members(left));
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

  private static long id(JsonObject message) {
    return message.getJsonNumber("id").longValue();
  }

  private static String freshRoom() {
    return "cluster-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
