package dev.parley.hub;

/**
 * A member asking a broker for its nick.
 *
 * @param presentedToken the token of the connection it takes over, or null
 * @param since the last message id the client saw, or null when it does not resume
 * @param epoch the epoch of {@code since}, or null
 * @param latest how many of the newest messages a welcome carries when not resuming
 * @param listLimit how many nicks a welcome names at most
 */
public record JoinRequest(
    Member member,
    String presentedToken,
    int maxMembers,
    Long since,
    String epoch,
    int latest,
    int listLimit) {

  /** Registering a member again with its own token: its welcome was sent long ago. */
  public static JoinRequest again(Member member, int maxMembers) {
    return new JoinRequest(member, member.token(), maxMembers, null, null, 0, 0);
  }
}
