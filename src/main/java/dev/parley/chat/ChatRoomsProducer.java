package dev.parley.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/** Chooses where rooms live. */
@ApplicationScoped
public class ChatRoomsProducer {

  @Produces
  @ApplicationScoped
  ChatRooms rooms(Instance<LocalChatRooms> local) {
    return local.get();
  }
}
