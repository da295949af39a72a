package dev.parley.hub;

import java.util.List;

/** A broker's answer to a claim of a nick. */
public sealed interface Claim {

  /**
   * The nick is the member's now.
   *
   * @param seq the room event that admitted it: its welcome covers every event up to this one
   * @param members the room's first nicks, in join order, up to the request's list limit
   * @param count how many members the room has, this one included
   * @param replay the history for its welcome, read in the same step
   */
  record Admitted(long seq, List<String> members, int count, Replay replay) implements Claim {}

  /** The member already held the nick with this token (a node registering its members again). */
  record Kept() implements Claim {}

  /** Someone else holds the nick and the token did not match. */
  record Taken() implements Claim {}

  /** The room is full. */
  record Full() implements Claim {}
}
