package peer;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

/**
 * Peer for the benchmark: an echo endpoint with no application logic, deployed on the same
 * embedded GlassFish as Parley. What Parley's /echo costs beyond it is Parley's own.
 */
@ServerEndpoint("/echo")
public class BareEcho {

  @OnMessage
  public String text(String text) {
    return text;
  }

  @OnMessage
  public byte[] binary(byte[] data) {
    return data;
  }
}
