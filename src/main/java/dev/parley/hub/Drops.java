package dev.parley.hub;

import dev.parley.session.DaemonThreads;
import jakarta.websocket.CloseReason;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes members that the hub took out of a room, and gives their nicks up in the broker. Runs
 * after the room's lock is released; when the caller still holds a room's lock (a container ran
 * {@code @OnClose} inside a send), the broker call moves to another thread, so that a hub lock is
 * never held across broker I/O nor taken in the opposite order to the memory broker's.
 */
final class Drops {

  private final Broker broker;
  private final Executor later;

  /** Closes and leaves waiting for a thread at most; beyond, the caller runs its own. */
  static final int MAX_WAITING = 10_000;

  /** Two threads, gone when idle, with a bounded queue. */
  static ThreadPoolExecutor threads() {
    ThreadPoolExecutor threads =
        new ThreadPoolExecutor(
            2,
            2,
            10,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_WAITING),
            DaemonThreads.named("parley-hub-drops"),
            new ThreadPoolExecutor.CallerRunsPolicy());
    threads.allowCoreThreadTimeOut(true);
    return threads;
  }

  Drops(Broker broker, Executor later) {
    this.broker = broker;
    this.later = later;
  }

  /**
   * Closes the member's connection on another thread (a close can wait on a dead peer, and the
   * caller may hold the memory broker's room); the broker is told unless it moved the nick on.
   */
  void close(String room, Member member, CloseReason reason, boolean tellBroker) {
    later.execute(
        () -> {
          member.outbox().peer().close(reason);
          if (tellBroker) {
            broker.leave(room, member);
          }
        });
  }

  /** Gives the member's nick up in the broker, on another thread when {@code deferred}. */
  void leave(String room, Member member, boolean deferred) {
    if (deferred) {
      later.execute(() -> broker.leave(room, member));
    } else {
      broker.leave(room, member);
    }
  }

  /** Waits for the closes and leaves under way, when the threads are the drops' own. */
  void stop() {
    if (later instanceof ExecutorService threads) {
      threads.shutdown();
      try {
        threads.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
