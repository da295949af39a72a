package dev.parley.it;

import org.glassfish.embeddable.CommandResult;
import org.glassfish.embeddable.CommandRunner;
import org.glassfish.internal.api.Globals;
import org.jboss.arquillian.container.spi.event.container.AfterStart;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Test servers listen on loopback only. Embedded GlassFish binds its HTTP listener to every
 * interface and the Arquillian adapter has no setting for the address, so once the server is up
 * this rebinds the listener to 127.0.0.1 (GlassFish applies the change at once).
 */
public class LoopbackOnly implements LoadableExtension {

  static final String LISTENER_ADDRESS =
      "configs.config.server-config.network-config.network-listeners.network-listener"
          + ".http-listener.address";

  @Override
  public void register(ExtensionBuilder builder) {
    builder.observer(Rebinder.class);
  }

  /** Observes the container start. */
  public static class Rebinder {
    public void rebind(@Observes AfterStart started) {
      CommandRunner runner = Globals.getDefaultBaseServiceLocator().getService(CommandRunner.class);
      CommandResult result = runner.run("set", LISTENER_ADDRESS + "=127.0.0.1");
      if (result.getExitStatus() != CommandResult.ExitStatus.SUCCESS) {
        throw new IllegalStateException(
            "Could not bind GlassFish to loopback: " + result.getOutput(),
            result.getFailureCause());
      }
    }
  }
}
