package dev.parley.chat;

import dev.parley.chat.ServerMessage.ChatMessage;
import java.util.List;

/**
 * Where the messages of each room are numbered and kept. One node keeps them in memory; a store
 * shared by several nodes can take its place without the chat logic changing.
 */
public interface ChatHistory {

  /**
   * Numbers and stores a message said now; the id is greater than every earlier one in the room.
   */
  ChatMessage append(String room, String from, String text, String cid);

  /**
   * What a joining client receives: everything after {@code since} when it resumes within the same
   * epoch, otherwise the latest {@code latest} messages.
   *
   * @param since the last id the client saw, or {@code null} when it does not resume
   * @param epoch the epoch of that id, or {@code null}
   */
  Replay replay(String room, Long since, String epoch, int latest);

  /** Up to {@code limit} messages with ids below {@code before}, oldest first. */
  List<ChatMessage> before(String room, long before, int limit);

  /**
   * A room's messages as a joining client gets them.
   *
   * @param epoch the life of the room's history that the ids belong to
   * @param messages oldest first
   * @param last the newest id of the room, 0 when nothing was said
   * @param complete false when some messages the client asked for can no longer be replayed
   */
  record Replay(String epoch, List<ChatMessage> messages, long last, boolean complete) {}
}
