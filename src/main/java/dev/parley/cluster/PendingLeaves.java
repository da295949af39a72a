package dev.parley.cluster;

import dev.parley.hub.Member;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Nicks that could not be given up in Redis when their members left (or whose join reply was lost),
 * given up at each heartbeat until Redis answers. Bounded: beyond {@link #CAPACITY} the oldest is
 * forgotten, and its nick stays taken until this node stops and is swept.
 */
final class PendingLeaves {

  private static final System.Logger LOG = System.getLogger(PendingLeaves.class.getName());

  /** Leaves kept for later at most. */
  static final int CAPACITY = 100_000;

  /** Leaves given up per heartbeat at most: about a second of commands. */
  static final int PER_BEAT = 1_000;

  private record Leave(String room, String nickKey, String token) {}

  private final RedisMembers members;
  private final Deque<Leave> pending = new ArrayDeque<>();

  PendingLeaves(RedisMembers members) {
    this.members = members;
  }

  synchronized void add(String room, Member member) {
    if (pending.size() >= CAPACITY) {
      Leave forgotten = pending.removeFirst();
      LOG.log(Level.WARNING, "Too many leaves waiting for Redis; forgot {0}", forgotten);
    }
    pending.addLast(new Leave(room, member.key(), member.token()));
  }

  /**
   * Gives up to {@link #PER_BEAT} waiting nicks up, oldest first, so that a beat stays well within
   * the node key's lifetime; throws when Redis is still out of reach.
   */
  void retry() {
    int done = 0;
    for (Leave leave; done++ < PER_BEAT && (leave = next()) != null; ) {
      members.leave(leave.room(), leave.nickKey(), leave.token());
      done(leave);
    }
  }

  private synchronized Leave next() {
    return pending.peekFirst();
  }

  private synchronized void done(Leave leave) {
    pending.remove(leave);
  }
}
