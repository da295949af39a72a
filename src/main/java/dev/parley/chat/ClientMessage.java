package dev.parley.chat;

import dev.parley.message.ErrorCode;

/** What a chat client may send, decoded from one text frame. */
public sealed interface ClientMessage {

  /** A message to everyone in the room. */
  record Say(String text, String cid) implements ClientMessage {}

  /** A message to one member, echoed to the sender, never stored. */
  record Whisper(String to, String text, String cid) implements ClientMessage {}

  /** "I am typing", relayed to the others at most once per interval. */
  record Typing() implements ClientMessage {}

  /** A newer token for the same subject, which extends an authenticated connection. */
  record Refresh(String token) implements ClientMessage {}

  /**
   * Older messages than {@code before}, at most {@code limit} of them.
   *
   * @param before the id to page back from; {@link Long#MAX_VALUE} for the newest
   */
  record HistoryRequest(long before, int limit) implements ClientMessage {}

  /**
   * The room's nicks in join order after {@code after} (from the first when null), at most {@code
   * limit}: the rest of a list too long for the welcome.
   */
  record MembersRequest(String after, int limit) implements ClientMessage {}

  /** A frame larger than the limit; the connection is closed with 1009. */
  record Oversized(long maxBytes) implements ClientMessage {}

  /**
   * A frame that could not be understood. The decoder returns it instead of throwing, because what
   * a container does with a {@code DecodeException} varies, and the connection must stay open.
   */
  record Invalid(ErrorCode code, String detail, String cid) implements ClientMessage {}
}
