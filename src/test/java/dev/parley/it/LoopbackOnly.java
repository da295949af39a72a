package dev.parley.it;

import java.lang.annotation.Annotation;
import org.jboss.arquillian.container.spi.event.container.AfterStart;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Test servers listen on loopback only. Embedded GlassFish binds its HTTP listener to every
 * interface and its Arquillian adapter has no setting for the address, so once that server is up
 * this rebinds the listener to 127.0.0.1 (GlassFish applies the change at once). Other servers are
 * bound through their own configuration (arquillian.xml), and this does nothing there.
 */
public class LoopbackOnly implements LoadableExtension {

  private static final String GLASSFISH_GLOBALS = "org.glassfish.internal.api.Globals";
  private static final String LISTENER_ADDRESS =
      "configs.config.server-config.network-config.network-listeners.network-listener"
          + ".http-listener.address=127.0.0.1";

  @Override
  public void register(ExtensionBuilder builder) {
    if (isPresent(GLASSFISH_GLOBALS)) {
      builder.observer(GlassFishRebinder.class);
    }
  }

  private static boolean isPresent(String className) {
    try {
      Class.forName(className, false, LoopbackOnly.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException absent) {
      return false;
    }
  }

  /** Runs {@code asadmin set ...address=127.0.0.1} inside the embedded server. */
  public static class GlassFishRebinder {
    public void rebind(@Observes AfterStart started) throws ReflectiveOperationException {
      // reflection: the GlassFish classes are on the test class path only in the glassfish profile
      Class<?> locatorType = Class.forName("org.glassfish.hk2.api.ServiceLocator");
      Class<?> runnerType = Class.forName("org.glassfish.embeddable.CommandRunner");
      Class<?> resultType = Class.forName("org.glassfish.embeddable.CommandResult");
      Object locator =
          Class.forName(GLASSFISH_GLOBALS).getMethod("getDefaultBaseServiceLocator").invoke(null);
      Object runner =
          locatorType
              .getMethod("getService", Class.class, Annotation[].class)
              .invoke(locator, runnerType, new Annotation[0]);
      Object result =
          runnerType
              .getMethod("run", String.class, String[].class)
              .invoke(runner, "set", new String[] {LISTENER_ADDRESS});
      Object status = resultType.getMethod("getExitStatus").invoke(result);
      if (!"SUCCESS".equals(String.valueOf(status))) {
        throw new IllegalStateException(
            "Could not bind GlassFish to loopback: "
                + resultType.getMethod("getOutput").invoke(result));
      }
    }
  }
}
