package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.parley.chat.ClientMessage.HistoryRequest;
import dev.parley.chat.ClientMessage.Invalid;
import dev.parley.chat.ClientMessage.Oversized;
import dev.parley.chat.ClientMessage.Say;
import dev.parley.chat.ClientMessage.Typing;
import dev.parley.chat.ClientMessage.Whisper;
import dev.parley.message.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientMessageDecoderTest {

  private final ClientMessageDecoder decoder = new ClientMessageDecoder();

  @Test
  void decodesSayWithAndWithoutCid() {
    assertEquals(
        new Say("hi", "c1"), decoder.decode("{\"type\":\"say\",\"text\":\"hi\",\"cid\":\"c1\"}"));
    assertEquals(new Say("hi", null), decoder.decode("{\"type\":\"say\",\"text\":\"hi\"}"));
  }

  @Test
  void decodesWhisper() {
    assertEquals(
        new Whisper("bob", "psst", null),
        decoder.decode("{\"type\":\"whisper\",\"to\":\"bob\",\"text\":\"psst\"}"));
  }

  @Test
  void decodesTyping() {
    assertInstanceOf(Typing.class, decoder.decode("{\"type\":\"typing\"}"));
  }

  @Test
  void decodesHistoryWithDefaultsForAbsentFields() {
    assertEquals(
        new HistoryRequest(10, 5),
        decoder.decode("{\"type\":\"history\",\"before\":10,\"limit\":5}"));
    assertEquals(
        new HistoryRequest(Long.MAX_VALUE, ClientMessageDecoder.DEFAULT_HISTORY_LIMIT),
        decoder.decode("{\"type\":\"history\"}"));
  }

  @Test
  void ignoresFieldsItDoesNotKnow() {
    assertEquals(new Say("hi", null), decoder.decode("{\"type\":\"say\",\"text\":\"hi\",\"x\":1}"));
  }

  @ParameterizedTest(name = "{1} for {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "``                                         | BAD_JSON",
        "nope                                       | BAD_JSON",
        "{\"type\":                                 | BAD_JSON",
        "42                                         | BAD_JSON",
        "null                                       | BAD_JSON",
        "{}                                         | MISSING_FIELD",
        "{\"type\":null}                            | MISSING_FIELD",
        "{\"type\":7}                               | INVALID_FIELD",
        "{\"type\":\"SAY\",\"text\":\"hi\"}         | UNKNOWN_TYPE",
        "{\"type\":\"say\"}                         | MISSING_FIELD",
        "{\"type\":\"say\",\"text\":[]}             | INVALID_FIELD",
        "{\"type\":\"whisper\",\"text\":\"x\"}      | MISSING_FIELD",
        "{\"type\":\"whisper\",\"to\":1,\"text\":\"x\"} | INVALID_FIELD",
        "{\"type\":\"history\",\"limit\":0}         | INVALID_FIELD",
        "{\"type\":\"history\",\"limit\":101}       | INVALID_FIELD",
        "{\"type\":\"history\",\"before\":0}        | INVALID_FIELD",
        "{\"type\":\"history\",\"before\":1e400}    | INVALID_FIELD",
        "{\"type\":\"history\",\"before\":99999999999999999999999} | INVALID_FIELD",
        "{\"type\":\"say\",\"text\":\"x\",\"cid\":true} | INVALID_FIELD",
      })
  void reportsWhatIsWrongInsteadOfThrowing(String frame, ErrorCode expected) {
    Invalid invalid = assertInstanceOf(Invalid.class, decoder.decode(frame));
    assertEquals(expected, invalid.code());
  }

  @Test
  void aCidLongerThan64IsRejectedAndNotEchoed() {
    String cid = "c".repeat(65);
    Invalid invalid =
        assertInstanceOf(
            Invalid.class,
            decoder.decode("{\"type\":\"say\",\"text\":\"x\",\"cid\":\"" + cid + "\"}"));
    assertEquals(ErrorCode.INVALID_FIELD, invalid.code());
    assertNull(invalid.cid());
  }

  @Test
  void anErrorAnswersWithTheFramesCidWhenItIsUsable() {
    Invalid invalid =
        assertInstanceOf(Invalid.class, decoder.decode("{\"type\":\"say\",\"cid\":\"c7\"}"));
    assertEquals("c7", invalid.cid());
  }

  @Test
  void aFrameOverTheByteLimitIsOversizedEvenWhenItsCharactersFit() {
    long limit = dev.parley.config.Setting.MAX_TEXT_MESSAGE_BYTES.defaultValue();
    String text = "é".repeat((int) limit / 2 + 1); // 2 bytes each in UTF-8
    assertInstanceOf(
        Oversized.class, decoder.decode("{\"type\":\"say\",\"text\":\"" + text + "\"}"));
  }
}
