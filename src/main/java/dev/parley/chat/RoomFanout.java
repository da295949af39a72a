package dev.parley.chat;

/**
 * Delivers an encoded frame to every member of a room. One node delivers to its own sessions; a
 * fan-out shared by several nodes can take its place without the chat logic changing.
 */
public interface RoomFanout {

  /** Delivers {@code frame} to every member; frames of one room arrive in the order published. */
  void publish(String room, String frame);
}
