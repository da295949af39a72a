package dev.parley.session;

import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The frames waiting to go to one peer. Sends are asynchronous and strictly one at a time (some
 * containers throw on overlapping sends to a session), so a caller never waits on a slow peer; a
 * peer that lets more than the bound pile up is closed with 1013. A send that the container has not
 * completed in time is given up by the {@link SendWatchdog}: the session is closed with 1011.
 */
public final class Outbox {

  private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

  /** Reason sent with 1013 to a peer that does not read fast enough. */
  public static final String SLOW_CONSUMER =
      "Too many messages waiting: the client reads too slowly";

  /** Reason sent with 1011 when the container fails to send a frame to an open session. */
  public static final String SEND_FAILED = "A message could not be sent; reconnect to resume";

  /** Reason sent with 1011 when the container did not complete a send in time. */
  public static final String SEND_TIMED_OUT = "A message could not be delivered in time; reconnect";

  private final Peer peer;
  private final Executor closes;
  private final OutboxEvents events;
  private final int maxMessages;
  private final long maxChars;
  private final Queue<String> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queuedMessages = new AtomicInteger();
  private final AtomicLong queuedChars = new AtomicLong();
  private final AtomicBoolean sending = new AtomicBoolean();
  // closing: no frame is taken any more; closed: the close is decided, once for the session
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Consumer<CloseReason> onDrop = reason -> {};
  private volatile CloseReason closeWhenDrained;
  // a close the container refused while a send was in flight (Tomcat): made once that send ends
  private volatile CloseReason closeAfterSend;

  /** When the send in flight was handed to the container ({@link System#nanoTime}). */
  private volatile long sendStartedNanos;

  /** Written after {@link #sendStartedNanos}, read before it: a true here sees its start. */
  private volatile boolean sendInFlight;

  /**
   * An outbox for {@code peer}; {@code closes} runs its closes, away from the caller that may hold
   * a room's lock ({@link SessionRegistry#closes}).
   */
  public Outbox(Peer peer, int maxMessages, long maxChars, OutboxEvents events, Executor closes) {
    this.peer = peer;
    this.closes = closes;
    this.events = events;
    this.maxMessages = maxMessages;
    this.maxChars = maxChars;
  }

  public Peer peer() {
    return peer;
  }

  /**
   * Queues a text frame and starts sending if idle. Returns false when the frame was refused
   * because the peer is too far behind; the session is then being closed with 1013. A frame offered
   * to an empty queue is always taken, so that one large frame (a long resume) fits.
   */
  public boolean offer(String text) {
    if (closing.get() || !peer.isOpen()) {
      return false;
    }
    int messages = queuedMessages.incrementAndGet();
    long chars = queuedChars.addAndGet(text.length());
    if (messages > 1 && (messages > maxMessages || chars > maxChars)) {
      queuedMessages.decrementAndGet();
      queuedChars.addAndGet(-text.length());
      overflow();
      return false;
    }
    queue.add(text);
    pump();
    return true;
  }

  /**
   * What to do once this outbox gives up on its peer: remove the member at once, as a close that a
   * stuck write holds up (Tomcat) may be reported late.
   */
  public void onDrop(Consumer<CloseReason> action) {
    onDrop = action;
  }

  /**
   * Closes once every frame already queued has been sent, so that the peer reads why it is being
   * closed (its last error frames) before the close frame. No frame is accepted after this.
   */
  public void closeWhenSent(CloseReason reason) {
    closeWhenDrained = reason;
    closing.set(true);
    pump();
  }

  /** Frames accepted but not yet handed to the container. */
  public int pending() {
    return queuedMessages.get();
  }

  /**
   * Gives up on a peer whose send the container has not completed within {@code timeoutNanos}, as
   * of {@code now}: closes it with 1011 so that it reconnects and resumes, rather than silently
   * receiving nothing more. Returns whether it gave up.
   */
  boolean giveUpIfStuck(long now, long timeoutNanos) {
    if (!sendInFlight) {
      return false;
    }
    long started = sendStartedNanos;
    // a peer draining to its close (closeWhenSent) can be stuck too: it is given up all the same
    if (now - started < timeoutNanos || !closeOnce()) {
      return false;
    }
    LOG.log(
        Level.INFO,
        "Closing session {0}: a send has not completed for {1} ms",
        peer.id(),
        TimeUnit.NANOSECONDS.toMillis(now - started));
    events.sendTimedOut();
    closeLater(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, SEND_TIMED_OUT));
    return true;
  }

  /** Stops taking frames; true for the one caller that closes the session. */
  private boolean closeOnce() {
    closing.set(true);
    return closed.compareAndSet(false, true);
  }

  private void overflow() {
    if (closeOnce()) {
      LOG.log(Level.INFO, "Closing slow consumer {0}: {1} frames queued", peer.id(), pending());
      events.slowConsumerDropped();
      closeLater(new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, SLOW_CONSUMER));
    }
  }

  /** Sends queued frames one at a time; an inline completion continues this loop, not recursion. */
  private void pump() {
    while (sending.compareAndSet(false, true)) {
      String text = queue.poll();
      if (text == null) {
        sending.set(false);
        if (queue.isEmpty()) {
          closeIfDrained();
          return;
        }
        continue;
      }
      AtomicInteger handOff = new AtomicInteger();
      sendStartedNanos = System.nanoTime(); // may be negative: only differences count
      sendInFlight = true;
      try {
        peer.send(text, failure -> completed(text, failure, handOff));
      } catch (RuntimeException e) {
        completed(text, e, handOff);
      }
      if (handOff.getAndIncrement() == 0) {
        return; // still in flight: its completion continues the loop
      }
      sending.set(false);
    }
  }

  /** A send ended: {@code failure} is null when the frame was written. */
  private void completed(String text, Throwable failure, AtomicInteger handOff) {
    sendInFlight = false;
    CloseReason refused = closeAfterSend;
    if (refused != null) {
      closeAfterSend = null;
      closes.execute(() -> peer.close(refused));
    }
    queuedMessages.decrementAndGet();
    queuedChars.addAndGet(-text.length());
    if (failure == null) {
      events.sent(text.length());
    } else {
      failed(failure);
    }
    if (handOff.getAndIncrement() == 1) {
      sending.set(false);
      pump();
    }
  }

  private void failed(Throwable error) {
    if (error instanceof IOException || !peer.isOpen()) {
      LOG.log(Level.DEBUG, "Send to session {0} failed: {1}", peer.id(), error);
    } else {
      LOG.log(Level.WARNING, "Send to session " + peer.id() + " failed", error);
    }
    // The peer would silently miss this frame and the rest: drop it, so that it resumes.
    if (closeOnce()) {
      closeLater(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, SEND_FAILED));
    }
    for (String dropped; (dropped = queue.poll()) != null; ) {
      queuedMessages.decrementAndGet();
      queuedChars.addAndGet(-dropped.length());
    }
  }

  private synchronized void closeIfDrained() {
    CloseReason reason = closeWhenDrained;
    if (reason != null) {
      closeWhenDrained = null;
      if (closed.compareAndSet(false, true)) {
        closeLater(reason);
      }
    }
  }

  /**
   * Closes, and drops the member, on another thread: offers happen under a room's lock, and some
   * containers run {@code @OnClose} inside {@code close()}, which would re-enter the room.
   */
  private void closeLater(CloseReason reason) {
    closes.execute(
        () -> {
          peer.close(reason);
          if (peer.isOpen() && sendInFlight) {
            closeAfterSend = reason; // else a peer that reads again is never told, nor cut off
          }
          onDrop.accept(reason);
        });
  }
}
