package dev.parley.push;

import dev.parley.session.Peer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Values pushed to every subscriber, where only the latest matters (a price, a gauge, a snapshot):
 * each subscriber gets them through its own {@link LatestValue}, so a slow one skips values rather
 * than queueing them. The topic keeps the last {@code retained} values; a new subscriber is first
 * sent them as one frame, made by {@code backlog}, and then every value published after them.
 */
public final class Topic {

  private final int retained;
  private final Function<List<String>, String> backlog;
  private final Runnable onReplaced;
  private final Executor closes;
  private final Set<LatestValue> subscribers = ConcurrentHashMap.newKeySet();

  // guarded by this, so that a new subscriber gets each value once: in its backlog or after it.
  // Only decisions are made under it; frames are handed to the container after it is released.
  private final Deque<String> recent = new ArrayDeque<>();
  private String backlogFrame; // made once per published value, whoever subscribes

  /**
   * A topic that keeps {@code retained} values for new subscribers; {@code onReplaced} counts the
   * values a slow subscriber skipped, and {@code closes} closes a peer whose write failed.
   */
  public Topic(
      int retained, Function<List<String>, String> backlog, Runnable onReplaced, Executor closes) {
    this.retained = retained;
    this.backlog = backlog;
    this.onReplaced = onReplaced;
    this.closes = closes;
  }

  /** Keeps {@code frame} and offers it to every subscriber. */
  public void publish(String frame) {
    List<LatestValue> writeNow = new ArrayList<>();
    synchronized (this) {
      recent.addLast(frame);
      if (recent.size() > retained) {
        recent.removeFirst();
      }
      backlogFrame = null;
      for (LatestValue subscriber : subscribers) {
        if (subscriber.offer(frame) != null) {
          writeNow.add(subscriber);
        }
      }
    }
    for (LatestValue subscriber : writeNow) {
      subscriber.write(frame);
    }
  }

  /** Sends {@code peer} the backlog, then every value from now on. */
  public LatestValue subscribe(Peer peer) {
    LatestValue subscriber = new LatestValue(peer, onReplaced, closes);
    String first;
    synchronized (this) {
      if (backlogFrame == null) {
        backlogFrame = backlog.apply(List.copyOf(recent));
      }
      first = subscriber.offer(backlogFrame); // marked as written: later values wait behind it
      subscribers.add(subscriber);
    }
    subscriber.write(first);
    return subscriber;
  }

  public void unsubscribe(LatestValue subscriber) {
    subscribers.remove(subscriber);
  }

  public int subscriberCount() {
    return subscribers.size();
  }
}
