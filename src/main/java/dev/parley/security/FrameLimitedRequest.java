package dev.parley.security;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpUpgradeHandler;
import java.io.IOException;

/**
 * A handshake whose upgrade to Tyrus goes through {@link FrameLimitedUpgrade}, so that a frame over
 * Parley's limits closes with 1009 whatever its size. Other containers' WebSocket layers check a
 * frame's declared length themselves (Tomcat answers 1009 from the header) and are left alone.
 */
final class FrameLimitedRequest extends HttpServletRequestWrapper {

  /** The package of GlassFish's and Payara's WebSocket implementation. */
  private static final String TYRUS = "org.glassfish.tyrus.";

  private final long maxTextBytes;
  private final long maxBinaryBytes;

  FrameLimitedRequest(HttpServletRequest request, long maxTextBytes, long maxBinaryBytes) {
    super(request);
    this.maxTextBytes = maxTextBytes;
    this.maxBinaryBytes = maxBinaryBytes;
  }

  @Override
  public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass)
      throws IOException, ServletException {
    if (!handlerClass.getName().startsWith(TYRUS)) {
      return super.upgrade(handlerClass);
    }
    T tyrus;
    try {
      tyrus = handlerClass.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new ServletException("Cannot create " + handlerClass.getName(), e);
    }
    // the container initialises the guard, which hands Tyrus its connection with checked input
    super.upgrade(FrameLimitedUpgrade.class).guard(tyrus, maxTextBytes, maxBinaryBytes);
    return tyrus;
  }
}
