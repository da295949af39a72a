package dev.parley.hub;

import dev.parley.message.ServerMessage.ChatMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One room in the memory broker: who holds which nick, the event counter, the history and the
 * {@code cid}s said lately. Used under the room's monitor only.
 */
final class MemoryRoom {

  /**
   * A nick's holder. {@code origin} is the token of the member's first connection: it stays the
   * same through takeovers, so that a {@code cid} sent again after a reconnect is recognised.
   */
  record Holder(String name, String token, String origin) {}

  private record Said(ChatMessage message, long expiresAtMillis) {}

  private record Departed(String origin, long expiresAtMillis) {}

  final RoomHistory history;
  private final Map<String, Holder> members = new LinkedHashMap<>();
  private final Map<String, Said> cids = new LinkedHashMap<>();
  private final Map<String, Departed> departed = new LinkedHashMap<>();
  private long seq;

  MemoryRoom(RoomHistory history) {
    this.history = history;
  }

  long nextSeq() {
    return ++seq;
  }

  Holder holder(String nickKey) {
    return members.get(nickKey);
  }

  void hold(String nickKey, Holder holder) {
    members.put(nickKey, holder);
  }

  /**
   * Gives the nick up if {@code token} holds it. Its origin is remembered until {@code
   * rememberUntilMillis}: the member reconnecting with that token is still the same member.
   */
  boolean release(String nickKey, String token, long rememberUntilMillis) {
    Holder holder = members.get(nickKey);
    if (holder == null || !holder.token().equals(token)) {
      return false;
    }
    members.remove(nickKey);
    departed(nickKey, holder, rememberUntilMillis);
    return true;
  }

  /** The holder's connection is gone; its token still names its member for a while. */
  void departed(String nickKey, Holder holder, long rememberUntilMillis) {
    departed.put(
        nickKey + ' ' + holder.token(), new Departed(holder.origin(), rememberUntilMillis));
  }

  /** The origin of the member that left holding the nick with {@code token} lately, or null. */
  String originOfDeparted(String nickKey, String token, long nowMillis) {
    Iterator<Departed> oldestFirst = departed.values().iterator();
    while (oldestFirst.hasNext() && oldestFirst.next().expiresAtMillis() <= nowMillis) {
      oldestFirst.remove();
    }
    Departed gone = token == null ? null : departed.get(nickKey + ' ' + token);
    return gone == null ? null : gone.origin();
  }

  int size() {
    return members.size();
  }

  boolean isEmpty() {
    return members.isEmpty();
  }

  /** Up to {@code limit} nicks in join order, after {@code afterKey} (from the first if null). */
  List<String> names(String afterKey, int limit) {
    List<String> names = new ArrayList<>(Math.min(limit, members.size()));
    boolean started = afterKey == null || !members.containsKey(afterKey);
    for (Map.Entry<String, Holder> entry : members.entrySet()) {
      if (names.size() >= limit) {
        break;
      }
      if (started) {
        names.add(entry.getValue().name());
      } else if (entry.getKey().equals(afterKey)) {
        started = true;
      }
    }
    return names;
  }

  /** The message this origin said with {@code cid} lately, or null. */
  ChatMessage said(String origin, String cid, long nowMillis) {
    forgetExpired(nowMillis);
    Said said = cids.get(origin + ' ' + cid);
    return said == null ? null : said.message();
  }

  void remember(String origin, ChatMessage message, long expiresAtMillis) {
    cids.put(origin + ' ' + message.cid(), new Said(message, expiresAtMillis));
  }

  /** Entries expire in the order they were said: the oldest are first. */
  private void forgetExpired(long nowMillis) {
    Iterator<Said> oldestFirst = cids.values().iterator();
    while (oldestFirst.hasNext() && oldestFirst.next().expiresAtMillis() <= nowMillis) {
      oldestFirst.remove();
    }
  }
}
