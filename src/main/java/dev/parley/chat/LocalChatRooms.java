package dev.parley.chat;

import dev.parley.chat.ChatHistory.Replay;
import dev.parley.chat.ClientMessage.Whisper;
import dev.parley.chat.ServerMessage.ChatMessage;
import dev.parley.chat.ServerMessage.Joined;
import dev.parley.chat.ServerMessage.Left;
import dev.parley.chat.ServerMessage.TypingNotice;
import dev.parley.chat.ServerMessage.Welcome;
import dev.parley.chat.ServerMessage.WhisperMessage;
import dev.parley.config.Setting;
import dev.parley.config.Settings;
import dev.parley.session.Member;
import dev.parley.session.Room;
import dev.parley.session.Room.Admission;
import dev.parley.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Rooms of this node alone: members in the session registry, messages in the node's history.
 * Numbering and delivery happen under the room's lock, so every member sees ids in increasing order
 * and a joining member's welcome fits exactly before its first message.
 */
@ApplicationScoped
@Typed(LocalChatRooms.class) // offered as ChatRooms only by ChatRoomsProducer
public class LocalChatRooms implements ChatRooms {

  private final SessionRegistry registry;
  private final ChatHistory history;
  private final RoomFanout fanout;
  private final Settings settings;
  private final ServerMessageEncoder encoder = new ServerMessageEncoder();

  @Inject
  public LocalChatRooms(
      SessionRegistry registry, ChatHistory history, RoomFanout fanout, Settings settings) {
    this.registry = registry;
    this.history = history;
    this.fanout = fanout;
    this.settings = settings;
  }

  /** For CDI's client proxy only. */
  protected LocalChatRooms() {
    this(null, null, null, null);
  }

  @Override
  public Admission join(
      String room, Member member, String presentedToken, Long since, String epoch) {
    return registry.join(
        room,
        member,
        presentedToken,
        settings.getInt(Setting.MAX_MEMBERS_PER_ROOM),
        (members, outcome) -> {
          if (outcome instanceof Admission.Admitted admitted) {
            welcome(members, member, since, epoch);
            if (admitted.replaced().isEmpty()) {
              members.deliverExcept(
                  member, encoder.encode(new Joined(member.name(), members.names())));
            }
          }
          return outcome;
        });
  }

  @Override
  public boolean leave(String room, Member member) {
    return registry.leave(
        room,
        member,
        members -> members.deliver(encoder.encode(new Left(member.name(), members.names()))));
  }

  @Override
  public void say(String room, Member member, String text, String cid) {
    String from = member.name();
    registry.inRoom(
        room,
        members -> {
          if (holdsNick(members, member)) {
            fanout.publish(room, encoder.encode(history.append(room, from, text, cid)));
          }
          return null;
        });
  }

  @Override
  public boolean whisper(String room, Member sender, Whisper whisper) {
    Optional<Member> target =
        registry
            .inRoom(
                room,
                members ->
                    holdsNick(members, sender)
                        ? members.find(whisper.to())
                        : Optional.<Member>empty())
            .flatMap(found -> found);
    if (target.isEmpty()) {
      return false;
    }
    Member recipient = target.get();
    String frame =
        encoder.encode(
            new WhisperMessage(
                sender.name(), recipient.name(), whisper.text(), now(), whisper.cid()));
    recipient.outbox().offer(frame);
    if (recipient != sender) {
      sender.outbox().offer(frame);
    }
    return true;
  }

  @Override
  public void typing(String room, Member member) {
    String frame = encoder.encode(new TypingNotice(member.name()));
    registry.inRoom(
        room,
        members -> {
          if (holdsNick(members, member)) {
            members.deliverExcept(member, frame);
          }
          return null;
        });
  }

  @Override
  public List<ChatMessage> before(String room, long before, int limit) {
    return history.before(room, before, limit);
  }

  private void welcome(Room members, Member member, Long since, String epoch) {
    Replay replay =
        history.replay(members.name(), since, epoch, settings.getInt(Setting.WELCOME_HISTORY));
    member
        .outbox()
        .offer(
            encoder.encode(
                new Welcome(
                    members.name(),
                    member.name(),
                    member.token(),
                    replay.epoch(),
                    members.names(),
                    replay.messages(),
                    replay.last(),
                    replay.complete())));
  }

  /**
   * Whether this member still holds its nick. A connection replaced by a token takeover may still
   * deliver frames before its 4001 close; its member's new connection speaks for it now.
   */
  public static boolean holdsNick(Room members, Member member) {
    return members.find(member.name()).orElse(null) == member;
  }

  /** When the server accepted a message, as {@code ts} carries it. */
  public static String now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
