package dev.parley.hub;

import dev.parley.message.ServerMessage;
import dev.parley.message.ServerMessage.ChatMessage;
import dev.parley.message.ServerMessage.Joined;
import dev.parley.message.ServerMessage.Left;
import java.util.List;

/**
 * What a broker publishes on a room, to every node. {@code seq} numbers a room's changes (messages
 * and presence) so that a node can tell which of them a member's welcome already covered.
 */
public sealed interface BrokerEvent {

  /** A numbered, stored message. */
  record Message(String epoch, long seq, ChatMessage message) implements BrokerEvent {}

  /** Someone joined or left; {@code members} is the whole room after the change. */
  record Presence(boolean joined, long seq, String name, List<String> members)
      implements BrokerEvent {

    /** What the members are told. */
    public ServerMessage frame() {
      return joined ? new Joined(name, members) : new Left(name, members);
    }
  }

  /** A token takeover: the member holding the nick with {@code token} lost it. */
  record Replaced(long seq, String name, String token) implements BrokerEvent {}

  /** Someone is typing; every node tells its members but that one. */
  record Typing(String name) implements BrokerEvent {}

  /** A whisper for the member holding {@code nickKey} with {@code token}, already encoded. */
  record Whisper(String nickKey, String token, String frame) implements BrokerEvent {}
}
