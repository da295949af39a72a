package dev.parley.hub;

import dev.parley.session.DaemonTimer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The hub's one thread for presence frames: it sends each room's at the end of its interval. */
final class PresenceThread implements PresenceFlush.Scheduler {

  private final ScheduledExecutorService thread = DaemonTimer.named("parley-presence");

  @Override
  public void schedule(Runnable task, long delayMillis) {
    thread.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
  }

  /** Sends nothing more; waits for a frame in hand. */
  void stop() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
