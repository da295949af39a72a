package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "lobby", "Room_42", "a-b-c"})
  void acceptsRoomsOfLettersDigitsUnderscoreAndDash(String room) {
    assertTrue(Names.isValidRoom(room));
    assertTrue(Names.isValidRoom("r".repeat(64)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a b", "été", "a/b", "a.b"})
  void refusesOtherRooms(String room) {
    assertFalse(Names.isValidRoom(room));
    assertFalse(Names.isValidRoom("r".repeat(65)));
    assertFalse(Names.isValidRoom(null));
  }

  @Test
  void trimsNicksAndKeepsUnicode() {
    assertEquals(Optional.of("Zoë 👩‍💻"), Names.nick("  Zoë 👩‍💻 "));
    assertEquals(Optional.of("n".repeat(32)), Names.nick("n".repeat(32)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "tab\there", "new\nline", "bell\u0007", "rtl\u202Eoverride"})
  void refusesEmptyNicksAndControlCharacters(String nick) {
    assertEquals(Optional.empty(), Names.nick(nick));
    assertEquals(Optional.empty(), Names.nick("n".repeat(33)));
    assertEquals(Optional.empty(), Names.nick(null));
  }
}
