package dev.parley.chat;

import dev.parley.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Fan-out to the members connected to this node. */
@ApplicationScoped
public class LocalRoomFanout implements RoomFanout {

  private final SessionRegistry registry;

  @Inject
  public LocalRoomFanout(SessionRegistry registry) {
    this.registry = registry;
  }

  /** For CDI's client proxy only. */
  protected LocalRoomFanout() {
    this.registry = null;
  }

  @Override
  public void publish(String room, String frame) {
    registry.inRoom(
        room,
        members -> {
          members.deliver(frame);
          return null;
        });
  }
}
