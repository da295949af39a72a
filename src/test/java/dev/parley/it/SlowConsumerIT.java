package dev.parley.it;

import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.TestClient.Joined;
import jakarta.json.JsonObject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A member that stops reading is closed with 1013 once its queue is full; the others go on and miss
 * nothing, and the sender is never held up.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SlowConsumerIT {

  private static final int MESSAGES = 3000;
  private static final String TEXT = "x".repeat(3990);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(
        Map.of(
            "parley.maxQueuedMessages", "200",
            "parley.ratePerSecond", "100000",
            "parley.rateBurst", "100000"));
  }

  @ArquillianResource URL base;

  @Test
  void aMemberThatStopsReadingIsClosedWith1013AndTheOthersMissNothing() {
    String room = "slow-" + UUID.randomUUID().toString().substring(0, 8);
    List<Joined> readers = new ArrayList<>();
    try (Joined sender = TestClient.join(base, room, "sender")) {
      for (int i = 0; i < 3; i++) {
        readers.add(TestClient.join(base, room, "reader" + i));
      }
      TestClient stalled = TestClient.connectWithoutReading(base, "chat/" + room + "?name=stalled");
      assertEquals("welcome", stalled.next().getString("type"));

      for (int i = 1; i <= MESSAGES; i++) {
        sender.client().send(say(i + " " + TEXT));
      }
      for (Joined reader : readers) {
        long previous = 0;
        int received = 0;
        while (received < MESSAGES) {
          JsonObject frame = reader.client().next();
          if (frame.getString("type").equals("message")) {
            long id = frame.getJsonNumber("id").longValue();
            assertEquals(previous + 1, id, "in order, none missing");
            previous = id;
            received++;
          } else if (frame.getString("type").equals("left")) {
            assertEquals("stalled", frame.getString("name"));
            stalled.resumeReading(); // its close frame waits behind what filled its buffers
          } else {
            assertEquals("joined", frame.getString("type"), frame.toString());
          }
        }
      }
      // 1013 is sent, but a peer whose buffers are full may see only the connection end (1006)
      int code = stalled.awaitCloseCode();
      assertTrue(
          code == 1013 || code == TestClient.ABNORMAL_CLOSURE,
          "closed by the server, code " + code);
      stalled.close();
    } finally {
      readers.forEach(Joined::close);
    }
  }
}
