package dev.parley.push;

import dev.parley.session.Peer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
  private final Set<LatestValue> subscribers = ConcurrentHashMap.newKeySet();

  // guarded by this, so that a new subscriber gets each value once: in its backlog or after it
  private final Deque<String> recent = new ArrayDeque<>();
  private String backlogFrame; // made once per published value, whoever subscribes

  /**
   * A topic that keeps {@code retained} values for new subscribers; {@code onReplaced} counts the
   * values a slow subscriber skipped.
   */
  public Topic(int retained, Function<List<String>, String> backlog, Runnable onReplaced) {
    this.retained = retained;
    this.backlog = backlog;
    this.onReplaced = onReplaced;
  }

  /** Keeps {@code frame} and offers it to every subscriber. */
  public void publish(String frame) {
    synchronized (this) {
      recent.addLast(frame);
      if (recent.size() > retained) {
        recent.removeFirst();
      }
      backlogFrame = null;
      for (LatestValue subscriber : subscribers) {
        subscriber.offer(frame);
      }
    }
  }

  /** Sends {@code peer} the backlog, then every value from now on. */
  public LatestValue subscribe(Peer peer) {
    LatestValue subscriber = new LatestValue(peer, onReplaced);
    synchronized (this) {
      if (backlogFrame == null) {
        backlogFrame = backlog.apply(List.copyOf(recent));
      }
      subscriber.offer(backlogFrame);
      subscribers.add(subscriber);
    }
    return subscriber;
  }

  public void unsubscribe(LatestValue subscriber) {
    subscribers.remove(subscriber);
  }

  public int subscriberCount() {
    return subscribers.size();
  }

  /** Every subscriber's peer, for closing them all. */
  public List<Peer> peers() {
    return subscribers.stream().map(LatestValue::peer).toList();
  }
}
