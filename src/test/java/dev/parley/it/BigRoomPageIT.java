package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.it.TestClient.Joined;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The page in a room larger than its welcome names (three here, where a deployment names a
 * thousand): it shows the room's size, pages through the members the welcome left out, keeps the
 * list exact through a storm of joins and leaves, and whispers to a member the welcome did not
 * name.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BigRoomPageIT {

  private static final int LIST_LIMIT = 3;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(Map.of("parley.presenceListLimit", String.valueOf(LIST_LIMIT)));
  }

  @ArquillianResource URL base;

  @RegisterExtension final Browser browser = new Browser();

  @Test
  void thePageListsMembersItsWelcomeLeftOutAndWhispersToOne() throws Exception {
    String room = Rooms.fresh("big");
    List<Joined> members = new ArrayList<>();
    try {
      for (int i = 1; i <= 7; i++) {
        members.add(TestClient.join(base, room, "m" + i));
      }
      ChatPage ada = new ChatPage(browser.open(), base).join(room, "ada");
      ada.awaitCount(8);
      ada.awaitMemberSet(Set.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "ada"));
      ada.driver().findElement(By.xpath("//ul[@id='members']//button[text()='m7']")).click();
      ada.typeWithoutSending("only the last to join");
      ada.say("");
      assertEquals(
          "only the last to join", members.get(6).client().next("whisper").getString("text"));
    } finally {
      members.forEach(Joined::close);
    }
  }

  @Test
  void theListAndCountStayExactThroughAStormOfJoinsAndLeaves() throws Exception {
    String room = Rooms.fresh("big");
    ChatPage ada = new ChatPage(browser.open(), base).join(room, "ada");
    ExecutorService storm = Executors.newFixedThreadPool(20);
    List<Joined> joined = new ArrayList<>();
    try {
      List<Future<Joined>> joining = new ArrayList<>();
      for (int i = 1; i <= 30; i++) {
        String nick = "s" + i;
        joining.add(storm.submit(() -> TestClient.join(base, room, nick)));
      }
      for (Future<Joined> join : joining) {
        joined.add(join.get());
      }
      List<Future<?>> leaving = new ArrayList<>();
      for (Joined member : joined.subList(0, 15)) {
        leaving.add(storm.submit(member::close));
      }
      for (Future<?> leave : leaving) {
        leave.get();
      }
      Set<String> staying = new HashSet<>(Set.of("ada"));
      for (int i = 16; i <= 30; i++) {
        staying.add("s" + i);
      }
      ada.awaitCount(16);
      ada.awaitMemberSet(staying);
    } finally {
      storm.shutdownNow();
      joined.forEach(Joined::close);
    }
  }
}
