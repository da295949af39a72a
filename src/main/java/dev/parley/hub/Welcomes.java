package dev.parley.hub;

import dev.parley.hub.BrokerEvent.Message;
import dev.parley.hub.BrokerEvent.Presence;
import dev.parley.message.ServerMessage.Welcome;
import dev.parley.message.ServerMessageEncoder;
import jakarta.websocket.CloseReason;
import java.util.List;

/**
 * What a joining member gets, fitted to the room as this node delivers it: its welcome, then the
 * events its welcome did not cover, so that it sees every message exactly once and in order.
 */
final class Welcomes {

  private final EventDelivery delivery;
  private final Drops drops;
  private final ServerMessageEncoder encoder = new ServerMessageEncoder();

  Welcomes(EventDelivery delivery, Drops drops) {
    this.delivery = delivery;
    this.drops = drops;
  }

  /**
   * Under the room's lock: acts on the broker's answer to a join. An admitted member gets its
   * welcome, then what the room processed while its claim was on the way and the welcome missed.
   */
  Admission admit(HubRoom room, Member member, Claim claim, List<Runnable> afterwards) {
    if (claim instanceof Claim.Full) {
      return new Admission.RoomFull();
    }
    if (!(claim instanceof Claim.Admitted admitted)) {
      return new Admission.NickTaken();
    }
    Replay replay = admitted.replay();
    if (room.epoch() != null && !room.epoch().equals(replay.epoch())) {
      delivery.reset(room, BrokerListener.HISTORY_RESET, afterwards);
    }
    if (room.epoch() == null) {
      room.start(replay.epoch(), replay.last());
    }
    member.outbox().offer(encoder.encode(welcome(room.name(), member, admitted)));
    room.put(new HubRoom.Entry(member, admitted.seq(), replay.last()))
        .ifPresent(stale -> afterwards.add(() -> delivery.closeReplaced(room.name(), stale)));
    for (BrokerEvent event : room.processedDuringJoins()) {
      catchUpJoiner(room, member, admitted, event);
    }
    if (!room.bufferComplete()) {
      room.remove(member);
      CloseReason missed =
          new CloseReason(CloseReason.CloseCodes.SERVICE_RESTART, BrokerListener.MISSED);
      afterwards.add(() -> drops.close(room.name(), member, missed, true));
    }
    return new Admission.Admitted();
  }

  /** What the room processed while the member's claim was on its way, and its welcome missed. */
  private void catchUpJoiner(HubRoom room, Member member, Claim.Admitted claim, BrokerEvent event) {
    if (event instanceof Message message
        && message.epoch().equals(room.epoch())
        && message.message().id() > claim.replay().last()) {
      member.outbox().offer(encoder.encode(message.message()));
      if (message.message().id() == room.lastId() + 1) {
        room.delivered(message); // the view began with this welcome
      }
    } else if (event instanceof Presence presence && presence.seq() > claim.seq()) {
      member.outbox().offer(encoder.encode(presence.frame()));
    }
  }

  private static Welcome welcome(String room, Member member, Claim.Admitted claim) {
    Replay replay = claim.replay();
    return new Welcome(
        room,
        member.name(),
        member.token(),
        replay.epoch(),
        claim.members(),
        replay.messages(),
        replay.last(),
        replay.complete());
  }
}
