package dev.parley.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TopicTest {

  private final AtomicInteger skipped = new AtomicInteger();
  private final Topic topic =
      new Topic(3, points -> "backlog" + points, skipped::incrementAndGet, Runnable::run);

  @Test
  void aNewSubscriberGetsTheRetainedValuesAsOneBacklogThenEveryNewValue() {
    topic.publish("v1");
    topic.publish("v2");
    HeldPeer peer = HeldPeer.keepingUp();
    topic.subscribe(peer);
    topic.publish("v3");
    topic.publish("v4");

    assertEquals(List.of("backlog[v1, v2]", "v3", "v4"), peer.sent());
    assertEquals(0, skipped.get());
  }

  @Test
  void theBacklogHoldsOnlyTheLastRetainedValues() {
    for (int i = 1; i <= 5; i++) {
      topic.publish("v" + i);
    }
    HeldPeer peer = HeldPeer.keepingUp();
    topic.subscribe(peer);

    assertEquals(List.of("backlog[v3, v4, v5]"), peer.sent());
  }

  @Test
  void aPeerThatTakesNothingInHasOneValueWaitingAndEachNewerOneReplacesIt() {
    HeldPeer peer = HeldPeer.notReading();
    topic.subscribe(peer);
    for (int i = 1; i <= 20; i++) {
      topic.publish("v" + i);
    }

    assertEquals(List.of("backlog[]"), peer.sent(), "nothing queued behind the unfinished write");
    assertEquals(19, skipped.get());

    peer.completeOne();
    assertEquals(List.of("backlog[]", "v20"), peer.sent(), "the newest, at once");
    peer.completeOne();
    assertEquals(0, peer.inFlight());
    assertEquals(2, peer.sent().size(), "and nothing older after it");
  }

  @Test
  void aSubscriberThatAcknowledgesIsSentTheNextValueOnlyOnceItTookInTheLast() {
    HeldPeer peer = HeldPeer.keepingUp();
    LatestValue subscriber = topic.subscribe(peer);
    subscriber.acknowledged(1); // the backlog
    topic.publish("v1");
    for (int i = 2; i <= 20; i++) {
      topic.publish("v" + i); // written by the transport, but not taken in: they wait
    }
    assertEquals(List.of("backlog[]", "v1"), peer.sent());

    subscriber.acknowledged(2);
    assertEquals(List.of("backlog[]", "v1", "v20"), peer.sent(), "the newest, at once");
    assertEquals(18, skipped.get());
  }

  @Test
  void aValueSentBeforeTheFirstAcknowledgementMustBeAcknowledgedToo() {
    HeldPeer peer = HeldPeer.keepingUp();
    LatestValue subscriber = topic.subscribe(peer);
    topic.publish("v1"); // goes at once: no ack yet
    subscriber.acknowledged(1); // the backlog; v1 is still unread
    topic.publish("v2");
    assertEquals(List.of("backlog[]", "v1"), peer.sent(), "one frame unread at most, not two");

    subscriber.acknowledged(2);
    assertEquals(List.of("backlog[]", "v1", "v2"), peer.sent());
  }

  @Test
  void anAcknowledgementCannotCoverFramesNotSentYetNorBeRepeatedIntoCredit() {
    HeldPeer peer = HeldPeer.keepingUp();
    LatestValue subscriber = topic.subscribe(peer);
    subscriber.acknowledged(100); // counts only what was sent: the backlog
    topic.publish("v1");
    subscriber.acknowledged(1); // late and repeated
    subscriber.acknowledged(1);
    topic.publish("v2");

    assertEquals(List.of("backlog[]", "v1"), peer.sent());
  }

  @Test
  void anAcknowledgementBeforeTheWriteCompletedStillWaitsForTheWrite() {
    HeldPeer peer = HeldPeer.notReading();
    LatestValue subscriber = topic.subscribe(peer);
    subscriber.acknowledged(1);
    topic.publish("v1");
    assertEquals(List.of("backlog[]"), peer.sent());

    peer.completeOne();
    assertEquals(List.of("backlog[]", "v1"), peer.sent());
    subscriber.acknowledged(2); // the client read v1 before the container reported it written
    topic.publish("v2");
    assertEquals(List.of("backlog[]", "v1"), peer.sent(), "one write at a time");
    peer.completeOne();
    assertEquals(List.of("backlog[]", "v1", "v2"), peer.sent());
  }

  @Test
  void anUnsubscribedPeerIsSentNothingMore() {
    HeldPeer peer = HeldPeer.keepingUp();
    LatestValue subscriber = topic.subscribe(peer);
    topic.unsubscribe(subscriber);
    topic.publish("v1");

    assertEquals(List.of("backlog[]"), peer.sent());
    assertEquals(0, topic.subscriberCount());
  }

  @Test
  void aPeerWhoseWriteFailsIsClosedWith1011AndSentNothingMore() {
    HeldPeer failing = HeldPeer.failing();
    topic.subscribe(failing);
    topic.publish("v1");

    assertEquals(List.of("backlog[]"), failing.sent());
    assertEquals(1011, failing.closes().get(0).getCloseCode().getCode());
    assertEquals(1, failing.closes().size(), "closed once");
  }

  @Test
  void aPeerThatCannotStartAWriteIsClosedAndTheOthersStillGetTheValue() {
    HeldPeer closedMeanwhile = HeldPeer.throwing();
    HeldPeer other = HeldPeer.keepingUp();
    topic.subscribe(closedMeanwhile);
    topic.subscribe(other);
    topic.publish("v1");

    assertEquals(1011, closedMeanwhile.closes().get(0).getCloseCode().getCode());
    assertEquals(List.of("backlog[]", "v1"), other.sent());
  }

  @Test
  void underConcurrentPublishingWritesAndAcksEachValueGoesOutAtMostOnceAndTheLastOneAlways()
      throws Exception {
    HeldPeer peer = HeldPeer.notReading();
    LatestValue subscriber = topic.subscribe(peer);
    subscriber.acknowledged(0);
    ExecutorService client = Executors.newSingleThreadExecutor();
    AtomicBoolean published = new AtomicBoolean();
    client.submit(
        () -> {
          while (!published.get() || peer.inFlight() > 0) {
            if (peer.inFlight() > 0) {
              peer.completeOne();
              subscriber.acknowledged(peer.sent().size()); // read everything written so far
            }
          }
        });
    int values = 20_000;
    for (int i = 1; i <= values; i++) {
      topic.publish("v" + i);
    }
    published.set(true);
    client.shutdown();
    assertTrue(client.awaitTermination(10, TimeUnit.SECONDS));

    List<String> sent = peer.sent();
    assertEquals("v" + values, sent.get(sent.size() - 1), "the newest is never lost");
    int previous = 0;
    for (String value : sent.subList(1, sent.size())) {
      int number = Integer.parseInt(value.substring(1));
      assertTrue(number > previous, "in order, each once: " + value + " after v" + previous);
      previous = number;
    }
    assertEquals(values, sent.size() - 1 + skipped.get(), "every value was sent or skipped");
  }
}
