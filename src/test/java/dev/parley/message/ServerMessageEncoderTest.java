package dev.parley.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.message.ServerMessage.ChatMessage;
import dev.parley.message.ServerMessage.ErrorFrame;
import dev.parley.message.ServerMessage.HistoryPage;
import dev.parley.message.ServerMessage.MembersPage;
import dev.parley.message.ServerMessage.PresenceChange;
import dev.parley.message.ServerMessage.TypingNotice;
import dev.parley.message.ServerMessage.Welcome;
import dev.parley.message.ServerMessage.WhisperMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerMessageEncoderTest {

  private final ServerMessageEncoder encoder = new ServerMessageEncoder();
  private final ChatMessage message =
      new ChatMessage(7, "lobby", "alice", "hi \"there\"", "2026-11-26T10:00:00Z", "c1");

  @Test
  void encodesAMessageWithItsCid() {
    assertEquals(
        "{\"type\":\"message\",\"id\":7,\"room\":\"lobby\",\"from\":\"alice\","
            + "\"text\":\"hi \\\"there\\\"\",\"ts\":\"2026-11-26T10:00:00Z\",\"cid\":\"c1\"}",
        encoder.encode(message));
  }

  @Test
  void leavesOutAnAbsentCid() {
    ChatMessage withoutCid = new ChatMessage(1, "r", "a", "t", "2026-11-26T10:00:00Z", null);
    assertEquals(
        "{\"type\":\"message\",\"id\":1,\"room\":\"r\",\"from\":\"a\",\"text\":\"t\","
            + "\"ts\":\"2026-11-26T10:00:00Z\"}",
        encoder.encode(withoutCid));
  }

  @Test
  void encodesAWelcome() {
    Welcome welcome =
        new Welcome(
            "lobby", "bob", "tok", "ep", List.of("alice", "bob"), 2, List.of(message), 7, false);
    assertEquals(
        "{\"type\":\"welcome\",\"room\":\"lobby\",\"name\":\"bob\",\"token\":\"tok\",\"epoch\":\"ep\","
            + "\"members\":[\"alice\",\"bob\"],\"count\":2,\"history\":["
            + encoder.encode(message)
            + "],\"last\":7,\"complete\":false}",
        encoder.encode(welcome));
  }

  @Test
  void encodesAWhisper() {
    assertEquals(
        "{\"type\":\"whisper\",\"from\":\"a\",\"to\":\"b\",\"text\":\"x\",\"ts\":\"t\"}",
        encoder.encode(new WhisperMessage("a", "b", "x", "t", null)));
  }

  @Test
  void encodesPresence() {
    assertEquals(
        "{\"type\":\"presence\",\"joined\":[\"b\",\"c\"],\"left\":[\"a\"],\"count\":5}",
        encoder.encode(new PresenceChange(List.of("b", "c"), List.of("a"), 5)));
    assertEquals(
        "{\"type\":\"members\",\"names\":[\"a\"],\"count\":5}",
        encoder.encode(new MembersPage(List.of("a"), 5)));
    assertEquals("{\"type\":\"typing\",\"name\":\"a\"}", encoder.encode(new TypingNotice("a")));
  }

  @Test
  void encodesAHistoryPage() {
    assertEquals(
        "{\"type\":\"history\",\"messages\":[" + encoder.encode(message) + "]}",
        encoder.encode(new HistoryPage(List.of(message))));
  }

  @Test
  void encodesEveryErrorCodeInKebabCase() {
    for (ErrorCode code : ErrorCode.values()) {
      String expectedCode = code.name().toLowerCase().replace('_', '-');
      assertEquals(
          "{\"type\":\"error\",\"code\":\"" + expectedCode + "\",\"message\":\"m\",\"cid\":\"c\"}",
          encoder.encode(new ErrorFrame(code, "m", "c")));
    }
  }

  @Test
  void escapesControlCharactersAndKeepsUnicode() {
    assertEquals(
        "{\"type\":\"typing\",\"name\":\"é\\n👋\"}", encoder.encode(new TypingNotice("é\n👋")));
  }
}
