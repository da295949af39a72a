package dev.parley.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameSizeTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "ascii", "é", "€uro", "👋🏽"})
  void countsUtf8BytesAsTheWireDoes(String text) {
    assertEquals(text.getBytes(StandardCharsets.UTF_8).length, FrameSize.utf8Length(text));
  }

  @Test
  void aTextAtTheLimitFitsAndOneByteMoreDoesNot() {
    assertFalse(FrameSize.exceeds("é".repeat(5), 10));
    assertTrue(FrameSize.exceeds("é".repeat(5) + "x", 10));
  }
}
