package dev.parley.it;

import static dev.parley.it.Frames.members;
import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.parley.it.TestClient.Joined;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each close code of protocol v1, caused the way a real client would cause it. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ChatCloseCodesIT {

  private static final int MAX_MEMBERS = 3;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(Map.of("parley.maxMembersPerRoom", String.valueOf(MAX_MEMBERS)));
  }

  @ArquillianResource URL base;

  @ParameterizedTest
  @ValueSource(strings = {"a%20b", "dots.are.out", "%C3%A9t%C3%A9"})
  void aBadRoomNameClosesWith4400(String room) {
    try (TestClient client = TestClient.connect(base, "chat/" + room + "?name=alice")) {
      assertEquals(4400, client.awaitCloseCode());
    }
  }

  @Test
  void aRoomNameOver64CharactersClosesWith4400() {
    try (TestClient client = TestClient.connect(base, "chat/" + "r".repeat(65) + "?name=al")) {
      assertEquals(4400, client.awaitCloseCode());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "%20%20", "tab%09in", "n%E2%80%AEick"})
  void aBadNickClosesWith4400(String nick) {
    try (TestClient client =
        TestClient.connect(base, "chat/" + Rooms.fresh("close") + "?name=" + nick)) {
      assertEquals(4400, client.awaitCloseCode());
    }
  }

  @Test
  void aNickOver32CharactersClosesWith4400() {
    String nick = "n".repeat(33);
    try (TestClient client =
        TestClient.connect(base, "chat/" + Rooms.fresh("close") + "?name=" + nick)) {
      assertEquals(4400, client.awaitCloseCode());
    }
  }

  @Test
  void aMissingNickClosesWith4400() {
    try (TestClient client = TestClient.connect(base, "chat/" + Rooms.fresh("close"))) {
      assertEquals(4400, client.awaitCloseCode());
    }
  }

  @Test
  void aMalformedSinceClosesWith4400() {
    try (TestClient client =
        TestClient.connect(base, "chat/" + Rooms.fresh("close") + "?name=alice&since=-1")) {
      assertEquals(4400, client.awaitCloseCode());
    }
  }

  @Test
  void aNickTakenInAnyCaseClosesWith4409() {
    String room = Rooms.fresh("close");
    try (Joined alice = TestClient.join(base, room, "Alice");
        TestClient impostor = TestClient.connect(base, "chat/" + room + "?name=ALICE")) {
      assertEquals(4409, impostor.awaitCloseCode());
      alice.client().send(say("unaffected"));
      assertEquals("unaffected", alice.client().next("message").getString("text"));
    }
  }

  @Test
  void aWrongTokenDoesNotTakeTheNickOver() {
    String room = Rooms.fresh("close");
    try (Joined alice = TestClient.join(base, room, "alice");
        TestClient impostor =
            TestClient.connect(base, "chat/" + room + "?name=alice&token=guessed")) {
      assertEquals(4409, impostor.awaitCloseCode());
    }
  }

  @Test
  void reconnectingWithTheTokenReplacesTheOldConnectionWith4001() {
    String room = Rooms.fresh("close");
    try (Joined bob = TestClient.join(base, room, "bob");
        Joined stale = TestClient.join(base, room, "alice")) {
      bob.client().awaitJoined("alice");
      String token = stale.welcome().getString("token");
      try (Joined fresh = TestClient.join(base, room, "alice", "&token=" + token)) {
        assertEquals(4001, stale.client().awaitCloseCode());
        assertEquals(List.of("bob", "alice"), members(fresh.welcome()));
        assertNotEquals(token, fresh.welcome().getString("token"), "a new token each time");
        fresh.client().send(say("back again"));
        // bob sees no left/joined for the takeover: the next frame is the message
        assertEquals("back again", bob.client().next().getString("text"));
      }
    }
  }

  @Test
  void aBinaryFrameOnChatClosesWith1003() {
    try (Joined alice = TestClient.join(base, Rooms.fresh("close"), "alice")) {
      alice.client().sendBinary(new byte[] {1, 2, 3});
      assertEquals(1003, alice.client().awaitCloseCode());
    }
  }

  @Test
  void aFrameOverTheSizeLimitClosesWith1009() {
    try (Joined alice = TestClient.join(base, Rooms.fresh("close"), "alice")) {
      alice.client().sendRefused(say("x".repeat(70_000)).toString());
      assertEquals(1009, alice.client().awaitCloseCode());
    }
  }

  @Test
  void aFullRoomClosesTheNextMemberWith1013() {
    String room = Rooms.fresh("close");
    try (Joined a = TestClient.join(base, room, "a");
        Joined b = TestClient.join(base, room, "b");
        Joined c = TestClient.join(base, room, "c");
        TestClient d = TestClient.connect(base, "chat/" + room + "?name=d")) {
      assertEquals(1013, d.awaitCloseCode());
    }
  }
}
