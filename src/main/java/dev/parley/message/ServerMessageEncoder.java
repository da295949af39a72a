package dev.parley.message;

import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.websocket.Encoder;
import java.util.Map;

/**
 * Turns a server message into its JSON text. The chat service calls it once per message and queues
 * the text for every recipient, so a broadcast to N members costs one encoding, not N.
 */
public class ServerMessageEncoder implements Encoder.Text<ServerMessage> {

  // Looking the provider up is a service-loader scan: do it once, not per message.
  private static final JsonBuilderFactory JSON =
      JsonProvider.provider().createBuilderFactory(Map.of());

  @Override
  public String encode(ServerMessage message) {
    JsonObjectBuilder json = JSON.createObjectBuilder().add("type", message.type());
    message.writeFields(json, JSON);
    return json.build().toString();
  }
}
