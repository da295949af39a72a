package dev.parley.it;

import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.TestClient.Joined;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operations page in Chromium: its charts draw, and follow a chat as it happens. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OpsPageIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  @RegisterExtension final Browser browser = new Browser();

  @Test
  void theChartsDrawAndFollowAChat() throws Exception {
    OpsPage ops = new OpsPage(browser.open(), base, "");
    ops.awaitState("online");
    long before = ops.newest("messages");

    String room = Rooms.fresh("ops");
    try (Joined ada = TestClient.join(base, room, "ada");
        Joined bob = TestClient.join(base, room, "bob")) {
      ops.waiting()
          .withMessage(() -> "in " + ops.text("now-in") + ", out " + ops.text("now-out"))
          .until(
              d -> {
                ada.client().send(say("watched"));
                bob.client().next("message");
                return ops.tile("now-in") > 0 && ops.tile("now-out") > 0;
              });
      ops.waiting()
          .withMessage(() -> "connections " + ops.text("now-connections"))
          .until(d -> ops.tile("now-connections") >= 3); // ada, bob and the page's own feed
      assertTrue(ops.tile("now-rooms") >= 1, ops.text("now-rooms"));
      ops.waiting()
          .withMessage("every chart's series drawn")
          .until(d -> OpsPage.CHARTS.stream().allMatch(chart -> ops.seriesPixels(chart) > 0));
    }
    assertTrue(ops.newest("messages") > before, "the chart took in the new snapshots");
    ops.waiting()
        .withMessage(() -> "closes shown: " + ops.text("no-closes"))
        .until(d -> !d.findElement(org.openqa.selenium.By.id("no-closes")).isDisplayed());
  }
}
