package dev.parley.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCode;
import jakarta.websocket.CloseReason.CloseCodes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutboxTest {

  private static final int ROOMY = 1_000_000;
  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final FakeSession session = new FakeSession("s1");
  private final RecordingEvents events = new RecordingEvents();

  /** What {@code onDrop} was given, and whether the session was still open when it ran. */
  private final CompletableFuture<Drop> dropped = new CompletableFuture<>();

  @Test
  void sendsOneFrameAtATimeInTheOrderOffered() {
    Outbox outbox = outbox(ROOMY, ROOMY);
    assertTrue(outbox.offer("a"));
    assertTrue(outbox.offer("bb"));
    assertTrue(outbox.offer("ccc"));
    assertEquals(List.of("a"), session.sent(), "the next waits for the send in flight");
    assertEquals(3, outbox.pending(), "the frame in flight counts as pending");

    session.completeNext();
    assertEquals(List.of("a", "bb"), session.sent());
    session.completeNext();
    assertEquals(List.of("a", "bb", "ccc"), session.sent());
    assertEquals(1, session.inFlight());
    session.completeNext();

    assertEquals(0, outbox.pending());
    assertEquals(0, session.inFlight());
    assertEquals(List.of(1, 2, 3), events.sentChars());
  }

  @Test
  void aSendCompletedInsideSendTextLeavesTheOutboxReadyForTheNextOffer() {
    Outbox outbox = outbox(ROOMY, ROOMY);
    session.completeInline();
    assertTrue(outbox.offer("a"));
    assertTrue(outbox.offer("b"));
    assertEquals(List.of("send:a", "done:a", "send:b", "done:b"), session.log());
    assertEquals(0, outbox.pending());
  }

  @Test
  void completionsOnTheCallingThreadContinueTheLoopWithoutRecursing() {
    int frames = 10_000;
    Outbox outbox = outbox(frames, ROOMY);
    List<String> offered = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      offered.add("m" + i);
      assertTrue(outbox.offer("m" + i));
    }
    assertEquals(1, session.inFlight());

    // Every later send completes inside sendText, so the first completion drains all the rest.
    session.completeInline();
    int testDepth = StackWalker.getInstance().walk(stack -> (int) stack.count());
    session.completeNext();

    assertEquals(offered, session.sent());
    assertEquals(0, outbox.pending());
    assertEquals(frames, events.sentChars().size());
    int depthAboveTest = session.deepestSendStack() - testDepth;
    assertTrue(
        depthAboveTest < 20,
        "sends were made " + depthAboveTest + " frames above the test: the loop recursed");
  }

  @Test
  void aFrameBeyondTheMessageBoundIsRefusedAndClosesWith1013() throws Exception {
    Outbox outbox = outbox(3, ROOMY);
    assertTrue(outbox.offer("in flight"));
    assertTrue(outbox.offer("b"));
    assertTrue(outbox.offer("c"));

    assertFalse(outbox.offer("d"), "a fourth frame, counting the one in flight");

    assertClosedWith(CloseCodes.TRY_AGAIN_LATER, Outbox.SLOW_CONSUMER);
    assertEquals(3, outbox.pending(), "the refused frame is not counted");
    assertEquals(1, events.slowConsumers.get());
    assertFalse(outbox.offer("e"));
    assertEquals(1, events.slowConsumers.get(), "reported once");
    assertEquals(List.of("in flight"), session.sent());
  }

  @Test
  void aFrameBeyondTheCharBoundIsRefusedAndClosesWith1013() throws Exception {
    Outbox outbox = outbox(ROOMY, 10);
    assertTrue(outbox.offer("12345"));
    assertTrue(outbox.offer("67890"), "exactly at the bound is still taken");

    assertFalse(outbox.offer("x"));

    assertClosedWith(CloseCodes.TRY_AGAIN_LATER, Outbox.SLOW_CONSUMER);
    assertEquals(1, events.slowConsumers.get());
    assertEquals(2, outbox.pending());
  }

  @Test
  void aFrameOfferedToAnEmptyOutboxIsTakenEvenWhenBiggerThanTheCharBound() {
    Outbox outbox = outbox(ROOMY, 10);
    String longResume = "r".repeat(100);

    assertTrue(outbox.offer(longResume));
    assertEquals(List.of(longResume), session.sent());
    session.completeNext();

    assertTrue(outbox.offer("next"), "the outbox was not closed");
    assertEquals(0, events.slowConsumers.get());
  }

  @Test
  void aCompletedSendMakesRoomUnderBothBounds() {
    Outbox outbox = outbox(2, 10);
    assertTrue(outbox.offer("12345"));
    assertTrue(outbox.offer("67890"));
    session.completeNext();

    assertTrue(outbox.offer("abcde"), "2 frames and 10 chars again, counting the one in flight");
    assertEquals(0, events.slowConsumers.get());
  }

  @Test
  void aFailedSendClosesWith1011AndDropsTheRest() throws Exception {
    Outbox outbox = outbox(ROOMY, ROOMY);
    outbox.offer("a");
    outbox.offer("b");
    outbox.offer("c");

    session.failNext(new IOException("connection reset"));

    assertEquals(List.of("a"), session.sent(), "nothing more is sent after a failure");
    assertEquals(0, outbox.pending(), "the rest is dropped");
    assertFalse(outbox.offer("d"));
    assertClosedWith(CloseCodes.UNEXPECTED_CONDITION, Outbox.SEND_FAILED);
    assertEquals(List.of(), events.sentChars(), "a failed frame is not reported as sent");
  }

  @Test
  void aSendTextThatThrowsIsAFailedSend() throws Exception {
    Outbox outbox = outbox(ROOMY, ROOMY);
    session.throwOnSend(new IllegalStateException("session closing"));

    assertTrue(outbox.offer("a"), "the frame was taken; its send failed");

    assertEquals(0, outbox.pending());
    assertFalse(outbox.offer("b"));
    assertClosedWith(CloseCodes.UNEXPECTED_CONDITION, Outbox.SEND_FAILED);
  }

  @Test
  void closeWhenSentClosesOnlyOnceTheQueuedFramesWereSentAndRefusesLaterOffers() throws Exception {
    Outbox outbox = outbox(ROOMY, ROOMY);
    outbox.offer("error");
    outbox.offer("last words");

    outbox.closeWhenSent(new CloseReason(CloseCodes.VIOLATED_POLICY, "bye"));

    assertFalse(outbox.offer("too late"));
    session.completeNext();
    session.completeNext();
    assertClosedWith(CloseCodes.VIOLATED_POLICY, "bye");
    assertEquals(
        List.of("send:error", "done:error", "send:last words", "done:last words", "close:1008"),
        session.log());
  }

  @Test
  void closeWhenSentOnAnIdleOutboxClosesAtOnce() throws Exception {
    Outbox outbox = outbox(ROOMY, ROOMY);

    outbox.closeWhenSent(new CloseReason(CloseCodes.CANNOT_ACCEPT, "binary refused"));

    assertClosedWith(CloseCodes.CANNOT_ACCEPT, "binary refused");
    assertFalse(outbox.offer("a"));
    assertEquals(List.of(), session.sent());
  }

  @Test
  void giveUpIfStuckIgnoresAnOutboxWithNoSendInFlight() {
    Outbox outbox = outbox(ROOMY, ROOMY);
    long anHourLater = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
    assertFalse(outbox.giveUpIfStuck(anHourLater, TIMEOUT_NANOS), "nothing sent yet");

    outbox.offer("a");
    session.completeNext();
    assertFalse(outbox.giveUpIfStuck(anHourLater, TIMEOUT_NANOS), "the send completed");

    assertEquals(0, events.timeouts.get());
    assertTrue(outbox.offer("b"), "the outbox was not closed");
  }

  @Test
  void giveUpIfStuckSparesASendYoungerThanTheTimeout() {
    Outbox outbox = outbox(ROOMY, ROOMY);
    long beforeSend = System.nanoTime();
    outbox.offer("a");

    assertFalse(outbox.giveUpIfStuck(beforeSend + TIMEOUT_NANOS - 1, TIMEOUT_NANOS));

    assertEquals(0, events.timeouts.get());
    assertTrue(outbox.offer("b"), "the outbox was not closed");
  }

  @Test
  void giveUpIfStuckClosesWith1011OnceTheSendInFlightIsOlderThanTheTimeout() throws Exception {
    Outbox outbox = outbox(ROOMY, ROOMY);
    outbox.offer("a");
    long afterSend = System.nanoTime();

    assertTrue(outbox.giveUpIfStuck(afterSend + TIMEOUT_NANOS, TIMEOUT_NANOS));

    assertEquals(1, events.timeouts.get());
    assertClosedWith(CloseCodes.UNEXPECTED_CONDITION, Outbox.SEND_TIMED_OUT);
    assertFalse(outbox.giveUpIfStuck(afterSend + 2 * TIMEOUT_NANOS, TIMEOUT_NANOS), "only once");
    assertEquals(1, events.timeouts.get());
    assertFalse(outbox.offer("b"));
  }

  @Test
  void aPeerDrainingToItsCloseIsGivenUpTooWhenItsSendIsStuck() throws Exception {
    Outbox outbox = outbox(ROOMY, ROOMY);
    outbox.offer("a");
    long afterSend = System.nanoTime();
    outbox.closeWhenSent(new CloseReason(CloseCodes.VIOLATED_POLICY, "flooding"));

    assertTrue(outbox.giveUpIfStuck(afterSend + TIMEOUT_NANOS, TIMEOUT_NANOS));

    assertClosedWith(CloseCodes.UNEXPECTED_CONDITION, Outbox.SEND_TIMED_OUT);
  }

  @Test
  void aCloseTheContainerRefusedDuringASendIsMadeOnceThatSendCompletes() throws Exception {
    session.refuseCloseWhileSending();
    Outbox outbox = outbox(1, ROOMY);
    outbox.offer("in flight");
    outbox.offer("one too many"); // closes with 1013, refused while "in flight" is out
    Drop drop = dropped.get(10, TimeUnit.SECONDS); // the member is dropped all the same
    assertTrue(drop.sessionWasOpen(), "the container refused the close");

    session.completeNext(); // the stalled peer reads again

    CloseReason closed = session.awaitClose();
    assertEquals(CloseCodes.TRY_AGAIN_LATER, closed.getCloseCode());
    assertEquals(Outbox.SLOW_CONSUMER, closed.getReasonPhrase());
  }

  @Test
  void refusesOffersOnceThePeerClosed() {
    Outbox outbox = outbox(ROOMY, ROOMY);
    session.close();

    assertFalse(outbox.offer("a"));
    assertEquals(List.of(), session.sent());
    assertEquals(0, outbox.pending());
  }

  private Outbox outbox(int maxMessages, long maxChars) {
    Outbox outbox =
        new Outbox(
            session.peer(), maxMessages, maxChars, events, CloseThreads.named("test-closes"));
    outbox.onDrop(reason -> dropped.complete(new Drop(reason, session.isOpen())));
    return outbox;
  }

  /** Waits for the close, and for {@code onDrop}, which must come after it with the same reason. */
  private void assertClosedWith(CloseCode code, String phrase) throws Exception {
    CloseReason closed = session.awaitClose();
    assertEquals(code, closed.getCloseCode());
    assertEquals(phrase, closed.getReasonPhrase());
    Drop drop = dropped.get(10, TimeUnit.SECONDS);
    assertSame(closed, drop.reason(), "onDrop is given the close reason");
    assertFalse(drop.sessionWasOpen(), "onDrop runs once the session was closed");
    assertEquals(1, session.closes().size());
  }

  private record Drop(CloseReason reason, boolean sessionWasOpen) {}

  private static final class RecordingEvents implements OutboxEvents {
    private final List<Integer> sentChars = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger slowConsumers = new AtomicInteger();
    final AtomicInteger timeouts = new AtomicInteger();

    @Override
    public void sent(int chars) {
      sentChars.add(chars);
    }

    @Override
    public void slowConsumerDropped() {
      slowConsumers.incrementAndGet();
    }

    @Override
    public void sendTimedOut() {
      timeouts.incrementAndGet();
    }

    List<Integer> sentChars() {
      synchronized (sentChars) {
        return List.copyOf(sentChars);
      }
    }
  }
}
