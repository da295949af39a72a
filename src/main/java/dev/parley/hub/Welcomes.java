package dev.parley.hub;

import dev.parley.hub.BrokerEvent.Message;
import dev.parley.hub.BrokerEvent.Presence;
import dev.parley.message.ServerMessage.Welcome;
import dev.parley.message.ServerMessageEncoder;
import jakarta.websocket.CloseReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a joining member gets, fitted to the room as this node delivers it: its welcome, then the
 * events its welcome did not cover, so that it sees every message exactly once and in order.
 */
final class Welcomes {

  private final EventDelivery delivery;
  private final Drops drops;
  private final PresenceFlush presenceFlush;
  private final ServerMessageEncoder encoder = new ServerMessageEncoder();

  Welcomes(EventDelivery delivery, Drops drops, PresenceFlush presenceFlush) {
    this.presenceFlush = presenceFlush;
    this.delivery = delivery;
    this.drops = drops;
  }

  /**
   * Under the room's lock: acts on the broker's answer to a join. An admitted member gets its
   * welcome, then what the room processed while its claim was on the way and the welcome missed.
   */
  Admission admit(HubRoom room, long mark, Member member, Claim claim, List<Runnable> afterwards) {
    if (claim instanceof Claim.Full) {
      return new Admission.RoomFull();
    }
    if (!(claim instanceof Claim.Admitted admitted)) {
      return new Admission.NickTaken();
    }
    Replay replay = admitted.replay();
    if (room.epoch() != null && !room.epoch().equals(replay.epoch())) {
      delivery.closeAll(room, BrokerListener.HISTORY_RESET, afterwards);
    }
    boolean freshView = room.epoch() == null;
    if (freshView) {
      room.start(replay.epoch(), replay.last());
    }
    member.outbox().offer(encoder.encode(welcome(room.name(), member, admitted)));
    room.put(new HubRoom.Entry(member, admitted.seq(), replay.last()))
        .ifPresent(stale -> afterwards.add(() -> delivery.closeReplaced(room.name(), stale)));
    Optional<List<HubRoom.Processed>> meanwhile = room.processedSince(mark);
    if (meanwhile.isEmpty()) {
      room.remove(member);
      CloseReason missed =
          new CloseReason(CloseReason.CloseCodes.SERVICE_RESTART, BrokerListener.MISSED);
      afterwards.add(() -> drops.close(room.name(), member, missed, true));
      return new Admission.Admitted();
    }
    List<Presence> told = new ArrayList<>(); // sent to the others before this member was in
    for (HubRoom.Processed processed : meanwhile.get()) {
      catchUpJoiner(room, member, admitted, processed, freshView);
      if (processed.event instanceof Presence presence
          && presence.seq() > admitted.seq()
          && presence.seq() <= room.lastFlushedSeq()) {
        told.add(presence);
      }
    }
    if (!told.isEmpty()) {
      String frame =
          presenceFlush.encode(PresenceFlush.net(told, told.get(told.size() - 1).count()));
      if (frame != null) {
        member.outbox().offer(frame);
      }
    }
    return new Admission.Admitted();
  }

  /**
   * What the room processed while the member's claim was on its way, and its welcome missed. In a
   * view that began with this welcome, messages are delivered here for the first time: only the
   * next one in order, as a gap is filled later by the next message's arrival.
   */
  private void catchUpJoiner(
      HubRoom room,
      Member member,
      Claim.Admitted claim,
      HubRoom.Processed processed,
      boolean freshView) {
    BrokerEvent event = processed.event;
    if (event instanceof Message message
        && message.epoch().equals(room.epoch())
        && message.message().id() > claim.replay().last()) {
      long id = message.message().id();
      if (freshView && id == room.lastId() + 1) {
        member.outbox().offer(processed.frame(this::encode));
        room.delivered(message);
      } else if (!freshView && id <= room.lastId()) {
        member.outbox().offer(processed.frame(this::encode));
      }
    }
  }

  private String encode(BrokerEvent event) {
    return encoder.encode(((Message) event).message());
  }

  private static Welcome welcome(String room, Member member, Claim.Admitted claim) {
    Replay replay = claim.replay();
    return new Welcome(
        room,
        member.name(),
        member.token(),
        replay.epoch(),
        claim.members(),
        claim.count(),
        replay.messages(),
        replay.last(),
        replay.complete());
  }
}
