package dev.parley.session;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** One named daemon thread for periodic checks: it never holds the server up when it stops. */
public final class DaemonTimer {

  private DaemonTimer() {}

  public static ScheduledExecutorService named(String threadName) {
    return Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(threadName));
  }
}
