package dev.parley.it;

import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.TestClient.Joined;
import jakarta.json.JsonObject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.logging.LogType;

/** The bundled page, used in real headless Chromium against the deployed WAR. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ChatPageIT {

  private static final int HISTORY_SIZE = 20;
  private static final int WELCOME_HISTORY = 10;

  @Deployment(testable = false)
  static WebArchive deployment() {
    // small histories, so that paging back and trimming show with few messages; fast test clients
    return Deployments.war(
        Map.of(
            "parley.historySize",
            String.valueOf(HISTORY_SIZE),
            "parley.welcomeHistory",
            String.valueOf(WELCOME_HISTORY),
            "parley.ratePerSecond",
            "1000",
            "parley.rateBurst",
            "1000"));
  }

  @ArquillianResource URL base;

  @RegisterExtension final Browser browser = new Browser();

  @Test
  void twoBrowsersChatBothWaysAndSeePresenceAndTyping() throws Exception {
    String room = Rooms.fresh("page");
    ChatPage ada = new ChatPage(browser.open(), base).join(room, "ada");
    ChatPage bob = new ChatPage(browser.open(), base).join(room, "bob");
    ada.awaitMembers(List.of("ada", "bob"));
    ada.awaitLine("bob joined.");
    ada.awaitCount(2);
    bob.awaitCount(2);
    bob.typeWithoutSending("hel");
    ada.awaitTyping("bob is typing…");
    bob.say("lo, ada");
    ada.awaitMessage("hello, ada");
    bob.awaitMessage("hello, ada");
    ada.say("hi bob");
    bob.awaitMessage("hi bob");
    ada.awaitMessage("hi bob");
    assertEquals(List.of("hello, ada", "hi bob"), ada.messageTexts());
    assertEquals(List.of(1L, 2L), bob.messageIds());
    browser.close(bob.driver());
    ada.awaitMembers(List.of("ada"));
    ada.awaitLine("bob left.");
    ada.awaitCount(1);
    assertNoConsoleErrors(ada);
  }

  @Test
  void aWhisperReachesOnlyItsTarget() throws Exception {
    String room = Rooms.fresh("page");
    ChatPage ada = new ChatPage(browser.open(), base).join(room, "ada");
    try (Joined bob = TestClient.join(base, room, "bob");
        Joined eve = TestClient.join(base, room, "eve")) {
      ada.awaitMembers(List.of("ada", "bob", "eve"));
      ada.driver().findElement(By.xpath("//ul[@id='members']//button[text()='bob']")).click();
      ada.typeWithoutSending("for your eyes only");
      ada.say("");
      assertEquals("for your eyes only", bob.client().next("whisper").getString("text"));
      ada.awaitLine("you → bob (whisper)");
      eve.client().send(say("eve's marker"));
      assertEquals("eve's marker", eve.client().next("message").getString("text"), "no whisper");
    }
  }

  @Test
  void markupInAMessageIsShownAsText() throws Exception {
    String room = Rooms.fresh("page");
    String attack = "<img src=x onerror=\"document.title='pwned'\">";
    ChatPage ada = new ChatPage(browser.open(), base).join(room, "ada");
    try (Joined mallory = TestClient.join(base, room, "<b>mallory</b>")) {
      mallory.client().send(say(attack));
      ada.awaitMessage(attack);
      ada.awaitLine("<b>mallory</b> joined."); // the name in a presence notice, as text too
    }
    assertTrue(ada.driver().findElements(By.cssSelector("#messages img, #members b")).isEmpty());
    assertFalse(ada.driver().getTitle().contains("pwned"));
  }

  @Test
  void behindAProxyThatRefusesWebSocketThePageChatsOverAnEventStream() throws Exception {
    String room = Rooms.fresh("stream");
    try (CuttableProxy proxy = new CuttableProxy(base);
        Joined bob = TestClient.join(base, room, "bob")) {
      proxy.refuseWebSocket();
      ChatPage ada = new ChatPage(browser.open(), proxy.front(base)).join(room, "ada");
      ada.awaitState("online");
      assertEquals("online in #" + room + " (event stream)", ada.status());
      bob.client().awaitJoined("ada");

      bob.client().send(say("hello through the proxy"));
      ada.awaitMessage("hello through the proxy");
      ada.say("hello back");
      assertEquals("hello through the proxy", bob.client().next("message").getString("text"));
      JsonObject back = bob.client().next("message");
      assertEquals("ada", back.getString("from"));
      assertEquals("hello back", back.getString("text"));
      // no console check: the browser logs the refused WebSocket handshake, which is the point
    }
  }

  @Test
  void afterACutThePageReconnectsAndShowsWhatItMissedExactlyOnceInOrder() throws Exception {
    String room = Rooms.fresh("page");
    try (CuttableProxy proxy = new CuttableProxy(base);
        Joined bob = TestClient.join(base, room, "bob")) {
      ChatPage ada = new ChatPage(browser.open(), proxy.front(base)).join(room, "ada");
      bob.client().send(say("before the cut"));
      ada.awaitMessage("before the cut");

      proxy.cut(true);
      ada.awaitState("reconnecting");
      List<String> missed = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        missed.add("while away " + i);
        bob.client().send(say("while away " + i));
      }
      ada.say("typed while offline");
      ada.awaitLine("you (sending…)typed while offline");
      proxy.allow();

      ada.awaitState("online");
      ada.awaitMessage("typed while offline");
      List<String> expected = new ArrayList<>(List.of("before the cut"));
      expected.addAll(missed);
      expected.add("typed while offline");
      assertEquals(expected, ada.messageTexts());
      List<Long> ids = ada.messageIds();
      assertEquals(ids.size(), new HashSet<>(ids).size(), "no message twice: " + ids);
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), ids);
      assertTrue(ada.lines().stream().noneMatch(line -> line.contains("could not be loaded")));
      assertTrue(ada.lines().stream().noneMatch(line -> line.contains("sending…")));

      ada.say("back");
      expected.add("back");
      for (String text : expected) {
        assertEquals(text, bob.client().next("message").getString("text"));
      }
    }
  }

  @Test
  void messagesTrimmedWhileAwayShowAGapMarkerInsteadOfPretending() throws Exception {
    String room = Rooms.fresh("page");
    try (CuttableProxy proxy = new CuttableProxy(base);
        Joined bob = TestClient.join(base, room, "bob")) {
      ChatPage ada = new ChatPage(browser.open(), proxy.front(base)).join(room, "ada");
      bob.client().send(say("seen"));
      ada.awaitMessage("seen");
      proxy.cut(true);
      ada.awaitState("reconnecting");
      int away = HISTORY_SIZE + 5;
      for (int i = 1; i <= away; i++) {
        bob.client().send(say("away " + i));
        bob.client().next("message");
      }
      proxy.allow();
      ada.awaitMessage("away " + away);
      ada.awaitLine("could not be loaded");
      List<String> lines = ada.lines();
      int gap = lines.indexOf("Some messages from while you were away could not be loaded.");
      int seen = indexOfLineEndingWith(lines, "seen");
      int firstShownAfter = indexOfLineEndingWith(lines, "away " + (away - HISTORY_SIZE + 1));
      assertTrue(seen < gap && gap < firstShownAfter, "the gap sits where messages are missing");
      List<Long> ids = ada.messageIds();
      assertEquals(ids.size(), new HashSet<>(ids).size(), "no message twice: " + ids);
    }
  }

  @Test
  void scrollingToTheTopLoadsOlderMessages() throws Exception {
    String room = Rooms.fresh("page");
    int said = WELCOME_HISTORY + 5;
    try (Joined bob = TestClient.join(base, room, "bob")) {
      for (int i = 1; i <= said; i++) {
        bob.client().send(say("old " + i));
        bob.client().next("message");
      }
      ChatPage ada = new ChatPage(browser.open(), base).join(room, "ada");
      ada.awaitMessage("old " + said);
      assertEquals(WELCOME_HISTORY, ada.messageIds().size());
      ada.driver()
          .executeScript(
              "const list = document.getElementById('messages');"
                  + "list.scrollTop = 1; list.scrollTop = 0;"
                  + "list.dispatchEvent(new Event('scroll'));");
      ada.awaitMessage("old 1");
      List<Long> expected = java.util.stream.LongStream.rangeClosed(1, said).boxed().toList();
      assertEquals(expected, ada.messageIds());
    }
  }

  @Test
  void aTakenNickIsShownAndNotRetried() throws Exception {
    String room = Rooms.fresh("page");
    try (Joined holder = TestClient.join(base, room, "ada")) {
      ChatPage page = new ChatPage(browser.open(), base);
      page.driver().findElement(By.id("room")).clear();
      page.driver().findElement(By.id("room")).sendKeys(room);
      page.driver().findElement(By.id("nick")).sendKeys("ADA");
      page.driver().findElement(By.id("join")).click();
      page.awaitState("offline");
      assertEquals("That nick is already taken in this room.", page.alert());
    }
  }

  @Test
  void theEchoConsoleRoundTripsTextAndBinary() throws Exception {
    ChatPage page = new ChatPage(browser.open(), base);
    page.echo("ping é€");
    page.awaitEchoLine("← ping é€ (");
    Path file = Files.createTempFile("parley-echo", ".bin");
    byte[] bytes = new byte[3000];
    new java.util.Random(7).nextBytes(bytes);
    Files.write(file, bytes);
    page.echoFile(file);
    page.awaitEchoLine("← 3000 bytes, identical");
    assertNoConsoleErrors(page);
  }

  private static int indexOfLineEndingWith(List<String> lines, String end) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).endsWith(end)) {
        return i;
      }
    }
    throw new AssertionError("no line ends with '" + end + "': " + lines);
  }

  private static void assertNoConsoleErrors(ChatPage page) {
    List<String> errors =
        page.driver().manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(Object::toString)
            .toList();
    assertEquals(List.of(), errors);
  }
}
