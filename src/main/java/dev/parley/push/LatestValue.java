package dev.parley.push;

import dev.parley.session.Peer;
import jakarta.websocket.CloseReason;
import java.util.concurrent.Executor;

/**
 * One subscriber of a {@link Topic}: at most one frame on its way to the peer, and at most one
 * waiting behind it. A newer frame replaces the waiting one (latest value wins), so a peer that
 * reads slowly costs one frame of memory and is never closed for being slow; it gets the newest
 * value as soon as it can take one.
 *
 * <p>"On its way" ends when the container has written the frame. Socket buffers hold megabytes, so
 * a peer that stops reading would still find seconds or minutes of old frames there. A peer that
 * acknowledges what it has taken in ({@link #acknowledged}: how many frames so far) is, from its
 * first acknowledgement on, sent a frame only once it has taken in every frame sent before: when it
 * comes back from a stall it finds at most one old frame, then the newest.
 *
 * <p>A write that fails or cannot start closes the peer with 1011 (its close unsubscribes it); it
 * is sent nothing more.
 */
public final class LatestValue {

  /** Reason sent with 1011 when a frame could not be written. */
  public static final String WRITE_FAILED = "A frame could not be sent";

  private final Peer peer;
  private final Runnable onReplaced;
  private final Executor closes;

  // guarded by this
  private boolean writing; // a frame is with the container
  private boolean acknowledging; // the peer has acknowledged once: it is held to its acks
  private long sent; // frames handed to the container
  private long acknowledgedCount; // frames the peer says it took in, never more than were sent
  private String waiting; // the newest frame not yet sent
  private boolean failed;

  LatestValue(Peer peer, Runnable onReplaced, Executor closes) {
    this.peer = peer;
    this.onReplaced = onReplaced;
    this.closes = closes;
  }

  public Peer peer() {
    return peer;
  }

  /**
   * Takes {@code frame}: returns it if it is to be written now, marked as being written (the caller
   * then {@link #write}s it, outside any lock of its own); else keeps it as the newest waiting and
   * returns null.
   */
  synchronized String offer(String frame) {
    if (failed) {
      return null;
    }
    if (!ready()) {
      if (waiting != null) {
        onReplaced.run();
      }
      waiting = frame;
      return null;
    }
    start();
    return frame;
  }

  /**
   * The peer has taken in the first {@code received} frames it was sent (a count, so that a late,
   * repeated or missing acknowledgement cannot shift it): the newest waiting frame, if any, may go
   * once that covers every frame sent.
   */
  public void acknowledged(long received) {
    String next;
    synchronized (this) {
      acknowledging = true;
      acknowledgedCount = Math.max(acknowledgedCount, Math.min(sent, received));
      next = takeIfReady();
    }
    write(next);
  }

  /** Hands a frame that {@link #offer} returned to the container; nothing for null. */
  void write(String frame) {
    if (frame == null) {
      return;
    }
    try {
      peer.send(frame, this::written);
    } catch (RuntimeException closedMeanwhile) {
      written(closedMeanwhile); // e.g. a session closed before its @OnClose ran
    }
  }

  private void written(Throwable failure) {
    String next;
    synchronized (this) {
      writing = false;
      if (failure != null) {
        fail();
        return;
      }
      next = takeIfReady();
    }
    write(next);
  }

  private void fail() {
    if (failed) {
      return;
    }
    failed = true;
    waiting = null;
    closes.execute(
        () ->
            peer.close(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, WRITE_FAILED)));
  }

  private boolean ready() {
    return !writing && (!acknowledging || acknowledgedCount >= sent);
  }

  /** The waiting frame if it may go now, marked as being written; else null. */
  private String takeIfReady() {
    if (failed || waiting == null || !ready()) {
      return null;
    }
    String next = waiting;
    waiting = null;
    start();
    return next;
  }

  private void start() {
    writing = true;
    sent++;
  }
}
