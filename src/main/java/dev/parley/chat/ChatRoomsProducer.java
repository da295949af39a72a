package dev.parley.chat;

import dev.parley.cluster.RedisChatRooms;
import dev.parley.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/**
 * Chooses where rooms live: in this node's memory, or shared with other nodes through Redis when
 * {@code parley.redisUri} is set. Only the chosen one is created, so a single node never loads or
 * connects the Redis client.
 */
@ApplicationScoped
public class ChatRoomsProducer {

  @Produces
  @ApplicationScoped
  ChatRooms rooms(
      Settings settings, Instance<LocalChatRooms> local, Instance<RedisChatRooms> redis) {
    String redisUri = settings.text(RedisChatRooms.SETTING);
    return redisUri == null || redisUri.isBlank() ? local.get() : redis.get();
  }
}
