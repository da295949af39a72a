package dev.parley.it;

import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.it.TestClient.Joined;
import jakarta.json.JsonObject;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Members whose TCP connections drop in the middle of a broadcast (no close frame) are removed;
 * everyone else receives every message, in order.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AbruptDropIT {

  private static final int STAYING = 20;
  private static final int DROPPING = 10;
  private static final int MESSAGES = 400;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(Map.of("parley.ratePerSecond", "100000", "parley.rateBurst", "100000"));
  }

  @ArquillianResource URL base;

  @Test
  void connectionsDroppedMidBroadcastLeaveAndTheOthersMissNothing() {
    List<Joined> staying = new ArrayList<>();
    List<Joined> dropping = new ArrayList<>();
    try (Joined sender = TestClient.join(base, "drops", "sender")) {
      for (int i = 0; i < STAYING; i++) {
        staying.add(TestClient.join(base, "drops", "stay" + i));
      }
      for (int i = 0; i < DROPPING; i++) {
        dropping.add(TestClient.join(base, "drops", "drop" + i));
      }
      for (int m = 1; m <= MESSAGES; m++) {
        sender.client().send(say("m" + m));
        if (m % (MESSAGES / DROPPING) == 0) {
          dropping.get(m / (MESSAGES / DROPPING) - 1).client().abort();
        }
      }
      for (Joined member : staying) {
        long previous = 0;
        Set<String> gone = new HashSet<>();
        while (previous < MESSAGES || gone.size() < DROPPING) {
          JsonObject frame;
          try {
            frame = member.client().next();
          } catch (AssertionError timedOut) {
            throw new AssertionError(
                "after " + previous + " messages and " + gone.size() + " left: " + gone, timedOut);
          }
          switch (frame.getString("type")) {
            case "message" -> {
              assertEquals(previous + 1, frame.getJsonNumber("id").longValue(), "in order");
              previous++;
            }
            case "presence" -> gone.addAll(Frames.names(frame, "left"));
            default -> throw new AssertionError("unexpected " + frame);
          }
        }
        assertEquals(MESSAGES, previous);
        assertEquals(DROPPING, gone.size(), "every dropped member left: " + gone);
      }
    } finally {
      staying.forEach(Joined::close);
    }
  }
}
