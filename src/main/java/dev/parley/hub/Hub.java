package dev.parley.hub;

import dev.parley.config.Setting;
import dev.parley.config.Settings;
import dev.parley.message.ServerMessage.ChatMessage;
import dev.parley.message.ServerMessage.WhisperMessage;
import dev.parley.message.ServerMessageEncoder;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * This node's rooms: who is here, and every delivery to them (welcome, messages, presence,
 * whispers, takeovers), written once whatever the {@link Broker}. The hub asks the broker outside
 * any room's lock and applies its answers and events under the lock, so a slow broker holds up the
 * caller only, for at most its command timeout.
 */
@ApplicationScoped
public class Hub {

  private final Broker broker;
  private final Settings settings;
  private final HubRooms rooms = new HubRooms();
  private final Drops drops;
  private final PresenceFlush.Scheduler presence;
  private final EventDelivery delivery;
  private final Welcomes welcomes;
  private final ServerMessageEncoder encoder = new ServerMessageEncoder();

  @Inject
  public Hub(Broker broker, Settings settings) {
    this(broker, settings, Drops.threads(), new PresenceThread());
  }

  /**
   * @param later runs closes, and broker calls that must not hold the calling thread
   * @param presence sends each room's coalesced presence frame at the end of its interval
   */
  Hub(Broker broker, Settings settings, Executor later, PresenceFlush.Scheduler presence) {
    this.broker = broker;
    this.settings = settings;
    this.presence = presence;
    this.drops = broker == null ? null : new Drops(broker, later);
    PresenceFlush flush =
        settings == null
            ? null
            : new PresenceFlush(presence, settings.get(Setting.PRESENCE_INTERVAL_MILLIS));
    this.delivery = broker == null ? null : new EventDelivery(rooms, broker, drops, flush);
    this.welcomes = new Welcomes(delivery, drops, flush);
    if (broker != null) {
      broker.listen(delivery);
    }
  }

  /** For CDI's client proxy only. */
  protected Hub() {
    this(null, null, null, null);
  }

  /** Undeploying waits for the closes and leaves under way. */
  @PreDestroy
  void stop() {
    drops.stop();
    if (presence instanceof PresenceThread thread) {
      thread.stop();
    }
  }

  /**
   * Asks the broker for the member's nick. When admitted, its welcome is queued before any later
   * frame of the room, and the others learn of the join (not of a token takeover).
   *
   * @throws BrokerUnavailableException when the broker cannot be reached: the member is not in
   */
  public Admission join(
      String name, Member member, String presentedToken, Long since, String epoch) {
    HubRooms.Joining joining = rooms.startJoin(name);
    HubRoom room = joining.room();
    Claim claim;
    try {
      claim =
          broker.join(
              name,
              new JoinRequest(
                  member,
                  presentedToken,
                  settings.getInt(Setting.MAX_MEMBERS_PER_ROOM),
                  since,
                  epoch,
                  settings.getInt(Setting.WELCOME_HISTORY),
                  settings.getInt(Setting.PRESENCE_LIST_LIMIT)));
    } catch (RuntimeException e) {
      room.locked(
          () -> {
            rooms.endJoin(room);
            return null;
          });
      // The broker may have given the nick before its reply was lost: give it back, on another
      // thread, so that this one waits on the broker for one command timeout at most.
      drops.leave(name, member, true);
      throw e;
    }
    List<Runnable> afterwards = new ArrayList<>();
    Admission admission =
        room.locked(
            () -> {
              Admission outcome = welcomes.admit(room, joining.mark(), member, claim, afterwards);
              rooms.endJoin(room);
              return outcome;
            });
    afterwards.forEach(Runnable::run);
    return admission;
  }

  /**
   * Removes the member if it still holds its nick here, and gives the nick up in the broker, which
   * tells the others. Returns whether it did.
   */
  public boolean leave(String name, Member member) {
    HubRoom room = rooms.get(name);
    if (room == null) {
      return false;
    }
    boolean underLock = room.heldByCurrentThread();
    boolean removed =
        room.locked(
            () -> {
              if (!room.remove(member)) {
                return false;
              }
              rooms.retireIfUnused(room);
              return true;
            });
    if (removed) {
      drops.leave(name, member, underLock);
    }
    return removed;
  }

