package dev.parley.cluster;

import dev.parley.chat.ChatHistory.Replay;
import dev.parley.chat.ChatRooms;
import dev.parley.chat.ClientMessage.Whisper;
import dev.parley.chat.LocalChatRooms;
import dev.parley.chat.RoomsUnavailableException;
import dev.parley.chat.ServerMessage.ChatMessage;
import dev.parley.chat.ServerMessage.Welcome;
import dev.parley.chat.ServerMessage.WhisperMessage;
import dev.parley.chat.ServerMessageEncoder;
import dev.parley.config.Setting;
import dev.parley.config.Settings;
import dev.parley.session.CloseCodes;
import dev.parley.session.Member;
import dev.parley.session.Room;
import dev.parley.session.Room.Admission;
import dev.parley.session.SessionRegistry;
import dev.parley.session.Sessions;
import io.lettuce.core.RedisException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Rooms shared by every node connected to the same Redis ({@code parley.redisUri}). Redis decides
 * who holds a nick and numbers the messages; each node delivers the room's events to its own
 * members ({@link RoomEvents}) and keeps itself known alive ({@link NodeHeartbeat}).
 */
@ApplicationScoped
@Typed(RedisChatRooms.class) // offered as ChatRooms only by ChatRoomsProducer
public class RedisChatRooms implements ChatRooms {

  /** The setting that names the Redis server, e.g. {@code redis://127.0.0.1:6379}. */
  public static final String SETTING = "redisUri";

