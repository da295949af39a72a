package dev.parley.hub;

import dev.parley.message.ServerMessage.ChatMessage;

/** What a broker made of a {@code say}. */
public sealed interface Said {

  /** Numbered, stored and published to every node; it reaches the sender as an event. */
  record Accepted() implements Said {}

  /**
   * The member already said this {@code cid} (within {@link Broker#CID_MEMORY_MILLIS}): nothing was
   * numbered, and only the sender gets the original message again.
   */
  record Duplicate(ChatMessage original) implements Said {}

  /** A newer connection took the nick over; this one speaks for nobody. */
  record Replaced() implements Said {}

  /** The broker does not know the member (it lost its data); it is registered again soon. */
  record Unknown() implements Said {}
}
