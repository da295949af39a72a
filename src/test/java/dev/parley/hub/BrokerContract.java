package dev.parley.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.hub.BrokerEvent.Message;
import dev.parley.hub.BrokerEvent.Presence;
import dev.parley.message.ServerMessage.ChatMessage;
import dev.parley.session.CloseThreads;
import dev.parley.session.FakeSession;
import dev.parley.session.Outbox;
import dev.parley.session.OutboxEvents;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every broker promises the hub, run against each of them: nicks, numbering, idempotent {@code
 * say}, presence events and history. A subclass provides the broker.
 */
abstract class BrokerContract {

  static final int HISTORY_SIZE = 5;
  static final int MAX_MEMBERS = 4;
  static final int LIST_LIMIT = 3;

  private final RecordingListener published = new RecordingListener();
  private final String room = "room-" + UUID.randomUUID().toString().substring(0, 8);
  private Broker broker;

  /** A broker keeping {@link #HISTORY_SIZE} messages per room. */
  abstract Broker newBroker();

  @BeforeEach
  void start() {
    broker = newBroker();
    broker.listen(published);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void aJoinIsAdmittedAndPublishedWithTheRoomAfterIt() throws Exception {
    Claim.Admitted alice = admitted(join(member("Alice"), null));
    Claim.Admitted bob = admitted(join(member("bob"), null));
    assertEquals(List.of("Alice", "bob"), bob.members());
    assertTrue(bob.seq() > alice.seq());
    Presence joined = nextPresence("Alice");
    assertTrue(joined.joined());
    assertEquals(alice.seq(), joined.seq());
    assertEquals(2, nextPresence("bob").count());
    assertEquals(2, bob.count());
  }

  @Test
  void aWelcomeNamesTheFirstMembersAndTheRestArePagedInJoinOrder() {
    for (String name : List.of("a", "B", "c")) {
      admitted(join(member(name), null));
    }
    Claim.Admitted d = admitted(join(member("d"), null));
    assertEquals(List.of("a", "B", "c"), d.members());
    assertEquals(4, d.count());
    assertEquals(new Roster(List.of("c", "d"), 4), broker.members(room, "b", 10));
    assertEquals(new Roster(List.of("a", "B"), 4), broker.members(room, null, 2));
    assertEquals(new Roster(List.of(), 4), broker.members(room, "d", 10));
  }

  @Test
  void aNickIsTakenWhateverItsCaseUnlessTheTokenTakesItOver() throws Exception {
    Member first = member("alice");
    admitted(join(first, null));
    assertInstanceOf(Claim.Taken.class, join(member("ALICE"), null));
    assertInstanceOf(Claim.Taken.class, join(member("Alice"), "wrong-token"));
    Claim.Admitted takeover = admitted(join(member("Alice"), first.token()));
    nextPresence("alice");
    BrokerEvent.Replaced replaced = published.next(room, BrokerEvent.Replaced.class);
    assertEquals(first.token(), replaced.token());
    assertEquals(takeover.seq(), replaced.seq());
  }

  @Test
  void aFullRoomRefusesNewNicksButNotATakeover() {
    Member kept = member("m0");
    admitted(join(kept, null));
    for (int i = 1; i < MAX_MEMBERS; i++) {
      admitted(join(member("m" + i), null));
    }
    assertInstanceOf(Claim.Full.class, join(member("late"), null));
    admitted(join(member("m0"), kept.token()));
  }

  @Test
  void aMemberJoiningAgainWithItsOwnTokenIsKeptQuietly() {
    Member alice = member("alice");
    admitted(join(alice, null));
    assertInstanceOf(Claim.Kept.class, broker.join(room, JoinRequest.again(alice, MAX_MEMBERS)));
  }

  @Test
  void messagesAreNumberedFromOneAndPublishedInOrder() throws Exception {
    Member alice = member("alice");
    admitted(join(alice, null));
    nextPresence("alice");
    for (int i = 1; i <= 3; i++) {
      assertInstanceOf(Said.Accepted.class, broker.say(room, alice, "m" + i, null));
    }
    for (int i = 1; i <= 3; i++) {
      ChatMessage message = published.next(room, Message.class).message();
      assertEquals(i, message.id());
      assertEquals("m" + i, message.text());
      assertEquals("alice", message.from());
    }
  }

  @Test
  void aCidSaidAgainIsNotNumberedAgainAndReturnsTheOriginal() throws Exception {
    Member alice = member("alice");
    admitted(join(alice, null));
    nextPresence("alice");
    broker.say(room, alice, "hello", "c1");
    ChatMessage original = published.next(room, Message.class).message();
    Said again = broker.say(room, alice, "hello (sent again)", "c1");
    assertEquals(original, assertInstanceOf(Said.Duplicate.class, again).original());
    broker.say(room, alice, "next", "c2");
    ChatMessage next = published.next(room, Message.class).message(); // nothing in between
    assertEquals(original.id() + 1, next.id());
  }

  @Test
  void aCidIsRecognisedAfterATakeoverButNotFromAnotherMember() throws Exception {
    Member first = member("alice");
    admitted(join(first, null));
    broker.say(room, first, "hello", "c1");
    Member second = member("alice");
    admitted(join(second, first.token()));
    assertInstanceOf(Said.Duplicate.class, broker.say(room, second, "hello", "c1"));
    Member bob = member("bob");
    admitted(join(bob, null));
    assertInstanceOf(Said.Accepted.class, broker.say(room, bob, "hello", "c1"));
    assertInstanceOf(Said.Accepted.class, broker.say(room, bob, "no cid", null));
    assertInstanceOf(Said.Accepted.class, broker.say(room, bob, "no cid", null));
  }

  @Test
  void anOlderTokenOfTheSameMemberTakesOverWhenTheNewerWelcomeWasLost() {
    Member first = member("alice");
    admitted(join(first, null));
    broker.say(room, first, "hello", "c1");
    admitted(join(member("alice"), first.token())); // its welcome never reached the phone
    Member third = member("alice");
    admitted(join(third, first.token()));
    assertInstanceOf(Said.Duplicate.class, broker.say(room, third, "hello", "c1"));
    assertInstanceOf(Claim.Taken.class, join(member("alice"), Ids.random(18)));
  }

  @Test
  void aReplacedOrUnknownConnectionIsNotNumbered() {
    Member first = member("alice");
    admitted(join(first, null));
    admitted(join(member("alice"), first.token()));
    assertInstanceOf(Said.Replaced.class, broker.say(room, first, "stale", null));
    assertInstanceOf(Said.Unknown.class, broker.say(room, member("nobody"), "who", null));
    assertEquals(List.of(), broker.after(room, 0));
  }

  @Test
  void aLeaveIsPublishedOnceAndOnlyByTheHolder() throws Exception {
    Member alice = member("alice");
    Member bob = member("bob");
    admitted(join(alice, null));
    admitted(join(bob, null));
    nextPresence("alice");
    nextPresence("bob");
    broker.leave(room, new Member("alice", "not-her-token", alice.outbox()));
    broker.leave(room, alice);
    broker.leave(room, alice);
    Presence left = nextPresence("alice");
    assertTrue(!left.joined());
    assertEquals(1, left.count());
    broker.leave(room, bob);
    assertEquals("bob", nextPresence("bob").name()); // alice's second leave published nothing
    admitted(join(member("Alice"), null)); // the nick is free again
  }

  @Test
  void theHistoryKeepsTheNewestMessagesAndResumesWithinItsEpoch() throws Exception {
    Member alice = member("alice");
    admitted(join(alice, null));
    for (int i = 1; i <= 8; i++) {
      broker.say(room, alice, "m" + i, null);
    }
    assertEquals(List.of(4L, 5L, 6L, 7L, 8L), ids(broker.after(room, 0)));
    assertEquals(List.of(5L, 6L), ids(broker.before(room, 7, 2)));
    assertEquals(List.of(7L, 8L), ids(broker.before(room, Long.MAX_VALUE, 2)));
    assertEquals(List.of(), ids(broker.before(room, 4, 10)), "nothing kept below the oldest");
    assertEquals(List.of(8L), ids(broker.after(room, 7)));
    assertEquals(List.of(), ids(broker.after(room, 8)));
    String epoch = broker.epoch(room);
    Replay resumed = admitted(join(member("bob"), null, 5L, epoch)).replay();
    assertEquals(List.of(6L, 7L, 8L), ids(resumed.messages()));
    assertTrue(resumed.complete());
    Replay tooOld = admitted(join(member("carol"), null, 1L, epoch)).replay();
    assertTrue(!tooOld.complete());
    Replay otherEpoch = admitted(join(member("dave"), null, 5L, "another")).replay();
    assertTrue(!otherEpoch.complete());
    assertEquals(8, otherEpoch.last());
    assertEquals(epoch, otherEpoch.epoch());
  }

  @Test
  void aRoomNobodyUsedHasNoMessages() {
    assertEquals(List.of(), broker.after(room, 0));
    assertEquals(List.of(), broker.before(room, Long.MAX_VALUE, 10));
  }

  private Claim join(Member member, String presentedToken) {
    return join(member, presentedToken, null, null);
  }

  private Claim join(Member member, String presentedToken, Long since, String epoch) {
    return broker.join(
        room, new JoinRequest(member, presentedToken, MAX_MEMBERS, since, epoch, 2, LIST_LIMIT));
  }

  private Presence nextPresence(String name) throws InterruptedException {
    Presence presence = published.next(room, Presence.class);
    assertEquals(name, presence.name());
    return presence;
  }

  private static Claim.Admitted admitted(Claim claim) {
    return assertInstanceOf(Claim.Admitted.class, claim);
  }

  /** A member on a session without a container, for brokers that only hand it events. */
  static Member member(String name) {
    return new Member(
        name,
        Ids.random(18),
        new Outbox(
            new FakeSession().peer(),
            100,
            1_000_000,
            OutboxEvents.NONE,
            CloseThreads.named("test-closes")));
  }

  private static List<Long> ids(List<ChatMessage> messages) {
    return messages.stream().map(ChatMessage::id).toList();
  }
}
