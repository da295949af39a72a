package dev.parley.hub;

import dev.parley.message.ServerMessage.ChatMessage;

/**
 * What a broker publishes on a room, to every node. {@code seq} numbers a room's changes (messages
 * and presence) so that a node can tell which of them a member's welcome already covered.
 */
public sealed interface BrokerEvent {

  /** A numbered, stored message. */
  record Message(String epoch, long seq, ChatMessage message) implements BrokerEvent {}

  /** Someone joined or left; {@code count} is the room's size after the change. */
  record Presence(boolean joined, long seq, String name, int count) implements BrokerEvent {}

  /** A token takeover: the member holding the nick with {@code token} lost it. */
  record Replaced(long seq, String name, String token) implements BrokerEvent {}

  /** Someone is typing; every node tells its members but that one. */
  record Typing(String name) implements BrokerEvent {}

  /** A whisper for the member holding {@code nickKey} with {@code token}, already encoded. */
  record Whisper(String nickKey, String token, String frame) implements BrokerEvent {}

  /** A client frame for the member holding {@code nickKey} with {@code token}, as it was sent. */
  record Relayed(String nickKey, String token, String frame) implements BrokerEvent {}
}
