package dev.parley.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.Setting;
import dev.parley.config.Settings;
import dev.parley.session.CloseThreads;
import dev.parley.session.FakeSession;
import dev.parley.session.Outbox;
import dev.parley.session.OutboxEvents;
import dev.parley.session.WebSocketPeer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hub over the memory broker, with fake sessions: who gets which frame, in which order. Every
 * session completes its sends at once, so what it was sent is what its client would read.
 */
class HubTest {

  private final Settings settings =
      Settings.of(
          Map.of(
              Setting.PRESENCE_LIST_LIMIT,
              3L,
              Setting.MAX_MEMBERS_PER_ROOM,
              6L,
              Setting.WELCOME_HISTORY,
              2L,
              Setting.HISTORY_SIZE,
              10L));
  private final PausingBroker broker =
      new PausingBroker(new MemoryBroker(settings, Clock.systemUTC()));
  private final Queue<Runnable> later = new ConcurrentLinkedQueue<>();
  private final Queue<Runnable> presence = new ConcurrentLinkedQueue<>();
  private final Hub hub =
      new Hub(broker, settings, later::add, (task, delay) -> presence.add(task));
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void aWelcomeNamesTheMembersInJoinOrderAndCountsThem() {
    joined("lobby", "Alice");
    Member bob = joined("lobby", "bob");
    JsonObject welcome = frames(bob).get(0);
    assertEquals("welcome", welcome.getString("type"));
    assertEquals(List.of("Alice", "bob"), names(welcome));
    assertEquals(2, welcome.getInt("count"));
    assertEquals(bob.token(), welcome.getString("token"));
  }

  @Test
  void theJoinsOfOneIntervalReachEachMemberAsOnePresenceFrame() {
    Member alice = joined("lobby", "alice");
    Member bob = joined("lobby", "bob");
    Member carol = joined("lobby", "carol");
    flushPresence();
    assertEquals(List.of("welcome", "presence"), types(alice));
    assertEquals(List.of("bob", "carol"), list(last(alice), "joined"));
    assertEquals(3, last(alice).getInt("count"));
    assertEquals(List.of("carol"), list(last(bob), "joined"), "bob's welcome named himself");
    assertEquals(List.of("welcome"), types(carol), "carol's welcome covered everything");
  }

  @Test
  void aJoinAndALeaveOfOneNickInOneIntervalCancelOut() {
    Member alice = joined("lobby", "alice");
    Member bob = joined("lobby", "bob");
    hub.leave("lobby", bob);
    Member carol = joined("lobby", "carol");
    hub.leave("lobby", carol);
    Member back = joined("lobby", "carol");
    flushPresence();
    assertEquals(List.of("carol"), list(last(alice), "joined"), "bob came and went unseen");
    assertEquals(List.of(), list(last(alice), "left"));
    assertEquals(2, last(alice).getInt("count"));
    assertEquals(List.of("welcome"), types(back));
    hub.leave("lobby", back);
    Member again = joined("lobby", "carol");
    flushPresence();
    assertEquals(2, types(alice).size(), "a leave and a resume of carol: nothing to tell");
    assertEquals(List.of("welcome"), types(again));
  }

  @Test
  void aNickIsTakenInAnyCaseButFreeInAnotherRoom() {
    joined("lobby", "alice");
    assertInstanceOf(Admission.NickTaken.class, join("lobby", member("ALICE"), null));
    joined("other", "alice");
  }

  @Test
  void theTokenTakesTheNickOverClosesTheOldConnectionWith4001AndTellsNobody() throws Exception {
    Member stale = joined("lobby", "alice");
    Member bob = joined("lobby", "bob");
    Member fresh = member("alice");
    assertInstanceOf(Admission.Admitted.class, join("lobby", fresh, stale.token()));
    runDeferred();
    assertEquals(4001, session(stale).awaitClose().getCloseCode().getCode());
    assertEquals(List.of("welcome"), types(bob));
    assertInstanceOf(Admission.NickTaken.class, join("lobby", member("alice"), "guess"));
    hub.say("lobby", stale, "from the old connection", null);
    hub.say("lobby", fresh, "from the new one", null);
    assertEquals("from the new one", frames(bob).get(1).getString("text"));
    assertEquals(2, frames(bob).size());
  }

