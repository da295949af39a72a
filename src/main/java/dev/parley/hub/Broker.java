package dev.parley.hub;

import dev.parley.message.ServerMessage.ChatMessage;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Numbers, stores and carries the events of rooms. One node keeps them in memory ({@link
 * MemoryBroker}); several nodes share them through Redis. Either publishes every event to every
 * node's {@link BrokerListener}, and the {@link Hub} delivers them the same way.
 *
 * <p>Methods that reach a remote store throw {@link BrokerUnavailableException} when it cannot be
 * reached within its command timeout; none is ever called under a hub room's lock.
 */
public interface Broker extends AutoCloseable {

  /** How long a member's {@code cid} is remembered, so that a say sent again is not numbered. */
  long CID_MEMORY_MILLIS = 5 * 60 * 1000;

  /** Where events go; set once, before any other call. */
  void listen(BrokerListener listener);

  /** Claims the member's nick and reads its welcome's history in the same step. */
  Claim join(String room, JoinRequest request);

  /**
   * Gives the nick up if the member still holds it; the room learns it left. Never throws: a broker
   * that cannot be reached gives it up later.
   */
  void leave(String room, Member member);

  /** Numbers and publishes a message said by the member, unless its {@code cid} was said. */
  Said say(String room, Member member, String text, String cid);

  /**
   * Passes a whisper to the member holding {@code nickKey} on another node. Returns the frame, made
   * with the holder's name as stored, or empty when nobody holds the nick.
   */
  Optional<String> whisper(String room, String nickKey, Function<String, String> frameFor);

  /**
   * Passes a client frame to the member of the room holding {@code token} on another node (a POST
   * of an event stream may land on any node): its node gets a {@link BrokerEvent.Relayed}. Returns
   * false when no member of the room holds the token.
   */
  boolean relay(String room, String token, String frame);

  /** Tells every node that this member is typing; lost without error when out of reach. */
  void typing(String room, String name);

  /** Up to {@code limit} messages with ids below {@code before}, oldest first. */
  List<ChatMessage> before(String room, long before, int limit);

  /**
   * Up to {@code limit} nicks of the room in join order, after the one with {@code afterKey} (from
   * the first when null or gone), and how many members the room has.
   */
  Roster members(String room, String afterKey, int limit);

  /** The kept messages with ids above {@code after}, oldest first: what a node missed. */
  List<ChatMessage> after(String room, long after);

  /** The epoch of the room's history now, or null when the broker has none. */
  String epoch(String room);

  /** Stops, and waits for its threads and connections to end. */
  @Override
  void close();
}
