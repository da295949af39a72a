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
      Set<String> expected = new HashSet<>(Set.of("sender"));
      for (int i = 0; i < STAYING; i++) {
        expected.add("stay" + i);
      }
      for (Joined member : staying) {
        // Who is in the room as this member was told: its welcome, then each presence frame. A
        // member that joined and dropped within one presence interval is never named at all.
        Set<String> room = new HashSet<>(Frames.names(member.welcome(), "members"));
        long previous = 0;
        while (previous < MESSAGES || !room.equals(expected)) {
          JsonObject frame;
          try {
            frame = member.client().next();
          } catch (AssertionError timedOut) {
            throw new AssertionError(
                "after " + previous + " messages, the room as told: " + room, timedOut);
          }
          switch (frame.getString("type")) {
            case "message" -> {
              assertEquals(previous + 1, frame.getJsonNumber("id").longValue(), "in order");
              previous++;
            }
            case "presence" -> {
              room.addAll(Frames.names(frame, "joined"));
              room.removeAll(Frames.names(frame, "left"));
              assertEquals(room.size(), frame.getInt("count"), "the count matches: " + frame);
            }
            default -> throw new AssertionError("unexpected " + frame);
          }
        }
        assertEquals(MESSAGES, previous);
        assertEquals(expected, room, "every dropped member is gone, nobody else");
      }
    } finally {
      staying.forEach(Joined::close);
    }
  }
}
