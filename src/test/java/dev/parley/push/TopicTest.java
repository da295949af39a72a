package dev.parley.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TopicTest {

  private final AtomicInteger skipped = new AtomicInteger();
  private final Topic topic = new Topic(3, points -> "backlog" + points, skipped::incrementAndGet);

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
  void aSubscriberThatAcknowledgesIsSentTheNextValueOnlyAfterItsAcknowledgement() {
    HeldPeer peer = HeldPeer.keepingUp();
    LatestValue subscriber = topic.subscribe(peer);
    subscriber.acknowledged();
    topic.publish("v1");
    for (int i = 2; i <= 20; i++) {
      topic.publish("v" + i); // written by the transport, but not acknowledged: they wait
    }
    assertEquals(List.of("backlog[]", "v1"), peer.sent());

    subscriber.acknowledged();
    assertEquals(List.of("backlog[]", "v1", "v20"), peer.sent(), "the newest, at once");
    assertEquals(18, skipped.get());
  }

  @Test
  void anAcknowledgementBeforeTheWriteCompletedStillWaitsForTheWrite() {
    HeldPeer peer = HeldPeer.notReading();
    LatestValue subscriber = topic.subscribe(peer);
    subscriber.acknowledged();
    topic.publish("v1");
    assertEquals(List.of("backlog[]"), peer.sent());

    peer.completeOne();
    assertEquals(List.of("backlog[]", "v1"), peer.sent());
    subscriber.acknowledged(); // the client read v1 before the container reported it written
    topic.publish("v2");
    assertEquals(List.of("backlog[]", "v1"), peer.sent(), "one write at a time");
    peer.completeOne();
    assertEquals(List.of("backlog[]", "v1", "v2"), peer.sent());
  }

  @Test
  void anAcknowledgementWithNothingOutstandingSendsNothing() {
    HeldPeer peer = HeldPeer.keepingUp();
    LatestValue subscriber = topic.subscribe(peer);
    subscriber.acknowledged();
    subscriber.acknowledged();

    assertEquals(List.of("backlog[]"), peer.sent());
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
  void underConcurrentPublishingAndWritesEachValueGoesOutAtMostOnceAndTheLastOneAlways()
      throws Exception {
    HeldPeer peer = HeldPeer.notReading();
    topic.subscribe(peer);
    ExecutorService completer = Executors.newSingleThreadExecutor();
    CountDownLatch published = new CountDownLatch(1);
    completer.submit(
        () -> {
          while (published.getCount() > 0 || peer.inFlight() > 0) {
            if (peer.inFlight() > 0) {
              peer.completeOne();
            }
          }
        });
    int values = 20_000;
    for (int i = 1; i <= values; i++) {
      topic.publish("v" + i);
    }
    published.countDown();
    completer.shutdown();
    assertTrue(completer.awaitTermination(10, TimeUnit.SECONDS));

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
