package dev.parley.session;

import java.util.concurrent.ThreadFactory;

/**
 * Threads of Parley's own executors: named, so that a thread dump says whose they are, and daemons,
 * so that none of them ever holds a server up when it stops.
 */
public final class DaemonThreads {

  private DaemonThreads() {}

  public static ThreadFactory named(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
