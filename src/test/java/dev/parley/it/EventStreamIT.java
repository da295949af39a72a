package dev.parley.it;

import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.StreamClient.Event;
import dev.parley.it.TestClient.Joined;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * A member on an event stream with POSTs (for clients behind a proxy that refuses WebSocket) is a
 * member like any other: it chats with WebSocket members both ways, resumes with Last-Event-ID, is
 * refused with the WebSocket's codes, and leaves when its client goes away.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EventStreamIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    // keep-alive comments every half second; five frames a second per member
    return Deployments.war(
        Map.of(
            "parley.pingIntervalMillis", "500",
            "parley.ratePerSecond", "5",
            "parley.rateBurst", "5"));
  }

  @ArquillianResource URL base;

  @Test
  void aStreamMemberAndAWebSocketMemberChatBothWays() {
    String room = Rooms.fresh("stream");
    try (StreamClient stream = StreamClient.open(base, room, "name=ada", null)) {
      JsonObject welcome = stream.next("welcome").json();
      assertEquals(List.of("ada"), Frames.names(welcome, "members"));
      try (Joined bob = TestClient.join(base, room, "bob")) {
        assertEquals(List.of("ada", "bob"), Frames.names(bob.welcome(), "members"));
        assertEquals(
            List.of("bob"), Frames.names(stream.next("presence").json(), "joined"), "presence");

        bob.client().send(say("hello, stream"));
        Event message = stream.next("message");
        assertEquals("hello, stream", message.json().getString("text"));
        assertEquals(welcome.getString("epoch") + ":1", message.id(), "id: epoch:id");

        HttpResponse<String> posted =
            stream.post(welcome.getString("token"), say("hello, socket", "c-1").toString());
        assertEquals(202, posted.statusCode(), posted.body());
        assertEquals("bob", bob.client().next("message").getString("from"), "his own first");
        JsonObject echoed = bob.client().next("message");
        assertEquals("ada", echoed.getString("from"));
        assertEquals("hello, socket", echoed.getString("text"));
        assertEquals("c-1", stream.next("message").json().getString("cid"), "its own, too");
      }
    }
  }

  @Test
  void aReopenedStreamResumesFromItsLastEventId() {
    String room = Rooms.fresh("resume");
    String token;
    String epoch;
    try (Joined bob = TestClient.join(base, room, "bob");
        StreamClient first = StreamClient.open(base, room, "name=ada", null)) {
      JsonObject welcome = first.next("welcome").json();
      token = welcome.getString("token");
      epoch = welcome.getString("epoch");
      for (int i = 1; i <= 3; i++) {
        bob.client().send(say("m" + i));
        assertEquals("m" + i, first.next("message").json().getString("text"));
      }
      // the client lost the stream after message 1; it reopens with its token
      try (StreamClient again =
          StreamClient.open(base, room, "name=ada&token=" + token, epoch + ":1")) {
        JsonObject resumed = again.next("welcome").json();
        assertEquals(List.of(2L, 3L), Frames.ids(resumed.getJsonArray("history")));
        assertTrue(resumed.getBoolean("complete"));
        assertEquals(
            4001, first.next("close").json().getInt("code"), "the older stream is told why");
      }
    }
  }

  @Test
  void postsAreAnsweredWithTheirStatus() {
    String room = Rooms.fresh("posts");
    try (StreamClient stream = StreamClient.open(base, room, "name=ada", null)) {
      String token = stream.next("welcome").json().getString("token");
      assertStatus(401, "unknown-token", stream.post("not-a-token", say("x").toString()));
      assertStatus(400, "bad-json", stream.post(token, "{\"type\":"));
      assertEquals("bad-json", stream.next("error").json().getString("code"), "told there too");
      assertStatus(400, "bad-json", stream.postBytes(token, new byte[] {'"', (byte) 0xC3, '"'}));
      stream.next("error");
      assertStatus(413, "too-large", stream.post(token, "a".repeat(65_537)));
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        statuses.add(stream.post(token, say("fast " + i).toString()).statusCode());
      }
      assertTrue(statuses.contains(429), "over 5 a second: " + statuses);
      assertEquals("rate-limited", stream.next("error").json().getString("code"), "told too");
    }
  }

  @Test
  void anIdleStreamGetsAKeepAliveComment() {
    try (StreamClient stream = StreamClient.open(base, Rooms.fresh("idle"), "name=ada", null)) {
      stream.next("welcome");
      Event comment = stream.nextEvent();
      assertNull(comment.type(), "a comment, not an event: " + comment);
    }
  }

  @Test
  void aStreamWhoseClientWentAwayLeavesTheRoom() throws IOException {
    String room = Rooms.fresh("gone");
    try (Joined bob = TestClient.join(base, room, "bob")) {
      // a tab that is closed: the connection ends without a word once the welcome came
      try (Socket socket = StreamClient.rawStream(base, room, "name=ada", 0)) {
        BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        for (String line = lines.readLine(); !"event: welcome".equals(line); ) {
          assertTrue(line != null, "the stream ended before its welcome");
          line = lines.readLine();
        }
        bob.client().awaitJoined("ada");
      }
      assertEquals(1, bob.client().awaitLeft("ada").getInt("count"), "noticed by a keep-alive");
    }
  }

  @Test
  void aHeadRequestGetsTheStreamsHeadersAndJoinsNobody() throws Exception {
    String room = Rooms.fresh("head");
    URI stream = URI.create(Deployments.onLoopback(base) + "sse/chat/" + room + "?name=ghost");
    HttpResponse<Void> head =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(stream).method("HEAD", BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
    assertEquals(200, head.statusCode());
    assertTrue(
        head.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    try (Joined ada = TestClient.join(base, room, "ada")) {
      assertEquals(List.of("ada"), Frames.names(ada.welcome(), "members"), "no ghost member");
    }
  }

  @Test
  void aRefusedStreamIsToldWhyAndEnds() {
    String room = Rooms.fresh("refused");
    try (Joined ada = TestClient.join(base, room, "ada");
        StreamClient stream = StreamClient.open(base, room, "name=ADA", null)) {
      JsonObject close = stream.next("close").json();
      assertEquals(4409, close.getInt("code"));
      assertFalse(close.getString("reason").isEmpty());
    }
  }

  private static void assertStatus(int status, String code, HttpResponse<String> response) {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(response.body().contains("\"code\":\"" + code + "\""), response.body());
  }
}
