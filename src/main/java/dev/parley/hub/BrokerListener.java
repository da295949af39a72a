package dev.parley.hub;

import java.util.List;

/**
 * How a broker reaches this node's hub. A room's events must be handed over one at a time, in the
 * order the broker numbered them.
 */
public interface BrokerListener {

  /** Reason sent with 1012 when the room's history began again (the broker lost it). */
  String HISTORY_RESET = "Chat history was reset; reconnect to resume";

  /** Reason sent with 1012 when messages were missed and can no longer be read back. */
  String MISSED = "Messages were missed; reconnect to resume";

  /** An event of {@code room}. */
  void event(String room, BrokerEvent event);

  /**
   * Events may have been missed (a subscription was down): each room reads back what it missed, or
   * has its members reconnect. Returns false when the broker could not answer for every room: call
   * again later.
   */
  boolean catchUp();

  /** The same for one room whose events were dropped (the node could not keep up). */
  boolean catchUp(String room);

  /** The room's local members are closed with 1012 so that they resume: {@code reason} says why. */
  void reset(String room, String reason);

  /** The member lost its nick while the broker could not tell (closed with 4001). */
  void replaced(String room, Member member);

  /**
   * The member could not get its nick back after the broker lost it, as the room filled up
   * meanwhile: it is closed with 1013 and tries again later.
   */
  void roomFull(String room, Member member);

  /** The members of this node, room by room, to register them again after the broker lost them. */
  List<LocalRoom> localMembers();

  /** One room's members on this node. */
  record LocalRoom(String room, String epoch, List<Member> members) {}
}