  @Test
  void aFullRoomRefusesTheNextNick() {
    for (String name : List.of("a", "b", "c", "d", "e", "f")) {
      joined("lobby", name);
    }
    assertInstanceOf(Admission.RoomFull.class, join("lobby", member("g"), null));
  }

  @Test
  void everyMemberGetsEveryMessageOnceInIdOrderTheSenderIncluded() {
    Member alice = joined("lobby", "alice");
    Member bob = joined("lobby", "bob");
    for (int i = 1; i <= 5; i++) {
      hub.say("lobby", i % 2 == 0 ? alice : bob, "m" + i, null);
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), messageIds(alice));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), messageIds(bob));
  }

  @Test
  void aCidSentAgainReachesOnlyTheSenderWithItsFirstId() {
    Member alice = joined("lobby", "alice");
    Member bob = joined("lobby", "bob");
    hub.say("lobby", alice, "hello", "c1");
    hub.say("lobby", alice, "hello", "c1");
    assertEquals(List.of(1L, 1L), messageIds(alice));
    assertEquals(List.of(1L), messageIds(bob));
  }

  @Test
  void aWhisperReachesItsTargetAndTheSenderOnly() {
    Member alice = joined("lobby", "alice");
    Member bob = joined("lobby", "bob");
    Member carol = joined("lobby", "carol");
    assertTrue(hub.whisper("lobby", alice, "BOB", "psst", "w1"));
    assertFalse(hub.whisper("lobby", alice, "nobody", "psst", null));
    assertEquals("whisper", last(alice).getString("type"));
    assertEquals("bob", last(bob).getString("to"));
    assertFalse(types(carol).contains("whisper"));
  }

  @Test
  void typingReachesTheOthersOnly() {
    Member alice = joined("lobby", "alice");
    Member bob = joined("lobby", "bob");
    hub.typing("lobby", alice);
    assertEquals("typing", last(bob).getString("type"));
    assertFalse(types(alice).contains("typing"));
  }

  @Test
  void aLeaveIsToldToTheOthersAndAnEmptyRoomGoes() {
    Member alice = joined("lobby", "alice");
    Member bob = joined("lobby", "bob");
    flushPresence();
    assertTrue(hub.leave("lobby", alice));
    assertFalse(hub.leave("lobby", alice));
    flushPresence();
    assertEquals(List.of("alice"), list(last(bob), "left"));
    assertEquals(1, last(bob).getInt("count"));
    hub.leave("lobby", bob);
    assertEquals(0, hub.roomCount());
    joined("lobby", "alice");
    assertEquals(1, hub.memberCount());
  }

  @Test
  void theMembersBeyondTheWelcomesListArePaged() {
    for (String name : List.of("a", "b", "c", "d", "e")) {
      joined("lobby", name);
    }
    Member f = joined("lobby", "f");
    assertEquals(List.of("a", "b", "c"), names(frames(f).get(0)), "the list limit: 3");
    assertEquals(6, frames(f).get(0).getInt("count"));
    assertEquals(new Roster(List.of("d", "e"), 6), hub.members("lobby", "C", 2));
  }

  @Test
  void aJoinWaitingOnTheBrokerHoldsNobodyUpAndMissesNothing() throws Exception {
    Member alice = joined("lobby", "alice");
    Member bob = member("bob");
    CountDownLatch claimed = broker.pauseNextJoinAfterClaim();
    Future<Admission> joining = threads.submit(() -> join("lobby", bob, null));
    assertTrue(claimed.await(10, TimeUnit.SECONDS));
    // bob's nick is claimed and its reply is on the way: the room goes on meanwhile
    hub.say("lobby", alice, "while bob joins", null);
    hub.typing("lobby", alice);
    broker.resume();
    assertInstanceOf(Admission.Admitted.class, joining.get(10, TimeUnit.SECONDS));
    assertEquals(List.of("welcome", "message"), types(bob));
    assertEquals(List.of(), frames(bob).get(0).getJsonArray("history"));
    assertEquals(List.of(1L), messageIds(bob));
    hub.say("lobby", alice, "after", null);
    assertEquals(List.of(1L, 2L), messageIds(bob));
    assertEquals(List.of(1L, 2L), messageIds(alice));
  }

  @Test
  void aJoinThatMissedTooMuchResumesWithoutHoldingUpTheJoinsAfterIt() throws Exception {
    Member alice = joined("lobby", "alice");
    Member slow = member("slow");
    CountDownLatch claimed = broker.pauseNextJoinAfterClaim();
    Future<Admission> joining = threads.submit(() -> join("lobby", slow, null));
    assertTrue(claimed.await(10, TimeUnit.SECONDS));
    for (int i = 0; i <= HubRoom.MAX_BUFFERED_EVENTS; i++) {
      hub.say("lobby", alice, "m" + i, null);
    }
    Member late = joined("lobby", "late"); // its join began after what was dropped
    hub.say("lobby", alice, "for late", null);
    assertEquals("for late", last(late).getString("text"));
    broker.resume();
    joining.get(10, TimeUnit.SECONDS);
    runDeferred();
    assertEquals(1012, session(slow).awaitClose().getCloseCode().getCode());
    assertEquals(List.of(), session(late).closes());
  }

  @Test
  void aJoinWhoseBrokerFailsGivesTheNickBackWithoutWaitingForTheBrokerAgain() {
    broker.failNextJoinAfterClaim();
    assertThrows(BrokerUnavailableException.class, () -> join("lobby", member("alice"), null));
    assertEquals(0, hub.roomCount());
    // the claim went through, its reply did not: the nick is given back, but not on this thread
    assertInstanceOf(Admission.NickTaken.class, join("lobby", member("alice"), null));
    runDeferred();
    joined("lobby", "alice");
  }

  @Test
  void concurrentJoinsAndLeavesLoseNoMember() throws Exception {
    List<Future<Member>> work = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String room = "room" + (i % 4);
      String name = "n" + i;
      work.add(
          threads.submit(
              () -> {
                Member member = joined(room, name + "-gone");
                hub.leave(room, member);
                return member;
              }));
    }
    for (Future<Member> done : work) {
      done.get(10, TimeUnit.SECONDS);
    }
    assertEquals(0, hub.memberCount());
    assertEquals(0, hub.roomCount());
  }

  /** Ends the presence interval: the hub sends the coalesced frames now. */
  private void flushPresence() {
    for (Runnable task; (task = presence.poll()) != null; ) {
      task.run();
    }
  }

  private static List<String> list(JsonObject frame, String field) {
    return frame.getJsonArray(field).getValuesAs(jakarta.json.JsonString.class).stream()
        .map(jakarta.json.JsonString::getString)
        .toList();
  }

  /** Runs what the hub handed to its other threads (closes, leaves given back). */
  private void runDeferred() {
    for (Runnable task; (task = later.poll()) != null; ) {
      task.run();
    }
  }

  private Admission join(String room, Member member, String token) {
    return hub.join(room, member, token, null, null);
  }

  private Member joined(String room, String name) {
    Member member = member(name);
    assertInstanceOf(Admission.Admitted.class, join(room, member, null));
    return member;
  }

  private static Member member(String name) {
    FakeSession session = new FakeSession(name);
    session.completeInline();
    return new Member(
        name,
        Ids.random(18),
        new Outbox(
            session.peer(), 100, 1_000_000, OutboxEvents.NONE, CloseThreads.named("test-closes")));
  }

  private static FakeSession session(Member member) {
    return (FakeSession) ((WebSocketPeer) member.outbox().peer()).session();
  }

  private static List<JsonObject> frames(Member member) {
    return session(member).sent().stream()
        .map(text -> Json.createReader(new StringReader(text)).readObject())
        .toList();
  }

  private static List<String> types(Member member) {
    return frames(member).stream().map(frame -> frame.getString("type")).toList();
  }

  private static JsonObject last(Member member) {
    List<JsonObject> frames = frames(member);
    return frames.get(frames.size() - 1);
  }

  private static List<Long> messageIds(Member member) {
    return frames(member).stream()
        .filter(frame -> frame.getString("type").equals("message"))
        .map(frame -> frame.getJsonNumber("id").longValue())
        .toList();
  }

  private static List<String> names(JsonObject frame) {
    return frame.getJsonArray("members").getValuesAs(jakarta.json.JsonString.class).stream()
        .map(jakarta.json.JsonString::getString)
        .toList();
  }
}
