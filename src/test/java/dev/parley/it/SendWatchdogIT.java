package dev.parley.it;

import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.TestClient.Joined;
import jakarta.json.JsonObject;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A member whose sends the container cannot complete is closed (1011) once a send has waited for
 * {@code parley.sendTimeoutMillis}, even when its queue never grows long enough to count as a slow
 * consumer: nobody silently stops receiving.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SendWatchdogIT {

  private static final String TEXT = "x".repeat(3990);

  /** Far more than any socket buffers on loopback hold: the test ends much sooner. */
  private static final int MAX_MESSAGES = 5000;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(
        Map.of(
            "parley.sendTimeoutMillis", "1000",
            // queues may grow: only the watchdog is left to notice the stuck member
            "parley.maxQueuedMessages", "1000000",
            "parley.maxQueuedChars", "1000000000",
            "parley.ratePerSecond", "100000",
            "parley.rateBurst", "100000"));
  }

  @ArquillianResource URL base;

  @Test
  void aMemberWhoseSendNeverCompletesIsClosedAndTheOthersMissNothing() throws Exception {
    String room = Rooms.fresh("stuck");
    double timeoutsBefore = Scrape.value(base, "parley_send_timeouts_total");
    try (Joined sender = TestClient.join(base, room, "sender");
        Joined reader = TestClient.join(base, room, "reader");
        RawPeer stuck = RawPeer.connect(base, 4096)) {
      assertEquals(101, stuck.handshake(base, "chat/" + room + "?name=stuck"));
      reader.client().awaitJoined("stuck");

      long expectedId = reader.welcome().getJsonNumber("last").longValue() + 1;
      boolean stuckLeft = false;
      for (int said = 0; !stuckLeft && said < MAX_MESSAGES; said++) {
        sender.client().send(say(said + " " + TEXT));
        sender.client().next("message");
        JsonObject frame;
        do {
          frame = reader.client().next();
          if (frame.getString("type").equals("presence")) {
            assertEquals(List.of("stuck"), Frames.names(frame, "left"));
            stuckLeft = true;
          }
        } while (!frame.getString("type").equals("message"));
        assertEquals(expectedId++, frame.getJsonNumber("id").longValue(), "in order, none missing");
      }
      assertTrue(stuckLeft, "the stuck member was closed");
      assertTrue(
          Scrape.value(base, "parley_send_timeouts_total") > timeoutsBefore, "counted at /metrics");
    }
  }
}
