package dev.parley.it;

import static dev.parley.it.Frames.ids;
import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.TestClient.Joined;
import jakarta.json.JsonObject;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that comes back with {@code since} and {@code epoch} gets exactly what it missed, in
 * order; when that is no longer possible, the welcome says so with {@code complete: false}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ResumeIT {

  private static final int HISTORY_SIZE = 20;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(Map.of("parley.historySize", String.valueOf(HISTORY_SIZE)));
  }

  @ArquillianResource URL base;

  @Test
  void aResumingClientGetsExactlyTheMessagesItMissedInOrder() {
    String room = Rooms.fresh("resume");
    try (Joined alice = TestClient.join(base, room, "alice")) {
      Joined bob = TestClient.join(base, room, "bob");
      sayAndAwait(alice, 3);
      long lastSeen = 3;
      String epoch = bob.welcome().getString("epoch");
      String token = bob.welcome().getString("token");
      for (int i = 1; i <= 3; i++) {
        assertEquals(i, bob.client().next("message").getJsonNumber("id").longValue());
      }
      bob.close();
      sayAndAwait(alice, 5);
      try (Joined back =
          TestClient.join(
              base, room, "bob", "&since=" + lastSeen + "&epoch=" + epoch + "&token=" + token)) {
        JsonObject welcome = back.welcome();
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L), ids(welcome.getJsonArray("history")));
        assertTrue(welcome.getBoolean("complete"));
        assertEquals(8, welcome.getJsonNumber("last").longValue());
        alice.client().send(say("after resume"));
        JsonObject next = back.client().next("message");
        assertEquals(9, next.getJsonNumber("id").longValue(), "no duplicate, no gap");
      }
    }
  }

  @Test
  void resumingWithNothingMissedGivesAnEmptyCompleteHistory() {
    String room = Rooms.fresh("resume");
    try (Joined alice = TestClient.join(base, room, "alice")) {
      sayAndAwait(alice, 2);
      String epoch = alice.welcome().getString("epoch");
      try (Joined bob = TestClient.join(base, room, "bob", "&since=2&epoch=" + epoch)) {
        assertEquals(0, bob.welcome().getJsonArray("history").size());
        assertTrue(bob.welcome().getBoolean("complete"));
      }
    }
  }

  @Test
  void anotherEpochMeansIncompleteWithTheLatestMessages() {
    String room = Rooms.fresh("resume");
    try (Joined alice = TestClient.join(base, room, "alice")) {
      sayAndAwait(alice, 3);
      try (Joined bob = TestClient.join(base, room, "bob", "&since=1&epoch=from-a-restart")) {
        assertFalse(bob.welcome().getBoolean("complete"));
        assertEquals(List.of(1L, 2L, 3L), ids(bob.welcome().getJsonArray("history")));
        assertEquals(alice.welcome().getString("epoch"), bob.welcome().getString("epoch"));
      }
    }
  }

  @Test
  void resumingFromBeyondTheKeptHistoryIsIncomplete() {
    String room = Rooms.fresh("resume");
    try (Joined alice = TestClient.join(base, room, "alice")) {
      sayAndAwait(alice, HISTORY_SIZE + 5);
      String epoch = alice.welcome().getString("epoch");
      try (Joined bob = TestClient.join(base, room, "bob", "&since=2&epoch=" + epoch)) {
        assertFalse(bob.welcome().getBoolean("complete"), "messages 3..5 were trimmed");
        List<Long> expected = LongStream.rangeClosed(6, HISTORY_SIZE + 5).boxed().toList();
        assertEquals(expected, ids(bob.welcome().getJsonArray("history")));
      }
      try (Joined carol = TestClient.join(base, room, "carol", "&since=5&epoch=" + epoch)) {
        assertTrue(carol.welcome().getBoolean("complete"), "6 is the oldest kept: none lost");
      }
    }
  }

  @Test
  void historyKeepsOnlyTheConfiguredNumberOfMessages() {
    String room = Rooms.fresh("resume");
    try (Joined alice = TestClient.join(base, room, "alice")) {
      sayAndAwait(alice, HISTORY_SIZE + 5);
      alice.client().send(Frames.history(Long.MAX_VALUE, 100));
      List<Long> expected = LongStream.rangeClosed(6, HISTORY_SIZE + 5).boxed().toList();
      assertEquals(expected, ids(alice.client().next("history").getJsonArray("messages")));
    }
  }

  private static void sayAndAwait(Joined member, int count) {
    for (int i = 0; i < count; i++) {
      member.client().send(say("message " + i));
      member.client().next("message");
    }
  }
}
