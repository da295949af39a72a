package dev.parley.session;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that close connections and let their members leave, away from the caller: a close can
 * wait on a peer that reads nothing (Tomcat: up to 1 s for the close frame) and the caller may hold
 * a room's lock. Bounded, and gone when idle; a close that finds the queue full gets a thread of
 * its own rather than run on the caller's.
 */
public final class CloseThreads {

  /** Closes that may wait at once (each up to about a second); more wait in the queue. */
  static final int THREADS = 16;

  /** Closes waiting for a thread at most. */
  static final int MAX_WAITING = 10_000;

  private CloseThreads() {}

  public static ThreadPoolExecutor named(String name) {
    ThreadPoolExecutor threads =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            10,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_WAITING),
            DaemonThreads.named(name),
            (task, full) -> DaemonThreads.named(name + "-overflow").newThread(task).start());
    threads.allowCoreThreadTimeOut(true);
    return threads;
  }
}
