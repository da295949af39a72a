package dev.parley.cluster;

import dev.parley.hub.BrokerEvent;
import dev.parley.hub.BrokerListener;
import dev.parley.session.DaemonThreads;
import jakarta.json.JsonObject;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Hands the rooms' events from Redis to the hub. They arrive on a Lettuce thread, which must never
 * block, and wait in a bounded queue for one thread of our own, so the hub gets each room's events
 * in publish order. When the queue is full, the event is dropped rather than the node's memory
 * growing without bound, and its room reads the messages it missed back from the log.
 */
final class EventInbox implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(EventInbox.class.getName());

  /** Events waiting for delivery at most; about a second of a busy node's traffic. */
  static final int CAPACITY = 20_000;

  private final RedisJson json;
  private final Set<String> overflowed = ConcurrentHashMap.newKeySet();
  private final ThreadPoolExecutor thread;
  private volatile BrokerListener listener;

  EventInbox(RedisJson json) {
    this(json, CAPACITY);
  }

  EventInbox(RedisJson json, int capacity) {
    this.json = json;
    this.thread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(capacity),
            DaemonThreads.named("parley-room-events"));
  }

  void listen(BrokerListener listener) {
    this.listener = listener;
  }

  /** An event arrived from Redis; called on a Lettuce thread. */
  void received(String channel, String payload) {
    String room = Keys.roomOf(channel);
    if (!submit(() -> deliver(room, payload)) && overflowed.add(room)) {
      LOG.log(Level.WARNING, "Room events back up; room {0} reads back what it missed", room);
    }
  }

  /** Runs {@code task} after the events queued so far; false when the queue is full. */
  boolean submit(Runnable task) {
    try {
      thread.execute(
          () -> {
            catchUpOverflowed();
            task.run();
          });
      return true;
    } catch (RejectedExecutionException full) {
      return false;
    }
  }

  /**
   * Rooms whose events were dropped read back the messages they missed from the log (their members
   * stay); one that cannot yet is tried again after the next event.
   */
  private void catchUpOverflowed() {
    for (String room : List.copyOf(overflowed)) {
      if (listener.catchUp(room)) {
        overflowed.remove(room);
      }
    }
  }

  private void deliver(String room, String payload) {
    BrokerEvent event;
    try {
      event = parse(json.parse(payload), room);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Unreadable event in room " + room + ": " + payload, e);
      return;
    }
    try {
      listener.event(room, event);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Event of room " + room + " not delivered", e);
    }
  }

  private BrokerEvent parse(JsonObject event, String room) {
    return switch (event.getString("kind")) {
      case "message" ->
          new BrokerEvent.Message(
              event.getString("epoch"),
              seq(event),
              json.read(room, event.getJsonObject("message")));
      case "joined", "left" ->
          new BrokerEvent.Presence(
              event.getString("kind").equals("joined"),
              seq(event),
              event.getString("name"),
              event.getInt("count"));
      case "replaced" ->
          new BrokerEvent.Replaced(seq(event), event.getString("name"), event.getString("token"));
      case "typing" -> new BrokerEvent.Typing(event.getString("name"));
      case "whisper" ->
          new BrokerEvent.Whisper(
              event.getString("to"), event.getString("token"), event.getString("frame"));
      case "relay" ->
          new BrokerEvent.Relayed(
              event.getString("to"), event.getString("token"), event.getString("frame"));
      default -> throw new IllegalArgumentException("Unknown room event " + event);
    };
  }

  private static long seq(JsonObject event) {
    return event.getJsonNumber("seq").longValueExact();
  }

  /** Stops taking events and waits for the one in hand. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
