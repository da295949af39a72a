package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.chat.ClientMessage.Invalid;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever arrives, the decoder answers with a message or a documented error, and never throws. */
class ClientMessageDecoderFuzzTest {

  private static final List<String> VALID =
      List.of(
          "{\"type\":\"say\",\"text\":\"hello\",\"cid\":\"c1\"}",
          "{\"type\":\"whisper\",\"to\":\"bob\",\"text\":\"psst\"}",
          "{\"type\":\"typing\"}",
          "{\"type\":\"history\",\"before\":10,\"limit\":5}");

  private final ClientMessageDecoder decoder = new ClientMessageDecoder();

  @Property(tries = 2000)
  void anyTextDecodesToAMessageOrADocumentedError(@ForAll String frame) {
    assertDecodedSafely(frame);
  }

  @Property(tries = 3000)
  void mutatedValidFramesDecodeToAMessageOrADocumentedError(@ForAll("mutatedFrames") String frame) {
    assertDecodedSafely(frame);
  }

  @Property(tries = 1000)
  void randomJsonObjectsDecodeToAMessageOrADocumentedError(@ForAll("jsonObjects") String frame) {
    assertDecodedSafely(frame);
  }

  private void assertDecodedSafely(String frame) {
    ClientMessage message = decoder.decode(frame);
    assertNotNull(message);
    if (message instanceof Invalid invalid) {
      assertNotNull(invalid.code());
      assertTrue(!invalid.detail().isBlank());
      assertTrue(invalid.cid() == null || invalid.cid().length() <= 64);
    }
  }

  @Provide
  Arbitrary<String> mutatedFrames() {
    Arbitrary<String> valid = Arbitraries.of(VALID);
    Arbitrary<Integer> position = Arbitraries.integers().between(0, 60);
    Arbitrary<Character> junk =
        Arbitraries.chars()
            .with('"', '{', '}', '[', ']', ':', ',', '\\', '0', 'x', '\u0000', '\uD800');
    Arbitrary<Integer> operation = Arbitraries.integers().between(0, 2);
    return Combinators.combine(valid, position, junk, operation)
        .as(
            (frame, at, c, op) -> {
              int i = Math.min(at, frame.length());
              return switch (op) {
                case 0 -> frame.substring(0, i) + c + frame.substring(i); // insert
                case 1 -> frame.substring(0, i) + frame.substring(Math.min(frame.length(), i + 1));
                default -> frame.substring(0, i); // truncate
              };
            });
  }

  @Provide
  Arbitrary<String> jsonObjects() {
    Arbitrary<String> types =
        Arbitraries.of("say", "whisper", "typing", "history", "", "SAY", "say ", "x".repeat(300));
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(80).map(ClientMessageDecoderFuzzTest::quoted),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.doubles().map(String::valueOf),
            Arbitraries.of("null", "true", "false", "[]", "{}", "1e999", "-0", "[\"a\",1]"));
    Arbitrary<String> fields = Arbitraries.of("text", "to", "cid", "before", "limit", "type", "x");
    Arbitrary<String> members =
        Combinators.combine(fields, values).as((name, value) -> quoted(name) + ":" + value);
    return Combinators.combine(types, members.list().ofMaxSize(6))
        .as(
            (type, rest) ->
                "{\"type\":"
                    + quoted(type)
                    + (rest.isEmpty() ? "" : "," + String.join(",", rest))
                    + "}");
  }

  private static String quoted(String text) {
    StringBuilder json = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }
}
