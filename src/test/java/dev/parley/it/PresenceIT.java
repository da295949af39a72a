package dev.parley.it;

import static dev.parley.it.Frames.members;
import static dev.parley.it.Frames.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.TestClient.Joined;
import jakarta.json.JsonObject;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Protocol 1.1 presence: a room's joins and leaves reach each member as one {@code presence} frame
 * per interval, net of what cancels out; the welcome counts the room and names its first members,
 * and a {@code members} request pages through the rest. The interval is 2 s here, so that changes
 * made one after the other by the test fall into one.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PresenceIT {

  private static final int LIST_LIMIT = 3;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(
        Map.of(
            "parley.presenceIntervalMillis",
            "2000",
            "parley.presenceListLimit",
            String.valueOf(LIST_LIMIT)));
  }

  @ArquillianResource URL base;

  @Test
  void joinsOneAfterTheOtherReachAMemberAsOnePresenceFrame() {
    String room = Rooms.fresh("presence");
    List<Joined> all = new ArrayList<>();
    try (Joined ada = TestClient.join(base, room, "ada")) {
      for (String name : List.of("bob", "cid", "dee")) {
        all.add(TestClient.join(base, room, name));
      }
      JsonObject presence = ada.client().next("presence");
      assertEquals(List.of("bob", "cid", "dee"), names(presence, "joined"));
      assertEquals(4, presence.getInt("count"));
    } finally {
      all.forEach(Joined::close);
    }
  }

  @Test
  void aMemberWhoCameAndWentWithinOneIntervalIsNeverAnnounced() {
    String room = Rooms.fresh("presence");
    try (Joined ada = TestClient.join(base, room, "ada")) {
      TestClient.join(base, room, "eve").close();
      try (Joined fay = TestClient.join(base, room, "fay")) {
        Set<String> joined = new HashSet<>();
        Set<String> left = new HashSet<>();
        while (!joined.contains("fay")) {
          JsonObject presence = ada.client().next("presence");
          joined.addAll(names(presence, "joined"));
          left.addAll(names(presence, "left"));
        }
        assertFalse(joined.contains("eve"), "eve joined and left: " + joined);
        assertFalse(left.contains("eve"));
      }
    }
  }

  @Test
  void theCountIsExactAfterAStormOfJoinsAndLeaves() throws Exception {
    String room = Rooms.fresh("presence");
    ExecutorService storm = Executors.newFixedThreadPool(8);
    List<Joined> staying = new ArrayList<>();
    try (Joined ada = TestClient.join(base, room, "ada")) {
      List<Future<Joined>> joins = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        String name = "m" + i;
        boolean leaves = i % 3 == 0;
        joins.add(
            storm.submit(
                () -> {
                  Joined member = TestClient.join(base, room, name);
                  if (leaves) {
                    member.close();
                    return null;
                  }
                  return member;
                }));
      }
      for (Future<Joined> join : joins) {
        Joined member = join.get(30, TimeUnit.SECONDS);
        if (member != null) {
          staying.add(member);
        }
      }
      // a leave counts once the server saw the close: the last one must reach ada's frames
      Set<String> present = new HashSet<>(List.of("ada"));
      while (present.size() != 21 || !stormTold(present)) {
        JsonObject presence = ada.client().next("presence");
        present.addAll(names(presence, "joined"));
        names(presence, "left").forEach(present::remove);
        if (present.size() == 21) {
          assertEquals(21, presence.getInt("count"));
        }
      }
      try (Joined late = TestClient.join(base, room, "late")) {
        assertEquals(22, late.welcome().getInt("count"));
      }
    } finally {
      staying.forEach(Joined::close);
      storm.shutdownNow();
    }
  }

  private static boolean stormTold(Set<String> present) {
    for (int i = 0; i < 30; i++) {
      if (present.contains("m" + i) == (i % 3 == 0)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void theWelcomeNamesTheFirstMembersAndAMembersRequestPagesThroughTheRest() {
    String room = Rooms.fresh("presence");
    List<Joined> all = new ArrayList<>();
    try {
      for (String name : List.of("a1", "a2", "a3", "a4", "a5")) {
        all.add(TestClient.join(base, room, name));
      }
      Joined last = all.get(4);
      assertEquals(List.of("a1", "a2", "a3"), members(last.welcome()));
      assertEquals(5, last.welcome().getInt("count"));
      last.client().send(Frames.members("A3", 10));
      JsonObject page = last.client().next("members");
      assertEquals(List.of("a4", "a5"), names(page, "names"));
      assertEquals(5, page.getInt("count"));
      assertTrue(page.getJsonArray("names").size() <= 10);
    } finally {
      all.forEach(Joined::close);
    }
  }
}
