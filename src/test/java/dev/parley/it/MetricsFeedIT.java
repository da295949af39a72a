package dev.parley.it;

import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.TestClient.Joined;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /feed/metrics}: the last five minutes first, then a snapshot a second that follows what
 * the server does; a subscriber that stalls is held to one snapshot and skips to the newest.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MetricsFeedIT {

  private static final String FEED = "feed/metrics";
  private static final String SKIPPED = "parley_feed_snapshots_skipped_total";

  /** Enough snapshots for a chat's effect to show, with a second each. */
  private static final int PATIENCE = 15;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  @Test
  void aSubscriberGetsTheBacklogThenASnapshotEachSecondThatMovesWithTheChat() {
    try (TestClient feed = TestClient.connect(base, FEED)) {
      JsonObject backlog = feed.next();
      assertEquals("backlog", backlog.getString("type"));
      for (JsonValue point : backlog.getJsonArray("points")) {
        assertEquals("snapshot", point.asJsonObject().getString("type"));
      }
      JsonObject first = snapshot(feed);
      JsonObject second = snapshot(feed);
      assertWholeSecondsApart(first, second);
      assertTrue(second.getJsonObject("sessions").getInt("feed") >= 1, "this subscriber counts");

      String room = Rooms.fresh("watched");
      try (Joined ada = TestClient.join(base, room, "ada");
          Joined bob = TestClient.join(base, room, "bob")) {
        JsonObject busy = null;
        long previous = ts(second);
        for (int i = 0; i < PATIENCE && busy == null; i++) {
          ada.client().send(say("hello " + i));
          bob.client().next("message");
          JsonObject snapshot = snapshot(feed);
          assertTrue(ts(snapshot) - previous >= 1000 && (ts(snapshot) - previous) % 1000 == 0);
          previous = ts(snapshot);
          if (snapshot.getJsonObject("sessions").getInt("chat") >= 2
              && snapshot.getInt("rooms") >= 1
              && snapshot.getJsonNumber("in").doubleValue() > 0
              && snapshot.getJsonNumber("out").doubleValue() > 0
              && !snapshot.isNull("fanoutP50Ms")) {
            busy = snapshot;
          }
        }
        assertTrue(busy != null, "no snapshot showed the two members and their messages");
        assertTrue(busy.getJsonNumber("fanoutP99Ms").doubleValue() > 0, busy.toString());
      }
      int closedNormally = 0;
      for (int i = 0; i < PATIENCE && closedNormally < 2; i++) {
        closedNormally += snapshot(feed).getJsonObject("closes").getInt("1000", 0);
      }
      assertTrue(closedNormally >= 2, "both members' closes were counted: " + closedNormally);
    }
  }

  @Test
  void aSubscriberThatStopsFor20SecondsThenGetsTheNewestSnapshotNotThoseItMissed()
      throws Exception {
    try (TestClient feed = TestClient.connect(base, FEED)) {
      assertEquals("backlog", feed.next().getString("type"));
      // from its first ack on, a subscriber gets a frame only once it took in all before
      feed.sendText(ack(1));
      snapshot(feed);
      feed.sendText(ack(2));
      JsonObject lastTakenIn = snapshot(feed); // frame 3: not acknowledged
      double skippedBefore = Scrape.value(base, SKIPPED);

      Thread.sleep(20_000); // the dashboard stalls: it neither reads nor acknowledges

      assertFalse(feed.hasPendingText(), "nothing was sent meanwhile, nothing piled up");
      double skipped = Scrape.value(base, SKIPPED) - skippedBefore;
      assertTrue(skipped >= 15, "the server kept one snapshot, replacing it: " + skipped);
      feed.sendText(ack(3));
      JsonObject next = snapshot(feed);
      assertTrue(
          ts(next) - ts(lastTakenIn) >= 15_000,
          "the newest, not the oldest missed: " + ts(lastTakenIn) + ", then " + ts(next));
      feed.sendText(ack(4));
      assertWholeSecondsApart(next, snapshot(feed)); // and then each second again
    }
  }

  @Test
  void anythingButAnAcknowledgementClosesTheFeedWith1003AndAnythingLargeWith1009() {
    try (TestClient text = TestClient.connect(base, FEED);
        TestClient binary = TestClient.connect(base, FEED);
        TestClient large = TestClient.connect(base, FEED)) {
      assertEquals("backlog", text.next().getString("type"));
      text.sendText("{\"type\":\"ack\"}"); // without its count

      assertEquals(1003, text.awaitCloseCode());

      assertEquals("backlog", binary.next().getString("type"));
      binary.sendBinary(new byte[] {1, 2, 3});
      assertEquals(1003, binary.awaitCloseCode());

      assertEquals("backlog", large.next().getString("type"));
      large.sendText("{\"type\":\"ack\",\"n\":1,\"pad\":\"" + "x".repeat(2000) + "\"}");
      assertEquals(1009, large.awaitCloseCode(), "an ack takes 15 bytes; 1 KiB is the limit");
    }
  }

  /** An acknowledgement of the first {@code n} frames of the connection, the backlog included. */
  private static String ack(int n) {
    return "{\"type\":\"ack\",\"n\":" + n + "}";
  }

  /** Snapshots are stamped with whole seconds; a stalled server timer skips some, never repeats. */
  private static void assertWholeSecondsApart(JsonObject earlier, JsonObject later) {
    long apart = ts(later) - ts(earlier);
    assertTrue(apart >= 1000 && apart % 1000 == 0, ts(earlier) + " then " + ts(later));
  }

  private static JsonObject snapshot(TestClient feed) {
    JsonObject frame = feed.next();
    assertEquals("snapshot", frame.getString("type"), frame.toString());
    return frame;
  }

  private static long ts(JsonObject snapshot) {
    return snapshot.getJsonNumber("ts").longValue();
  }
}
