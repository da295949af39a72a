package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The page in Chromium against a server that needs a token (README, "Authentication"). */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuthPageIT {

  private static final String SECRET = "a-page-test-secret-that-is-32-bytes-long";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(Map.of("parley.authHmacSecret", SECRET));
  }

  @ArquillianResource URL base;

  @RegisterExtension final Browser browser = new Browser();

  @Test
  void aTokenInTheUrlFragmentSignsInUnderItsName() throws Exception {
    String room = Rooms.fresh("signed");
    String token = AuthIT.token("ada-7", Instant.now().plusSeconds(3600), SECRET, null, "Ada");
    ChatPage ada = new ChatPage(browser.open(), base, "access_token=" + token);
    ada.awaitAddressWithout("access_token"); // not left in the address bar
    assertEquals("Ada", ada.nick(), "the nick is the token's");
    ada.joinSignedIn(room);
    assertEquals("signed in as Ada", ada.identity());
    ada.awaitMembers(List.of("Ada"));
    ada.say("hello");
    ada.awaitMessage("hello");
  }

  @Test
  void aLinkWhoseTokenIsNoJwtIsSaidSoBeforeAnyJoin() throws Exception {
    ChatPage page = new ChatPage(browser.open(), base, "access_token=abc");
    page.awaitAlert("This token cannot be read");
    assertEquals("offline", page.status(), "nothing was tried");
  }

  @Test
  void withoutATokenThePageSaysTheSignInIsRefused() throws Exception {
    ChatPage page = new ChatPage(browser.open(), base);
    page.driver().findElement(org.openqa.selenium.By.id("access-token")).sendKeys("not-a-jwt");
    page.driver().findElement(org.openqa.selenium.By.id("nick")).sendKeys("ada");
    page.driver().findElement(org.openqa.selenium.By.id("join")).click();
    page.awaitAlert("Sign-in refused");
    page.awaitState("offline");
  }

  @Test
  void theOperationsPageNeedsASignInWithTheOpsRole() throws Exception {
    String chatOnly = AuthIT.token("ada", Instant.now().plusSeconds(3600), SECRET, null);
    OpsPage refused = new OpsPage(browser.open(), base, "access_token=" + chatOnly);
    refused.awaitAlert("lacks the role");
    refused.awaitState("offline");

    String operator = opsToken("oskar");
    OpsPage ops = new OpsPage(browser.open(), base, "access_token=" + operator);
    ops.awaitState("online");
    assertEquals("signed in as oskar", ops.text("identity"));
  }

  private static String opsToken(String subject) {
    return AuthIT.roleToken(subject, Instant.now().plusSeconds(3600), List.of("ops"), SECRET);
  }

  @Test
  void anExpiringSignInIsRenewedFromTheTokenUrl() throws Exception {
    String room = Rooms.fresh("renewed");
    AtomicInteger handedOut = new AtomicInteger();
    HttpServer tokens =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    tokens.createContext(
        "/token",
        exchange -> {
          String origin = exchange.getRequestHeaders().getFirst("Origin");
          exchange.getResponseHeaders().add("Access-Control-Allow-Origin", origin);
          exchange.getResponseHeaders().add("Access-Control-Allow-Credentials", "true");
          byte[] body =
              AuthIT.token("ada", Instant.now().plusSeconds(3600), SECRET, null)
                  .getBytes(StandardCharsets.US_ASCII);
          handedOut.incrementAndGet();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    tokens.start();
    // under 30 s left: told to refresh at once; time for a browser to start and join first
    Instant soon = Instant.now().plusSeconds(15);
    String tokenUrl = "http://127.0.0.1:" + tokens.getAddress().getPort() + "/token";
    try {
      ChatPage ada =
          new ChatPage(
              browser.open(),
              base,
              "access_token="
                  + AuthIT.token("ada", soon, SECRET, null)
                  + "&token_url="
                  + encode(tokenUrl));
      ada.joinSignedIn(room);
      ada.awaitLine("Sign-in renewed.");
      assertEquals(1, handedOut.get());
      // bob's token outlives ada's first one: once he is closed, she would have been too
      try (TestClient bob =
          TestClient.connect(
              base,
              "chat/"
                  + room
                  + "?access_token="
                  + AuthIT.token("bob", soon.plusSeconds(2), SECRET, null))) {
        assertEquals(1008, bob.awaitCloseCode(Duration.ofSeconds(30)));
      }
      ada.say("still here");
      ada.awaitMessage("still here");
      ada.awaitState("online");
    } finally {
      tokens.stop(0);
    }
  }

  private static String encode(String value) throws IOException {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
