package dev.parley.cluster;

import dev.parley.chat.LocalChatRooms;
import dev.parley.chat.ServerMessage;
import dev.parley.chat.ServerMessage.ChatMessage;
import dev.parley.chat.ServerMessage.Joined;
import dev.parley.chat.ServerMessage.Left;
import dev.parley.chat.ServerMessage.TypingNotice;
import dev.parley.chat.ServerMessageEncoder;
import dev.parley.session.CloseCodes;
import dev.parley.session.Member;
import dev.parley.session.Room;
import dev.parley.session.SessionRegistry;
import io.lettuce.core.RedisException;
import jakarta.websocket.CloseReason;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Delivers the rooms' events to this node's members. Events arrive on a Lettuce thread, which must
 * never block, and are handed to one thread of our own that takes each room's lock in turn: every
 * local member gets a room's events in publish order, each encoded once for all of them. A message
 * whose predecessors did not arrive (the subscription was down) is preceded by them, read from the
 * room's log; a room whose history Redis lost has its members closed with 1012 so that they resume.
 */
final class RoomEvents implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(RoomEvents.class.getName());

  /** Reason sent with 1012 when the room's history began again in Redis (it lost its data). */
  static final String HISTORY_RESET = "Chat history was reset; reconnect to resume";

  /** Reason sent with 1012 when messages were missed and can no longer be read back. */
  static final String MISSED = "Messages were missed; reconnect to resume";

  /** Reason sent with 1012 when a takeover on this node could not be confirmed in Redis. */
  static final String NOT_CONFIRMED = "Your connection could not be confirmed; reconnect to resume";

  /** Reason sent with 4001 to the connection a takeover on another node replaced. */
  static final String REPLACED = "Replaced by a newer connection of the same member";

  /** Removes a local member from its room everywhere and closes its connection. */
  interface Drop {
    void drop(String room, Member member, CloseReason reason);
  }

  private final SessionRegistry registry;
  private final RedisChatHistory history;
  private final Drop drop;
  private final ServerMessageEncoder encoder = new ServerMessageEncoder();
  private final ConcurrentMap<String, RoomView> views = new ConcurrentHashMap<>();
  private final ExecutorService inbox =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "parley-room-events");
            thread.setDaemon(true);
            return thread;
          });

  RoomEvents(SessionRegistry registry, RedisChatHistory history, Drop drop) {
    this.registry = registry;
    this.history = history;
    this.drop = drop;
  }

  /** An event arrived from Redis; called on a Lettuce thread. */
  void received(String channel, String payload) {
    inbox.execute(() -> handle(Keys.roomOf(channel), payload));
  }

  /**
   * The view of a room for a member joining now, under the room's lock. A view whose epoch is not
   * the room's any more belonged to a history Redis lost: its members are closed to resume.
   */
  RoomView viewForJoin(String room, String epoch, long lastId) {
    RoomView view = views.get(room);
    if (view != null && view.epoch().equals(epoch)) {
      return view;
    }
    if (view != null) {
      List<Member> stale = view.members();
      inbox.execute(() -> closeAll(room, stale, HISTORY_RESET));
    }
    RoomView fresh = new RoomView(epoch, lastId);
    views.put(room, fresh);
    return fresh;
  }

  /** The view of a room with local members, or null. Under the room's lock. */
  RoomView view(String room) {
    return views.get(room);
  }

  /**
   * A local member left; the view goes once the room has no local member. Under the room's lock.
   */
  void forget(String room, Member member, boolean roomEmpty) {
    RoomView view = views.get(room);
    if (view != null) {
      view.forget(member);
      if (roomEmpty) {
        views.remove(room, view);
      }
    }
  }

  /** The rooms with local members. */
  List<String> rooms() {
    return List.copyOf(views.keySet());
  }

  /** The subscription is in place again: each room reads what it missed while it was down. */
  void catchUp() {
    for (String room : rooms()) {
      inbox.execute(() -> catchUp(room));
    }
  }

  /** Closes members on the events thread, after what is queued for their room. */
  void closeLater(String room, List<Member> members, String reason) {
    inbox.execute(() -> closeAll(room, members, reason));
  }

  private void handle(String room, String payload) {
    // Not the view: a member may be joining under the room's lock, its view not made yet, and
    // this event may be one its welcome does not cover. The room exists from the join's start.
    if (!registry.hasMembers(room)) {
      return; // nobody here: nothing to deliver
    }
    RoomEvent event;
    try {
      event = RoomEvent.parse(history.json().parse(payload));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Unreadable event in room " + room + ": " + payload, e);
      return;
    }
    List<Runnable> afterwards = new ArrayList<>();
    registry.inRoom(
        room,
        members -> {
          RoomView view = views.get(room);
          if (view != null) {
            apply(room, members, view, event, afterwards);
          }
          return null;
        });
    afterwards.forEach(Runnable::run);
  }

  private void apply(
      String room, Room members, RoomView view, RoomEvent event, List<Runnable> afterwards) {
    if (event instanceof RoomEvent.Message message) {
      if (!message.epoch().equals(view.epoch())) {
        reset(room, view, HISTORY_RESET, afterwards);
        return;
      }
      ChatMessage said = history.read(room, message.message());
      if (said.id() <= view.lastId()) {
        return; // delivered already: read back after an outage, or covered by welcomes
      }
      if (said.id() > view.lastId() + 1 && !fill(room, members, view, said.id(), afterwards)) {
        return;
      }
      deliver(members, view, said);
    } else if (event instanceof RoomEvent.Presence presence) {
      ServerMessage frame =
          presence.joined()
              ? new Joined(presence.name(), presence.members())
              : new Left(presence.name(), presence.members());
      offer(members, view.after(presence.seq()), encoder.encode(frame));
    } else if (event instanceof RoomEvent.Replaced replaced) {
      // a takeover on this node replaced the member locally already: its token differs then
      members
          .find(replaced.name())
          .filter(stale -> stale.token().equals(replaced.token()))
          .ifPresent(
              stale ->
                  afterwards.add(
                      () ->
                          drop.drop(room, stale, new CloseReason(CloseCodes.REPLACED, REPLACED))));
    } else if (event instanceof RoomEvent.Typing typing) {
      String typist = Member.keyOf(typing.name());
      offer(
          members,
          view.members().stream().filter(member -> !member.key().equals(typist)).toList(),
          encoder.encode(new TypingNotice(typing.name())));
    } else if (event instanceof RoomEvent.Whisper whisper) {
      members
          .find(whisper.nickKey())
          .filter(target -> target.token().equals(whisper.token()))
          .ifPresent(target -> target.outbox().offer(whisper.frame()));
    }
  }

  /**
   * Delivers the messages between the last one delivered here and {@code id} from the room's log.
   * When they cannot be read back, the members are closed so that they resume rather than miss
   * them; returns false then.
   */
  private boolean fill(
      String room, Room members, RoomView view, long id, List<Runnable> afterwards) {
    try {
      for (ChatMessage missed : history.after(room, view.lastId())) {
        if (missed.id() >= id) {
          break;
        }
        if (missed.id() != view.lastId() + 1) {
          break; // trimmed from the log meanwhile
        }
        deliver(members, view, missed);
      }
    } catch (RedisException e) {
      LOG.log(Level.WARNING, "Could not read back the messages room {0} missed: {1}", room, e);
    }
    if (view.lastId() + 1 == id) {
      return true;
    }
    reset(room, view, MISSED, afterwards);
    return false;
  }

  private void catchUp(String room) {
    List<Runnable> afterwards = new ArrayList<>();
    try {
      registry.inRoom(
          room,
          members -> {
            RoomView view = views.get(room);
            if (view == null) {
              return null;
            }
            if (!view.epoch().equals(history.epoch(room))) {
              reset(room, view, HISTORY_RESET, afterwards);
              return null;
            }
            for (ChatMessage missed : history.after(room, view.lastId())) {
              if (missed.id() != view.lastId() + 1) {
                reset(room, view, MISSED, afterwards);
                return null;
              }
              deliver(members, view, missed);
            }
            return null;
          });
    } catch (RedisException e) {
      LOG.log(Level.INFO, "Room {0} could not catch up yet: {1}", room, e.getMessage());
    }
    afterwards.forEach(Runnable::run);
  }

  private void deliver(Room members, RoomView view, ChatMessage message) {
    offer(members, view.withoutMessage(message.id()), encoder.encode(message));
    view.delivered(message.id());
  }

  private static void offer(Room members, List<Member> recipients, String frame) {
    for (Member member : recipients) {
      if (LocalChatRooms.holdsNick(members, member)) {
        member.outbox().offer(frame);
      }
    }
  }

  private void reset(String room, RoomView view, String reason, List<Runnable> afterwards) {
    views.remove(room, view);
    List<Member> stale = view.members();
    LOG.log(Level.INFO, "Room {0}: {1}; closing {2} local members", room, reason, stale.size());
    afterwards.add(() -> closeAll(room, stale, reason));
  }

  private void closeAll(String room, List<Member> stale, String reason) {
    for (Member member : stale) {
      drop.drop(room, member, new CloseReason(CloseReason.CloseCodes.SERVICE_RESTART, reason));
    }
  }

  @Override
  public void close() {
    inbox.shutdownNow();
    try {
      inbox.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
