package dev.parley.cluster;

import dev.parley.config.Setting;
import dev.parley.config.Settings;
import dev.parley.hub.Broker;
import dev.parley.hub.BrokerListener;
import dev.parley.hub.BrokerUnavailableException;
import dev.parley.hub.Claim;
import dev.parley.hub.Ids;
import dev.parley.hub.JoinRequest;
import dev.parley.hub.Member;
import dev.parley.hub.Roster;
import dev.parley.hub.Said;
import dev.parley.message.ServerMessage.ChatMessage;
import io.lettuce.core.RedisException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The broker shared by every node connected to the same Redis ({@code parley.redisUri}). Redis
 * decides who holds a nick and numbers the messages, each change one Lua script that also publishes
 * the room's event; every node hands the events to its own hub ({@link EventInbox}) and keeps
 * itself known alive ({@link NodeHeartbeat}). Every command fails within {@link
 * RedisLink#COMMAND_TIMEOUT}.
 */
public final class RedisBroker implements Broker {

  /** The setting that names the Redis server, e.g. {@code redis://127.0.0.1:6379}. */
  public static final String SETTING = "redisUri";

  private static final System.Logger LOG = System.getLogger(RedisBroker.class.getName());

  private final Settings settings;
  private final RedisLink redis;
  private final RedisHistory history;
  private final RedisMembers members;
  private final EventInbox inbox;
  private final PendingLeaves pendingLeaves;
  private final NodeHeartbeat heartbeat;
  private volatile BrokerListener listener;
  private volatile boolean catchUpPending;

  public RedisBroker(Settings settings) {
    this.settings = settings;
    String node = Ids.random(6);
    long idle = settings.get(Setting.ROOM_IDLE_MILLIS);
    history = new RedisHistory(this::commands, settings.getInt(Setting.HISTORY_SIZE), idle);
    inbox = new EventInbox(history.json());
    redis = new RedisLink(settings.text(SETTING), inbox::received, this::catchUpSoon);
    members = new RedisMembers(this::commands, node, history, idle);
    pendingLeaves = new PendingLeaves(members);
    heartbeat =
        new NodeHeartbeat(
            members,
            this::registerAgain,
            () -> {
              pendingLeaves.retry();
              if (catchUpPending) {
                catchUpSoon();
              }
            });
    LOG.log(Level.INFO, "Node {0} shares its rooms through Redis", node);
  }

  /** Starts the heartbeat once the hub listens: registering again needs it. */
  @Override
  public void listen(BrokerListener listener) {
    this.listener = listener;
    inbox.listen(listener);
    heartbeat.start();
  }

  @Override
  public Claim join(String room, JoinRequest request) {
    return call("a join", () -> members.join(room, request));
  }

  @Override
  public void leave(String room, Member member) {
    try {
      members.leave(room, member.key(), member.token());
    } catch (RedisException e) {
      LOG.log(Level.INFO, "{0} left room {1}; Redis learns it later: {2}", member.name(), room, e);
      pendingLeaves.add(room, member);
    }
  }

  @Override
  public Said say(String room, Member member, String text, String cid) {
    Said said =
        call(
            "a message",
            () -> history.appendAs(room, member.key(), member.token(), member.name(), text, cid));
    if (said instanceof Said.Unknown) {
      heartbeat.registerAgainSoon();
    }
    return said;
  }

  @Override
  public Optional<String> whisper(String room, String nickKey, Function<String, String> frameFor) {
    return call(
        "a whisper",
        () -> {
          JsonObject holder = members.holder(room, nickKey);
          if (holder == null) {
            return Optional.empty();
          }
          String frame = frameFor.apply(holder.getString("name"));
          JsonObject event =
              Json.createObjectBuilder()
                  .add("kind", "whisper")
                  .add("to", nickKey)
                  .add("token", holder.getString("token"))
                  .add("frame", frame)
                  .build();
          // not waited for: the caller has had its one command timeout already
          redis.async().publish(Keys.events(room), event.toString());
          return Optional.of(frame);
        });
  }

  @Override
  public boolean relay(String room, String token, String frame) {
    return call("a relayed frame", () -> members.relay(room, token, frame));
  }

  @Override
  public void typing(String room, String name) {
    JsonObject event = Json.createObjectBuilder().add("kind", "typing").add("name", name).build();
    try {
      // fire and forget: a typing notice lost in an outage is not worth an error
      redis.async().publish(Keys.events(room), event.toString());
    } catch (RedisException e) {
      LOG.log(Level.DEBUG, "Typing notice not published in room {0}: {1}", room, e);
    }
  }

  @Override
  public List<ChatMessage> before(String room, long before, int limit) {
    return call("a history request", () -> history.before(room, before, limit));
  }

  @Override
  public Roster members(String room, String afterKey, int limit) {
    return call("a members request", () -> members.roster(room, afterKey, limit));
  }

  @Override
  public List<ChatMessage> after(String room, long after) {
    return call("a catch-up", () -> history.after(room, after));
  }

  @Override
  public String epoch(String room) {
    return call("a catch-up", () -> history.epoch(room));
  }

  /** After the events queued so far; at the next heartbeat when the queue is full. */
  private void catchUpSoon() {
    catchUpPending = !inbox.submit(this::catchUp);
  }

  /** Rooms that could not read back what they missed try again at the next heartbeat. */
  private void catchUp() {
    catchUpPending = false;
    if (!listener.catchUp() || !closeReplacedMeanwhile()) {
      catchUpPending = true;
    }
  }

  /**
   * A takeover's event may have been published while the subscription was down: a local member
   * whose nick another token holds now is closed with 4001. Returns false if Redis did not answer.
   */
  private boolean closeReplacedMeanwhile() {
    try {
      for (BrokerListener.LocalRoom local : listener.localMembers()) {
        Map<String, String> tokens = members.tokens(local.room());
        for (Member member : local.members()) {
          String holder = tokens.get(member.key());
          if (holder != null && !holder.equals(member.token())) {
            listener.replaced(local.room(), member);
          }
        }
      }
      return true;
    } catch (RedisException e) {
      return false;
    }
  }

  /**
   * Registers every local member again after Redis forgot this node: a member whose nick someone
   * else took meanwhile is closed with 4001; a room whose history began again, with 1012.
   */
  private void registerAgain() {
    int maxMembers = settings.getInt(Setting.MAX_MEMBERS_PER_ROOM);
    for (BrokerListener.LocalRoom local : listener.localMembers()) {
      for (Member member : local.members()) {
        Claim claim = members.join(local.room(), JoinRequest.again(member, maxMembers));
        if (claim instanceof Claim.Admitted again
            && !again.replay().epoch().equals(local.epoch())) {
          listener.reset(local.room(), BrokerListener.HISTORY_RESET);
          break;
        }
        if (claim instanceof Claim.Taken) {
          listener.replaced(local.room(), member);
        } else if (claim instanceof Claim.Full) {
          listener.roomFull(local.room(), member);
        }
      }
    }
  }

  /** Stops the heartbeat and the event thread, leaves Redis, and waits for the client to close. */
  @Override
  public void close() {
    heartbeat.close();
    inbox.close();
    try {
      members.stop();
    } catch (RedisException e) {
      LOG.log(Level.DEBUG, "Could not remove this node's key; it expires: {0}", e);
    }
    redis.close();
  }

  private io.lettuce.core.api.sync.RedisCommands<String, String> commands() {
    return redis.commands();
  }

  private static <T> T call(String what, Supplier<T> command) {
    try {
      return command.get();
    } catch (RedisException e) {
      throw new BrokerUnavailableException("Redis did not answer " + what, e);
    }
  }
}
