package dev.parley.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.session.Room.Admission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SessionRegistryTest {

  private final SessionRegistry registry = new SessionRegistry();

  @Test
  void admitsDistinctNicksInJoinOrder() {
    join("lobby", member("alice", "t1"), null);
    join("lobby", member("bob", "t2"), null);
    assertEquals(List.of("alice", "bob"), names("lobby"));
    assertEquals(1, registry.roomCount());
    assertEquals(2, registry.memberCount());
  }

  @Test
  void refusesANickHeldInAnotherCase() {
    join("lobby", member("Alice", "t1"), null);
    assertInstanceOf(Admission.NickTaken.class, join("lobby", member("ALICE", "t2"), null));
  }

  @Test
  void theSameNickMayBeUsedInAnotherRoom() {
    join("a", member("alice", "t1"), null);
    assertInstanceOf(Admission.Admitted.class, join("b", member("alice", "t2"), null));
  }

  @Test
  void theHoldersTokenTakesTheNickOverAndNamesTheReplacedMember() {
    Member stale = member("alice", "secret");
    join("lobby", stale, null);
    Member fresh = member("alice", "new-secret");
    Admission.Admitted admitted =
        assertInstanceOf(Admission.Admitted.class, join("lobby", fresh, "secret"));
    assertEquals(Optional.of(stale), admitted.replaced());
    assertFalse(registry.leave("lobby", stale, room -> {}), "the stale member no longer holds it");
    assertEquals(List.of("alice"), names("lobby"));
  }

  @Test
  void aWrongTokenDoesNotTakeTheNickOver() {
    join("lobby", member("alice", "secret"), null);
    assertInstanceOf(Admission.NickTaken.class, join("lobby", member("alice", "x"), "guess"));
  }

  @Test
  void refusesMembersBeyondTheRoomLimit() {
    join("lobby", member("a", "1"), null);
    join("lobby", member("b", "2"), null);
    assertInstanceOf(
        Admission.RoomFull.class, registry.join("lobby", member("c", "3"), null, 2, (r, a) -> a));
  }

  @Test
  void anEmptiedRoomIsDroppedAndCanBeJoinedAgain() {
    Member alice = member("alice", "1");
    join("lobby", alice, null);
    assertTrue(registry.leave("lobby", alice, room -> {}));
    assertEquals(0, registry.roomCount());
    assertInstanceOf(Admission.Admitted.class, join("lobby", member("bob", "2"), null));
    assertEquals(List.of("bob"), names("lobby"));
  }

  @Test
  void aRefusedFirstJoinLeavesNoRoomBehind() {
    registry.join("lobby", member("a", "1"), null, 0, (r, a) -> a);
    assertEquals(0, registry.roomCount());
  }

  @Test
  void concurrentJoinsAndLeavesLoseNoMember() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      work.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 500; i++) {
                  Member transient_ = member("t" + thread + "-" + i, "x");
                  join("busy", transient_, null);
                  registry.leave("busy", transient_, room -> {});
                }
                join("busy", member("stays" + thread, "x"), null);
              }));
    }
    for (Future<?> done : work) {
      done.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals(8, names("busy").size());
  }

  private Admission join(String room, Member member, String token) {
    return registry.join(room, member, token, 100, (members, admission) -> admission);
  }

  private List<String> names(String room) {
    return registry.inRoom(room, Room::names).orElse(List.of());
  }

  private static Member member(String name, String token) {
    return new Member(name, token, null);
  }
}
