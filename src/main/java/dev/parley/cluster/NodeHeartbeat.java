package dev.parley.cluster;

import dev.parley.session.DaemonTimer;
import io.lettuce.core.RedisException;
import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps this node's key alive in Redis and removes the members of nodes whose key expired. A node
 * killed outright has its members removed from presence within {@link #TTL_MILLIS} plus one {@link
 * #INTERVAL_MILLIS}. When this node's own key had expired (Redis restarted, or the node was cut off
 * long enough to be presumed dead), it registers its members again.
 */
final class NodeHeartbeat implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(NodeHeartbeat.class.getName());

  /** How often the node refreshes its key and sweeps dead nodes. */
  static final long INTERVAL_MILLIS = 2_000;

  /** How long a node's key outlives its last refresh: three missed beats mean dead. */
  static final long TTL_MILLIS = 6_000;

  private final RedisMembers members;
  private final Runnable registerMembersAgain;
  private final Runnable everyBeat;
  private final AtomicBoolean registerAgain = new AtomicBoolean();
  private final ScheduledExecutorService timer = DaemonTimer.named("parley-node-heartbeat");
  private boolean unreachable;

  /**
   * @param registerMembersAgain registers every local member again
   * @param everyBeat what else waits for Redis to answer: nicks given up while it did not, rooms
   *     that could not catch up yet
   */
  NodeHeartbeat(RedisMembers members, Runnable registerMembersAgain, Runnable everyBeat) {
    this.members = members;
    this.registerMembersAgain = registerMembersAgain;
    this.everyBeat = everyBeat;
  }

  /** Beats once now, so the node is known alive before its first member joins, then regularly. */
  void start() {
    beat();
    timer.scheduleWithFixedDelay(
        this::beat, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Redis turned out not to know a local member: register them all at the next beat. */
  void registerAgainSoon() {
    registerAgain.set(true);
  }

  private synchronized void beat() {
    try {
      if (!members.alive(TTL_MILLIS)) {
        registerAgain.set(true);
      }
      if (registerAgain.get()) {
        registerMembersAgain.run(); // may fail half-way: then again at the next beat
        registerAgain.set(false);
      }
      if (unreachable) {
        unreachable = false;
        LOG.log(Level.INFO, "Redis is reachable again (node {0})", members.node());
      }
      everyBeat.run();
      long swept = members.sweep();
      if (swept > 0) {
        LOG.log(Level.INFO, "Removed {0} members of nodes that stopped answering", swept);
      }
    } catch (RedisException e) {
      if (!unreachable) {
        unreachable = true;
        LOG.log(Level.WARNING, "Redis is out of reach (node {0}): {1}", members.node(), e);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Heartbeat failed; the next one runs as planned", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS); // a beat in hand ends within a command timeout
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
