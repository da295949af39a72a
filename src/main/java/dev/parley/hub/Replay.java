package dev.parley.hub;

import dev.parley.message.ServerMessage.ChatMessage;
import java.util.List;

/**
 * A room's messages as a joining client gets them.
 *
 * @param epoch the life of the room's history that the ids belong to
 * @param messages oldest first
 * @param last the newest id of the room, 0 when nothing was said
 * @param complete false when some messages the client asked for can no longer be replayed
 */
public record Replay(String epoch, List<ChatMessage> messages, long last, boolean complete) {

  /**
   * Whether a client resuming after {@code since} in {@code clientEpoch} gets every message it
   * missed, given the oldest id still kept: one rule for every broker.
   */
  public static boolean complete(
      Long since, String clientEpoch, String epoch, long oldestKept, long last) {
    if (since == null) {
      return true;
    }
    return epoch.equals(clientEpoch) && since >= oldestKept - 1 && since <= last;
  }
}