  /**
   * Has the broker number the text as the room's next message, which every member gets, the sender
   * included; a {@code cid} said already reaches the sender only, with its first id. Nothing
   * happens when the member no longer holds its nick.
   *
   * @throws BrokerUnavailableException when the message was not numbered
   */
  public void say(String name, Member member, String text, String cid) {
    if (!holds(name, member)) {
      return;
    }
    Said said = broker.say(name, member, text, cid);
    if (said instanceof Said.Duplicate duplicate) {
      resend(name, member, duplicate.original());
    } else if (said instanceof Said.Replaced) {
      // the takeover's event did not reach this node (a subscription was down): close now
      delivery.replaced(name, member);
    } else if (said instanceof Said.Unknown) {
      throw new BrokerUnavailableException("The broker does not know " + member.name(), null);
    }
  }

  /**
   * The original of a say sent again, to its sender: now if this node delivered it already, else
   * its event is still on the way and brings it, in id order.
   */
  private void resend(String name, Member member, ChatMessage original) {
    HubRoom room = rooms.get(name);
    if (room != null) {
      room.locked(
          () -> {
            if (room.holds(member) && original.id() <= room.lastId()) {
              member.outbox().offer(encoder.encode(original));
            }
            return null;
          });
    }
  }

  /** Sends a whisper to its target and back to the sender; false when nobody has that nick. */
  public boolean whisper(String name, Member sender, String to, String text, String cid) {
    HubRoom room = rooms.get(name);
    if (room == null) {
      return false;
    }
    Optional<Optional<Member>> here =
        room.locked(
            () ->
                room.holds(sender)
                    ? Optional.of(room.find(Member.keyOf(to)))
                    : Optional.<Optional<Member>>empty());
    if (here.isEmpty()) {
      return false; // the sender no longer holds its nick
    }
    if (here.get().isPresent()) {
      Member recipient = here.get().get();
      String frame = whisperFrame(sender, recipient.name(), text, cid);
      recipient.outbox().offer(frame);
      if (recipient != sender) {
        sender.outbox().offer(frame);
      }
      return true;
    }
    Optional<String> frame =
        broker.whisper(name, Member.keyOf(to), holder -> whisperFrame(sender, holder, text, cid));
    frame.ifPresent(sender.outbox()::offer);
    return frame.isPresent();
  }

  private String whisperFrame(Member sender, String to, String text, String cid) {
    return encoder.encode(new WhisperMessage(sender.name(), to, text, now(), cid));
  }

  /** Tells the others that this member is typing. */
  public void typing(String name, Member member) {
    if (holds(name, member)) {
      broker.typing(name, member.name());
    }
  }

  /** Up to {@code limit} nicks of the room after {@code after} (a nick, or null), and its size. */
  public Roster members(String name, String after, int limit) {
    return broker.members(name, after == null ? null : Member.keyOf(after), limit);
  }

  /** Up to {@code limit} messages of the room with ids below {@code before}, oldest first. */
  public List<ChatMessage> before(String name, long before, int limit) {
    return broker.before(name, before, limit);
  }

  private boolean holds(String name, Member member) {
    HubRoom room = rooms.get(name);
    return room != null && room.locked(() -> room.holds(member));
  }

  /**
   * Who handles a client frame that another node relayed to a member here ({@link Broker#relay});
   * it runs on the broker's event thread, outside any room's lock.
   */
  public void onRelayed(BiConsumer<Member, String> handler) {
    delivery.onRelayed(handler);
  }

  /** Rooms with members or joins in flight on this node. */
  public int roomCount() {
    return rooms.count();
  }

  /** Members of every room on this node. */
  public int memberCount() {
    return rooms.all().stream().mapToInt(room -> room.locked(room::size)).sum();
  }

  /** When the server accepted a message, as {@code ts} carries it. */
  public static String now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
