package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.chat.ChatHistory.Replay;
import dev.parley.chat.ServerMessage.ChatMessage;
import dev.parley.config.Setting;
import dev.parley.config.Settings;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryChatHistoryTest {

  private final Clock clock =
      Clock.fixed(Instant.parse("2026-11-26T10:15:30.123456Z"), ZoneOffset.UTC);
  private final Set<String> roomsInUse = new HashSet<>();
  private final InMemoryChatHistory history =
      new InMemoryChatHistory(
          Settings.of(Map.of(Setting.HISTORY_SIZE, 5L, Setting.MAX_ROOMS, 2L)),
          roomsInUse::contains,
          clock);

  @Test
  void numbersMessagesFromOneUpPerRoom() {
    assertEquals(1, history.append("a", "alice", "x", null).id());
    assertEquals(2, history.append("a", "alice", "y", null).id());
    assertEquals(1, history.append("b", "bob", "z", null).id());
  }

  @Test
  void stampsMessagesInUtcToTheMillisecond() {
    assertEquals("2026-11-26T10:15:30.123Z", history.append("a", "alice", "x", null).ts());
  }

  @Test
  void aFreshJoinGetsTheLatestMessagesAndIsComplete() {
    sayTimes("a", 4);
    Replay replay = history.replay("a", null, null, 2);
    assertEquals(List.of(3L, 4L), ids(replay.messages()));
    assertEquals(4, replay.last());
    assertTrue(replay.complete());
  }

  @Test
  void resumingGivesEverythingAfterSince() {
    sayTimes("a", 4);
    String epoch = history.replay("a", null, null, 0).epoch();
    Replay replay = history.replay("a", 1L, epoch, 2);
    assertEquals(List.of(2L, 3L, 4L), ids(replay.messages()));
    assertTrue(replay.complete());
  }

  @Test
  void resumingPastTheTrimmedStartIsIncomplete() {
    sayTimes("a", 8); // keeps 4..8
    String epoch = history.replay("a", null, null, 0).epoch();
    assertFalse(history.replay("a", 2L, epoch, 50).complete());
    assertTrue(history.replay("a", 3L, epoch, 50).complete());
  }

  @Test
  void anotherEpochIsIncompleteAndGetsTheLatest() {
    sayTimes("a", 3);
    Replay replay = history.replay("a", 1L, "other", 2);
    assertFalse(replay.complete());
    assertEquals(List.of(2L, 3L), ids(replay.messages()));
  }

  @Test
  void aSinceAheadOfTheRoomIsIncomplete() {
    sayTimes("a", 2);
    String epoch = history.replay("a", null, null, 0).epoch();
    assertFalse(history.replay("a", 9L, epoch, 50).complete());
  }

  @Test
  void pagesBackwardsOldestFirst() {
    sayTimes("a", 5);
    assertEquals(List.of(2L, 3L), ids(history.before("a", 4, 2)));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids(history.before("a", Long.MAX_VALUE, 100)));
    assertEquals(List.of(), history.before("a", 1, 10));
  }

  @Test
  void forgetsTheLeastRecentlyUsedRoomBeyondTheLimitUnderANewEpoch() {
    sayTimes("a", 1);
    String firstEpoch = history.replay("a", null, null, 0).epoch();
    sayTimes("b", 1);
    sayTimes("c", 1); // a is the least recently used of three, with a limit of two
    Replay again = history.replay("a", 1L, firstEpoch, 10);
    assertNotEquals(firstEpoch, again.epoch());
    assertFalse(again.complete());
    assertEquals(0, again.last());
  }

  @Test
  void neverForgetsTheHistoryOfARoomWithMembers() {
    roomsInUse.add("a");
    sayTimes("a", 3);
    String epoch = history.replay("a", null, null, 0).epoch();
    sayTimes("b", 1);
    sayTimes("c", 1);
    sayTimes("d", 1);
    Replay again = history.replay("a", 3L, epoch, 10);
    assertEquals(epoch, again.epoch());
    assertEquals(4, history.append("a", "alice", "next", null).id());
  }

  private void sayTimes(String room, int count) {
    for (int i = 0; i < count; i++) {
      history.append(room, "alice", "m" + i, null);
    }
  }

  private static List<Long> ids(List<ChatMessage> messages) {
    return messages.stream().map(ChatMessage::id).toList();
  }
}
