package dev.parley.it;

import static dev.parley.it.Frames.history;
import static dev.parley.it.Frames.ids;
import static dev.parley.it.Frames.members;
import static dev.parley.it.Frames.names;
import static dev.parley.it.Frames.say;
import static dev.parley.it.Frames.typing;
import static dev.parley.it.Frames.whisper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.TestClient.Joined;
import jakarta.json.JsonObject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every chat message type does what protocol v1 says, seen by real clients. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ChatMessagingIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  @Test
  void theWelcomeNamesTheRoomTheNickTheMembersAndAnEmptyHistory() {
    String room = Rooms.fresh("room");
    try (Joined alice = TestClient.join(base, room, "  Alice ")) {
      JsonObject welcome = alice.welcome();
      assertEquals(room, welcome.getString("room"));
      assertEquals("Alice", welcome.getString("name"), "the nick is trimmed");
      assertEquals(List.of("Alice"), members(welcome));
      assertEquals(0, welcome.getJsonArray("history").size());
      assertEquals(0, welcome.getJsonNumber("last").longValue());
      assertTrue(welcome.getBoolean("complete"));
      assertFalse(welcome.getString("token").isBlank());
      assertFalse(welcome.getString("epoch").isBlank());
    }
  }

  @Test
  void aSayReachesEveryoneInTheRoomIncludingTheSender() {
    String room = Rooms.fresh("room");
    try (Joined alice = TestClient.join(base, room, "alice");
        Joined bob = TestClient.join(base, room, "bob")) {
      alice.client().send(say("hello, bob", "c-1"));
      for (Joined member : List.of(alice, bob)) {
        JsonObject message = member.client().next("message");
        assertEquals("hello, bob", message.getString("text"));
        assertEquals("alice", message.getString("from"));
        assertEquals(room, message.getString("room"));
        assertEquals("c-1", message.getString("cid"));
        assertEquals(1, message.getJsonNumber("id").longValue());
        Instant ts = Instant.parse(message.getString("ts"));
        assertTrue(message.getString("ts").endsWith("Z"), "UTC");
        assertTrue(Duration.between(ts, Instant.now()).abs().toMinutes() < 5, "a current time");
      }
    }
  }

  @Test
  void idsIncreaseStrictlyAndTheWelcomeCarriesTheLatestMessages() {
    String room = Rooms.fresh("room");
    try (Joined alice = TestClient.join(base, room, "alice")) {
      for (int i = 1; i <= 3; i++) {
        alice.client().send(say("m" + i));
        assertEquals(i, alice.client().next("message").getJsonNumber("id").longValue());
      }
      try (Joined bob = TestClient.join(base, room, "bob")) {
        assertEquals(List.of(1L, 2L, 3L), ids(bob.welcome().getJsonArray("history")));
        assertEquals(3, bob.welcome().getJsonNumber("last").longValue());
      }
    }
  }

  @Test
  void aJoinIsAnnouncedToTheOthersWithTheRoomsSize() {
    String room = Rooms.fresh("room");
    try (Joined alice = TestClient.join(base, room, "alice");
        Joined bob = TestClient.join(base, room, "bob")) {
      JsonObject presence = alice.client().next();
      assertEquals("presence", presence.getString("type"));
      assertEquals(List.of("bob"), names(presence, "joined"));
      assertEquals(List.of(), names(presence, "left"));
      assertEquals(2, presence.getInt("count"));
      assertEquals(List.of("alice", "bob"), members(bob.welcome()));
      assertEquals(2, bob.welcome().getInt("count"));
    }
  }

  @Test
  void aLeaveIsAnnouncedToTheOthersWithTheRoomsSize() {
    String room = Rooms.fresh("room");
    try (Joined alice = TestClient.join(base, room, "alice")) {
      Joined bob = TestClient.join(base, room, "bob");
      alice.client().awaitJoined("bob");
      bob.close();
      JsonObject presence = alice.client().next();
      assertEquals(List.of("bob"), names(presence, "left"));
      assertEquals(1, presence.getInt("count"));
    }
  }

  @Test
  void aWhisperReachesOnlyItsTargetAndItsSender() {
    String room = Rooms.fresh("room");
    try (Joined alice = TestClient.join(base, room, "alice");
        Joined bob = TestClient.join(base, room, "bob");
        Joined carol = TestClient.join(base, room, "carol")) {
      alice.client().send(whisper("BOB", "psst"));
      for (Joined member : List.of(alice, bob)) {
        JsonObject whisper = member.client().next("whisper");
        assertEquals("alice", whisper.getString("from"));
        assertEquals("bob", whisper.getString("to"), "the target's nick as it joined");
        assertEquals("psst", whisper.getString("text"));
        Instant.parse(whisper.getString("ts"));
      }
      // carol's next frame after the whisper is the public message, not the whisper
      alice.client().send(say("public"));
      assertEquals("public", carol.client().next("message").getString("text"));
    }
  }

  @Test
  void typingReachesTheOthersButNotTheTypist() {
    String room = Rooms.fresh("room");
    try (Joined alice = TestClient.join(base, room, "alice");
        Joined bob = TestClient.join(base, room, "bob")) {
      alice.client().awaitJoined("bob");
      alice.client().send(typing());
      JsonObject typing = bob.client().next();
      assertEquals("typing", typing.getString("type"));
      assertEquals("alice", typing.getString("name"));
      alice.client().send(say("done typing"));
      assertEquals("message", alice.client().next().getString("type"), "no typing echo");
    }
  }

  @Test
  void typingIsRelayedAtMostOncePerInterval() {
    String room = Rooms.fresh("room");
    try (Joined alice = TestClient.join(base, room, "alice");
        Joined bob = TestClient.join(base, room, "bob")) {
      for (int i = 0; i < 5; i++) {
        alice.client().send(typing());
      }
      alice.client().send(say("after typing"));
      assertEquals("typing", bob.client().next().getString("type"));
      assertEquals("message", bob.client().next().getString("type"), "one typing, then the say");
    }
  }

  @Test
  void historyPagesBackwardsOldestFirst() {
    String room = Rooms.fresh("room");
    try (Joined alice = TestClient.join(base, room, "alice")) {
      for (int i = 1; i <= 10; i++) {
        alice.client().send(say("m" + i));
        alice.client().next("message");
      }
      alice.client().send(history(8, 3));
      JsonObject page = alice.client().next("history");
      assertEquals(List.of(5L, 6L, 7L), ids(page.getJsonArray("messages")));
      alice.client().send(history(2, 100));
      assertEquals(List.of(1L), ids(alice.client().next("history").getJsonArray("messages")));
    }
  }

  @Test
  void twoRoomsDoNotHearEachOther() {
    try (Joined inA = TestClient.join(base, Rooms.fresh("room"), "alice");
        Joined inB = TestClient.join(base, Rooms.fresh("room"), "bob")) {
      inA.client().send(say("only in A"));
      assertEquals("only in A", inA.client().next("message").getString("text"));
      // Had A's message reached B, it would be queued ahead of B's own message.
      inB.client().send(say("only in B"));
      assertEquals("only in B", inB.client().next("message").getString("text"));
    }
  }

  @Test
  void aNickMayBeReusedAfterItsHolderLeft() {
    String room = Rooms.fresh("room");
    try (Joined witness = TestClient.join(base, room, "witness")) {
      Joined alice = TestClient.join(base, room, "alice");
      witness.client().awaitJoined("alice");
      alice.close();
      witness.client().awaitLeft("alice");
      try (Joined again = TestClient.join(base, room, "Alice")) {
        assertEquals("Alice", again.welcome().getString("name"));
      }
    }
  }
}
