package dev.parley.it;

import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
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
 * With {@code parley.authHmacSecret} set, chat needs a JWT: refused at the handshake without a good
 * one (401) or for a room it does not allow (403), the nick is the token's, and a connection lasts
 * until the token expires unless refreshed. Echo stays open.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuthIT {

  private static final String SECRET = "an-integration-test-secret-of-32-bytes+";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(Map.of("parley.authHmacSecret", SECRET));
  }

  @ArquillianResource URL base;

  @Test
  void aHandshakeWithoutAGoodTokenIsRefusedWith401AndCounted() throws Exception {
    String room = Rooms.fresh("auth");
    double before = refused(401);
    RawPeer peer = RawPeer.connect(base, 0);
    try {
      assertEquals(401, peer.handshake(base, "chat/" + room + "?name=ada"), "no token");
    } finally {
      peer.close();
    }
    HttpResponse<String> expired =
        get("chat/" + room + "?access_token=" + token("ada", Instant.now().minusSeconds(60)));
    assertEquals(401, expired.statusCode());
    JsonObject error = Json.createReader(new java.io.StringReader(expired.body())).readObject();
    assertEquals("unauthorized", error.getString("code"));
    assertEquals("Token expired", error.getString("message"));
    assertTrue(expired.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    String forged = token("ada", inAnHour(), "another-secret-that-is-32-bytes-long!", null);
    assertEquals(401, get("sse/chat/" + room + "?access_token=" + forged).statusCode(), "stream");
    assertEquals(before + 3, refused(401));
  }

  @Test
  void aRoomTheTokenLeavesOutIsRefusedWith403() throws Exception {
    double before = refused(403);
    String onlyLobby = token("ada", inAnHour(), SECRET, List.of("lobby"));
    assertEquals(403, get("chat/elsewhere?access_token=" + onlyLobby).statusCode());
    assertEquals(before + 1, refused(403));
  }

  @Test
  void theNickIsTheTokensWhateverTheUrlSays() {
    String room = Rooms.fresh("auth");
    String ada = token("ada-1", inAnHour(), SECRET, null, "Ada");
    try (TestClient joined =
        TestClient.connect(base, "chat/" + room + "?name=mallory&access_token=" + ada)) {
      assertEquals("Ada", joined.next("welcome").getString("name"));
    }
    // a client that can set headers sends the token as a bearer; sub is the nick without name
    try (TestClient bob =
        TestClient.connectWithBearer(base, "chat/" + room, token("bob", inAnHour()))) {
      assertEquals("bob", bob.next("welcome").getString("name"));
    }
  }

  @Test
  void anEventStreamTakesItsTokenFromTheUrl() {
    String room = Rooms.fresh("auth");
    try (StreamClient stream =
        StreamClient.open(base, room, "access_token=" + token("cy", inAnHour()), null)) {
      assertEquals("cy", stream.next("welcome").json().getString("name"));
    }
  }

  @Test
  void aConnectionIsWarnedThenClosedWhenItsTokenExpiresUnlessRefreshed() {
    String room = Rooms.fresh("auth");
    Instant soon = Instant.now().plusSeconds(5); // less than 30 s left: warned at once
    Instant later = soon.plusSeconds(2);
    try (TestClient refreshed = connect(room, token("ada", soon));
        TestClient expiring = connect(room, token("bob", later))) {
      refreshed.next("welcome");
      assertEquals("token-expiring", refreshed.next("error").getString("code"));
      refreshed.send(refresh(token("ada", inAnHour())));
      expiring.next("welcome");
      assertEquals("token-expiring", expiring.next("error").getString("code"));

      // bob's token outlives ada's first one: once bob is closed, ada's would have been too
      assertEquals(1008, expiring.awaitCloseCode());
      assertEquals("token expired", expiring.closeReason());
      refreshed.send(say("still here"));
      assertEquals("still here", nextMessage(refreshed).getString("text"));
    }
  }

  @Test
  void aRefreshForAnotherSubjectClosesAndABadOneIsRefused() {
    String room = Rooms.fresh("auth");
    try (TestClient ada = connect(room, token("ada", inAnHour()))) {
      ada.next("welcome");
      ada.send(refresh("not-a-token"));
      assertEquals("token-refused", ada.next("error").getString("code"));
      ada.send(say("still in"));
      assertEquals("still in", nextMessage(ada).getString("text"));
      ada.send(refresh(token("eve", inAnHour())));
      assertEquals(1008, ada.awaitCloseCode());
    }
  }

  @Test
  void theOperationsFeedNeedsATokenWithTheOpsRoleAndClosesWhenItExpires() throws Exception {
    double forbidden = refused(403);
    assertEquals(401, get("feed/metrics").statusCode(), "no token");
    String chatOnly = token("ada", inAnHour());
    HttpResponse<String> refused = get("feed/metrics?access_token=" + chatOnly);
    assertEquals(403, refused.statusCode(), "a token without the role");
    assertEquals(
        "forbidden",
        Json.createReader(new java.io.StringReader(refused.body())).readObject().getString("code"));
    assertEquals(forbidden + 1, refused(403));

    Instant expires = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
    String operator = roleToken("oskar", expires, List.of("ops"), SECRET);
    try (TestClient feed = TestClient.connect(base, "feed/metrics?access_token=" + operator)) {
      assertEquals("backlog", feed.next().getString("type"));
      assertEquals(1008, feed.awaitCloseCode(Duration.ofSeconds(30)), "when the token expires");
      assertEquals("token expired", feed.closeReason());
      assertTrue(!Instant.now().isBefore(expires.minusSeconds(1)), "at exp, not before");
    }
  }

  @Test
  void echoStaysOpenWithoutAToken() {
    try (TestClient echo = TestClient.connect(base, "echo")) {
      echo.sendText("no token needed");
      assertEquals("no token needed", echo.nextText());
    }
  }

  private TestClient connect(String room, String token) {
    return TestClient.connect(base, "chat/" + room + "?access_token=" + token);
  }

  private static JsonObject nextMessage(TestClient client) {
    return client.next("message");
  }

  private static JsonObject refresh(String token) {
    return Json.createObjectBuilder().add("type", "refresh").add("token", token).build();
  }

  private double refused(int status) throws Exception {
    return Scrape.value(base, "parley_auth_refused_total\\{status=\"" + status + "\"\\}");
  }

  private HttpResponse<String> get(String path) throws Exception {
    URI uri = URI.create(Deployments.onLoopback(base) + path);
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(uri).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static Instant inAnHour() {
    return Instant.now().plusSeconds(3600);
  }

  static String token(String subject, Instant expires) {
    return token(subject, expires, SECRET, null);
  }

  static String token(String subject, Instant expires, String secret, List<String> rooms) {
    return token(subject, expires, secret, rooms, null);
  }

  /** A token with a {@code roles} claim. */
  static String roleToken(String subject, Instant expires, List<String> roles, String secret) {
    return sign(
        new JWTClaimsSet.Builder()
            .subject(subject)
            .expirationTime(Date.from(expires))
            .claim("roles", roles),
        secret);
  }

  static String token(
      String subject, Instant expires, String secret, List<String> rooms, String name) {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(expires));
    if (rooms != null) {
      claims.claim("rooms", rooms);
    }
    if (name != null) {
      claims.claim("name", name);
    }
    return sign(claims, secret);
  }

  private static String sign(JWTClaimsSet.Builder claims, String secret) {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
    try {
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
