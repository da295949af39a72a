package dev.parley.hub;

/** The outcome of asking a room for a nick. */
public sealed interface Admission {

  /** The nick is now held by the member; its welcome is queued. */
  record Admitted() implements Admission {}

  /** Another connection holds the nick and the token did not match. */
  record NickTaken() implements Admission {}

  /** The room holds as many members as it may. */
  record RoomFull() implements Admission {}
}
