package dev.parley.chat;

import dev.parley.chat.ClientMessage.Whisper;
import dev.parley.chat.ServerMessage.ChatMessage;
import dev.parley.session.Member;
import dev.parley.session.Room.Admission;
import java.util.List;

/**
 * What a room shares beyond one connection: who holds which nick, the numbered messages and their
 * delivery. One node keeps it in memory ({@link LocalChatRooms}); several nodes share it through
 * Redis. The chat protocol ({@link ChatService}) is the same on top of either.
 */
public interface ChatRooms {

  /**
   * Asks the room for the member's nick. When admitted, the member's welcome is queued before any
   * later frame of the room, and the others learn of the join (not of a token takeover).
   *
   * @throws RoomsUnavailableException when the shared state cannot be reached
   */
  Admission join(String room, Member member, String presentedToken, Long since, String epoch);

  /**
   * Removes the member if it still holds its nick, and tells the others. Returns whether it did.
   */
  boolean leave(String room, Member member);

  /**
   * Numbers the text as the room's next message and delivers it to every member, the sender
   * included. Nothing happens when the member no longer holds its nick (taken over).
   *
   * @throws RoomsUnavailableException when the message could not be accepted: it was not numbered
   */
  void say(String room, Member member, String text, String cid);

  /** Sends a whisper to its target and back to the sender; false when nobody has that nick. */
  boolean whisper(String room, Member sender, Whisper whisper);

  /** Tells the others that this member is typing. */
  void typing(String room, Member member);

  /** Up to {@code limit} messages of the room with ids below {@code before}, oldest first. */
  List<ChatMessage> before(String room, long before, int limit);
}
