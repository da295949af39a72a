package dev.parley.chat;

import dev.parley.hub.Member;

/** The state of one chat connection: who it is, where, and how fast it may speak. */
public final class ChatConnection {

  private final String room;
  private final Member member;
  private final TokenBucket rate;
  private final long typingIntervalNanos;
  private long lastTypingNanos;
  private int consecutiveRateStrikes;
  private boolean typingSent;
  private volatile TokenLeases.Lease lease;
  private volatile boolean ended;

  ChatConnection(String room, Member member, TokenBucket rate, long typingIntervalNanos) {
    this.room = room;
    this.member = member;
    this.rate = rate;
    this.typingIntervalNanos = typingIntervalNanos;
  }

  public String room() {
    return room;
  }

  public Member member() {
    return member;
  }

  /** Counts a frame against the rate; returns the strikes in a row so far, 0 when allowed. */
  synchronized int charge() {
    if (rate.tryTake()) {
      consecutiveRateStrikes = 0;
    } else {
      consecutiveRateStrikes++;
    }
    return consecutiveRateStrikes;
  }

  /** The token this connection holds, when authentication is on; null otherwise. */
  TokenLeases.Lease lease() {
    return lease;
  }

  void lease(TokenLeases.Lease lease) {
    this.lease = lease;
  }

  /** The connection is closed: no lease may start any more. */
  void end() {
    ended = true;
  }

  boolean ended() {
    return ended;
  }

  /** Whether a {@code typing} notice may go out now; at most one per interval. */
  synchronized boolean typingAllowed(long nowNanos) {
    if (typingSent && nowNanos - lastTypingNanos < typingIntervalNanos) {
      return false;
    }
    typingSent = true;
    lastTypingNanos = nowNanos;
    return true;
  }
}
