package dev.parley.push;

import dev.parley.session.Peer;

/**
 * One subscriber of a {@link Topic}: at most one frame on its way to the peer, and at most one
 * waiting behind it. A newer frame replaces the waiting one (latest value wins), so a peer that
 * reads slowly costs one frame of memory and is never closed for being slow; it gets the newest
 * value as soon as it can take one.
 *
 * <p>"On its way" ends when the container has written the frame. Socket buffers hold megabytes, so
 * a peer that stops reading would still find seconds or minutes of old frames there; a peer that
 * acknowledges ({@link #acknowledged}) is sent the next frame only after its acknowledgement of the
 * last, and so never finds more than one old frame when it comes back.
 */
public final class LatestValue {

  private final Peer peer;
  private final Runnable onReplaced;

  // guarded by this: the frame written now, whether the peer still owes an acknowledgement for it,
  // and the newest frame that waits for both
  private boolean writing;
  private boolean unacknowledged;
  private boolean acknowledging;
  private String waiting;

  LatestValue(Peer peer, Runnable onReplaced) {
    this.peer = peer;
    this.onReplaced = onReplaced;
  }

  public Peer peer() {
    return peer;
  }

  /** Sends {@code frame} now if nothing is on its way, else keeps it as the newest waiting. */
  void offer(String frame) {
    synchronized (this) {
      if (writing || unacknowledged) {
        if (waiting != null) {
          onReplaced.run();
        }
        waiting = frame;
        return;
      }
      start();
    }
    write(frame);
  }

  /**
   * The peer has taken in what it was sent: the newest waiting frame, if any, goes out now. From
   * its first acknowledgement on, a peer is sent nothing more until it acknowledges again.
   */
  public void acknowledged() {
    String next;
    synchronized (this) {
      acknowledging = true;
      unacknowledged = false;
      next = takeIfReady();
    }
    if (next != null) {
      write(next);
    }
  }

  private void written(Throwable failure) {
    if (failure != null) {
      return; // the peer is gone or going: its close removes it from the topic
    }
    String next;
    synchronized (this) {
      writing = false;
      next = takeIfReady();
    }
    if (next != null) {
      write(next);
    }
  }

  /** The waiting frame when nothing is on its way any more, marked as being sent; else null. */
  private String takeIfReady() {
    if (writing || unacknowledged || waiting == null) {
      return null;
    }
    String next = waiting;
    waiting = null;
    start();
    return next;
  }

  private void start() {
    writing = true;
    unacknowledged = acknowledging;
  }

  private void write(String frame) {
    peer.send(frame, this::written);
  }
}