  private static final System.Logger LOG = System.getLogger(RedisChatRooms.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A member whose nick could not be given up in Redis yet. */
  private record PendingLeave(String room, String nickKey, String token) {}

  private final SessionRegistry registry;
  private final Settings settings;
  private final ServerMessageEncoder encoder = new ServerMessageEncoder();
  private final Queue<PendingLeave> pendingLeaves = new ConcurrentLinkedQueue<>();
  private RedisLink redis;
  private RedisChatHistory history;
  private RedisMembers members;
  private RoomEvents events;
  private NodeHeartbeat heartbeat;

  @Inject
  public RedisChatRooms(SessionRegistry registry, Settings settings) {
    this.registry = registry;
    this.settings = settings;
  }

  /** For CDI's client proxy only. */
  protected RedisChatRooms() {
    this(null, null);
  }

  @PostConstruct
  void connect() {
    String node = newNodeId();
    // Nothing connects before the heartbeat starts, below: by then every part exists.
    redis =
        new RedisLink(
            settings.text(SETTING),
            (channel, event) -> events.received(channel, event),
            () -> events.catchUp());
    history = new RedisChatHistory(redis::commands, settings.getInt(Setting.HISTORY_SIZE));
    members = new RedisMembers(redis::commands, node, history.json());
    events = new RoomEvents(registry, history, this::drop);
    heartbeat =
        new NodeHeartbeat(
            members,
            new NodeHeartbeat.Tasks() {
              @Override
              public void registerAgain() {
                RedisChatRooms.this.registerAgain();
              }

              @Override
              public void retryLeaves() {
                RedisChatRooms.this.retryLeaves();
              }
            });
    heartbeat.start();
    LOG.log(Level.INFO, "Node {0} shares its rooms through Redis", node);
  }

  @PreDestroy
  void disconnect() {
    heartbeat.close();
    events.close();
    try {
      members.stop();
    } catch (RedisException e) {
      LOG.log(Level.DEBUG, "Could not remove this node's key; it expires: {0}", e);
    }
    redis.close();
  }

  @Override
  public Admission join(
      String room, Member member, String presentedToken, Long since, String epoch) {
    int maxMembers = settings.getInt(Setting.MAX_MEMBERS_PER_ROOM);
    return registry.join(
        room,
        member,
        presentedToken,
        maxMembers,
        (local, outcome) -> {
          if (!(outcome instanceof Admission.Admitted admitted)) {
            return outcome;
          }
          RedisMembers.Claim claim;
          try {
            claim =
                members.join(
                    room,
                    member,
                    presentedToken,
                    maxMembers,
                    since,
                    epoch,
                    settings.getInt(Setting.WELCOME_HISTORY));
          } catch (RedisException e) {
            undo(room, member, admitted);
            throw new RoomsUnavailableException("Redis did not answer a join", e);
          }
          if (!(claim instanceof RedisMembers.Claim.Admitted claimed)) {
            undo(room, member, admitted);
            return claim instanceof RedisMembers.Claim.Full
                ? new Admission.RoomFull()
                : new Admission.NickTaken();
          }
          welcome(local, member, claimed, since, epoch, admitted.replaced());
          return outcome;
        });
  }

  /**
   * Takes back a local admission that Redis did not confirm. A member it replaced on this node has
   * lost its place here too, so it is closed to reconnect rather than left hanging.
   */
  private void undo(String room, Member member, Admission.Admitted admitted) {
    registry.leave(room, member, local -> events.forget(room, member, local.size() == 0));
    admitted
        .replaced()
        .ifPresent(
            stale -> {
              events.forget(room, stale, false);
              events.closeLater(room, List.of(stale), RoomEvents.NOT_CONFIRMED);
            });
  }

  private void welcome(
      Room local,
      Member member,
      RedisMembers.Claim.Admitted claimed,
      Long since,
      String epoch,
      Optional<Member> replaced) {
    String room = local.name();
    Replay replay = history.replayOf(room, claimed.history(), since, epoch);
    RoomView view = events.viewForJoin(room, replay.epoch(), replay.last());
    replaced.ifPresent(view::forget);
    view.admit(member, claimed.seq(), replay.last());
    member
        .outbox()
        .offer(
            encoder.encode(
                new Welcome(
                    room,
                    member.name(),
                    member.token(),
                    replay.epoch(),
                    claimed.members(),
                    replay.messages(),
                    replay.last(),
                    replay.complete())));
  }

  @Override
  public boolean leave(String room, Member member) {
    boolean removed =
        registry.leave(room, member, local -> events.forget(room, member, local.size() == 0));
    if (removed) {
      try {
        members.leave(room, member.key(), member.token());
      } catch (RedisException e) {
        LOG.log(
            Level.INFO, "{0} left room {1}; Redis learns it later: {2}", member.name(), room, e);
        pendingLeaves.add(new PendingLeave(room, member.key(), member.token()));
      }
    }
    return removed;
  }

  @Override
  public void say(String room, Member member, String text, String cid) {
    RedisChatHistory.Said said;
    try {
      said = history.appendAs(room, member.key(), member.token(), member.name(), text, cid);
    } catch (RedisException e) {
      throw new RoomsUnavailableException("Redis did not number a message", e);
    }
    if (said == RedisChatHistory.Said.ABSENT) {
      heartbeat.registerAgainSoon();
      throw new RoomsUnavailableException("Redis does not know " + member.name() + " yet", null);
    }
    if (said == RedisChatHistory.Said.REPLACED) {
      // The takeover's event never reached this node (its subscription was down): close now.
      drop(room, member, new CloseReason(CloseCodes.REPLACED, RoomEvents.REPLACED));
    }
  }

  @Override
  public boolean whisper(String room, Member sender, Whisper whisper) {
    Optional<Optional<Member>> local =
        registry
            .inRoom(
                room,
                here ->
                    LocalChatRooms.holdsNick(here, sender)
                        ? Optional.of(here.find(whisper.to()))
                        : Optional.<Optional<Member>>empty())
            .flatMap(found -> found);
    if (local.isEmpty()) {
      return false; // the sender no longer holds its nick
    }
    if (local.get().isPresent()) {
      Member recipient = local.get().get();
      String frame = whisperFrame(sender, recipient.name(), whisper);
      recipient.outbox().offer(frame);
      if (recipient != sender) {
        sender.outbox().offer(frame);
      }
      return true;
    }
    try {
      JsonObject holder = members.holder(room, Member.keyOf(whisper.to()));
      if (holder == null) {
        return false;
      }
      String frame = whisperFrame(sender, holder.getString("name"), whisper);
      JsonObject event =
          Json.createObjectBuilder()
              .add("kind", "whisper")
              .add("to", Member.keyOf(whisper.to()))
              .add("token", holder.getString("token"))
              .add("frame", frame)
              .build();
      redis.commands().publish(Keys.events(room), event.toString());
      sender.outbox().offer(frame);
      return true;
    } catch (RedisException e) {
      throw new RoomsUnavailableException("Redis did not pass a whisper on", e);
    }
  }

  private String whisperFrame(Member sender, String to, Whisper whisper) {
    return encoder.encode(
        new WhisperMessage(sender.name(), to, whisper.text(), LocalChatRooms.now(), whisper.cid()));
  }

  @Override
  public void typing(String room, Member member) {
    boolean holds =
        registry.inRoom(room, here -> LocalChatRooms.holdsNick(here, member)).orElse(false);
    if (holds) {
      JsonObject event =
          Json.createObjectBuilder().add("kind", "typing").add("name", member.name()).build();
      try {
        // fire and forget: a typing notice lost in an outage is not worth an error
        redis.async().publish(Keys.events(room), event.toString());
      } catch (RedisException e) {
        LOG.log(Level.DEBUG, "Typing notice not published in room {0}: {1}", room, e);
      }
    }
  }

  @Override
  public List<ChatMessage> before(String room, long before, int limit) {
    try {
      return history.before(room, before, limit);
    } catch (RedisException e) {
      throw new RoomsUnavailableException("Redis did not answer a history request", e);
    }
  }

  /** Removes a local member everywhere and closes its connection. */
  private void drop(String room, Member member, CloseReason reason) {
    leave(room, member);
    Sessions.close(member.outbox().session(), reason);
  }

  /**
   * Registers every local member again after Redis forgot this node: a member whose nick someone
   * else took meanwhile is closed with 4001; a room whose history began again, with 1012.
   */
  private void registerAgain() {
    int maxMembers = settings.getInt(Setting.MAX_MEMBERS_PER_ROOM);
    for (String room : events.rooms()) {
      List<Member> replaced = new ArrayList<>();
      List<Member> reset = new ArrayList<>();
      registry.inRoom(
          room,
          local -> {
            RoomView view = events.view(room);
            if (view == null) {
              return null;
            }
            for (Member member : view.members()) {
              RedisMembers.Claim claim =
                  members.join(room, member, member.token(), maxMembers, null, null, 0);
              if (claim instanceof RedisMembers.Claim.Admitted again) {
                String epoch = (String) again.history().get(0);
                if (!epoch.equals(view.epoch())) {
                  reset.addAll(view.members());
                  return null;
                }
                view.admit(member, again.seq(), view.lastId());
              } else if (!(claim instanceof RedisMembers.Claim.Kept)) {
                replaced.add(member);
              }
            }
            return null;
          });
      for (Member member : replaced) {
        drop(room, member, new CloseReason(CloseCodes.REPLACED, RoomEvents.REPLACED));
      }
      if (!reset.isEmpty()) {
        events.closeLater(room, reset, RoomEvents.HISTORY_RESET);
      }
    }
  }

  private void retryLeaves() {
    for (PendingLeave leave; (leave = pendingLeaves.peek()) != null; ) {
      members.leave(leave.room(), leave.nickKey(), leave.token()); // throws while still out
      pendingLeaves.remove(leave);
    }
  }

  private static String newNodeId() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
