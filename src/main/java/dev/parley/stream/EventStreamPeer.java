package dev.parley.stream;

import dev.parley.session.Peer;
import jakarta.json.Json;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A chat member on an event stream: frames are written with the Servlet API's non-blocking output,
 * so a stream whose reader stalls holds no thread (its outbox fills and closes it, as on a
 * WebSocket). A close is told as a last {@code close} event with the WebSocket's code and reason,
 * then the response ends.
 */
final class EventStreamPeer implements Peer, WriteListener, AsyncListener {

  private static final System.Logger LOG = System.getLogger(EventStreamPeer.class.getName());

  /** How long a close waits to be told as an event before the stream just ends. */
  static final long CLOSE_EVENT_WAIT_MILLIS = 1000;

  private final String id;
  private final String address;
  private final AsyncContext async;
  private final Executor ends;
  private final ServletOutputStream out;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile Consumer<CloseReason> onEnd = reason -> {};
  private String epoch;
  // the send waiting for the container to take more bytes, and whether it still has to flush
  private byte[] waiting;
  private Consumer<Throwable> waitingDone;
  private boolean flushDue;
  private CloseReason closeDue;

  EventStreamPeer(String id, String address, AsyncContext async, Executor ends) throws IOException {
    this.id = id;
    this.ends = ends;
    this.address = address;
    this.async = async;
    this.out = async.getResponse().getOutputStream();
    async.addListener(this);
  }

  /** Starts writing: from now on the container calls back when the stream can take bytes. */
  void start() {
    out.setWriteListener(this);
  }

  /** What to do once the stream ended, whoever ended it: the member leaves. Runs once. */
  void onEnd(Consumer<CloseReason> action) {
    onEnd = action;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public boolean isOpen() {
    return !ended.get();
  }

  @Override
  public synchronized void send(String frame, Consumer<Throwable> done) {
    if (ended.get()) {
      done.accept(new IOException("The event stream has ended"));
      return;
    }
    String welcomeEpoch = EventStreamFormat.epochOf(frame);
    if (welcomeEpoch != null) {
      epoch = welcomeEpoch;
    }
    waiting = EventStreamFormat.event(frame, epoch);
    waitingDone = done;
    flushDue = true;
    onWritePossible();
  }

  @Override
  public synchronized void onWritePossible() {
    if (ended.get()) {
      return; // the container may call once more; its buffers may serve another request now
    }
    try {
      byte[] bytes = waiting; // a container may call back from inside isReady(), on this thread
      if (bytes != null && out.isReady()) {
        waiting = null;
        out.write(bytes);
      }
      if (waiting == null && flushDue && out.isReady()) {
        out.flush();
        flushDue = false;
      }
      if (waiting == null && !flushDue && out.isReady()) {
        Consumer<Throwable> done = waitingDone;
        waitingDone = null;
        if (done != null) {
          done.accept(null);
        }
        CloseReason due = closeDue;
        if (due != null && waitingDone == null && out.isReady()) {
          closeDue = null;
          close(due);
        }
      }
    } catch (IOException | RuntimeException e) {
      onError(e);
    }
  }

  @Override
  public synchronized void onError(Throwable error) {
    LOG.log(Level.DEBUG, "Event stream {0} failed: {1}", id, error);
    Consumer<Throwable> done = waitingDone;
    waitingDone = null;
    waiting = null;
    if (done != null) {
      done.accept(error);
    }
    end(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "The event stream broke"));
  }

  /**
   * Tells the client why with a {@code close} event, then ends the response. A stream that cannot
   * take the event now (a send in flight, or the container not ready yet) gets it once it can,
   * within {@link #CLOSE_EVENT_WAIT_MILLIS}; after that it ends without it, as a WebSocket whose
   * close frame cannot be sent.
   */
  @Override
  public boolean takesPosts() {
    return true;
  }

  @Override
  public synchronized void close(CloseReason reason) {
    if (ended.get()) {
      return;
    }
    try {
      if (waitingDone != null || !out.isReady()) {
        closeDue = reason;
        CompletableFuture.delayedExecutor(CLOSE_EVENT_WAIT_MILLIS, TimeUnit.MILLISECONDS, ends)
            .execute(() -> endIfStillDue(reason));
        return;
      }
      out.write(closeEvent(reason));
      if (out.isReady()) {
        out.flush();
      }
    } catch (IOException | IllegalStateException e) {
      LOG.log(Level.DEBUG, "Event stream {0} gone before its close event: {1}", id, e);
    }
    end(reason);
  }

  private synchronized void endIfStillDue(CloseReason reason) {
    if (closeDue == reason) {
      closeDue = null;
      end(reason);
    }
  }

  private void end(CloseReason reason) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    Consumer<Throwable> unfinished = waitingDone; // its outbox must not wait on it any more
    waitingDone = null;
    waiting = null;
    if (unfinished != null) {
      unfinished.accept(new IOException("The event stream ended"));
    }
    try {
      async.complete();
    } catch (IllegalStateException alreadyOver) {
      LOG.log(Level.DEBUG, "Event stream {0} was already over", id);
    }
    // not under this peer's lock: leaving takes the room's, which senders hold while they send here
    ends.execute(() -> onEnd.accept(reason));
  }

  static byte[] closeEvent(CloseReason reason) {
    String data =
        Json.createObjectBuilder()
            .add("type", "close")
            .add("code", reason.getCloseCode().getCode())
            .add("reason", reason.getReasonPhrase())
            .build()
            .toString();
    return ("event: close\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  // AsyncListener: the container ends the stream when the client goes away or the server stops

  @Override
  public void onComplete(AsyncEvent event) {
    end(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "The event stream ended"));
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    end(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "The event stream timed out"));
  }

  @Override
  public void onError(AsyncEvent event) {
    onError(event.getThrowable());
  }

  @Override
  public void onStartAsync(AsyncEvent event) {}
}
