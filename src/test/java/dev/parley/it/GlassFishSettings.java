package dev.parley.it;

import java.io.IOException;
import java.io.Reader;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.jboss.arquillian.container.spi.event.container.AfterStart;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Embedded GlassFish in the tests runs the configuration that {@code ./mvnw -Prun} and the
 * benchmark run: {@code src/main/glassfish/glassfish.properties}. Its Arquillian adapter cannot be
 * given a properties file, so once the server is up (before anything is deployed) this applies each
 * line as an {@code asadmin set}, and binds the listener to loopback, where test servers listen.
 * Other servers are configured through arquillian.xml, and this does nothing there.
 */
public class GlassFishSettings implements LoadableExtension {

  private static final String GLASSFISH_GLOBALS = "org.glassfish.internal.api.Globals";
  private static final String LISTENER_ADDRESS =
      "configs.config.server-config.network-config.network-listeners.network-listener"
          + ".http-listener.address=127.0.0.1";

  @Override
  public void register(ExtensionBuilder builder) {
    if (isPresent(GLASSFISH_GLOBALS)) {
      builder.observer(Applier.class);
    }
  }

  private static boolean isPresent(String className) {
    try {
      Class.forName(className, false, GlassFishSettings.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException absent) {
      return false;
    }
  }

  /** The {@code KEY=VALUE} lines of the repository's GlassFish configuration, then loopback. */
  static List<String> settings() throws IOException {
    Properties file = new Properties();
    Path path = Path.of(System.getProperty("parley.glassfish.properties"));
    try (Reader in = Files.newBufferedReader(path)) {
      file.load(in);
    }
    List<String> settings = new ArrayList<>();
    file.stringPropertyNames().stream().sorted().forEach(k -> settings.add(k + "=" + file.get(k)));
    settings.add(LISTENER_ADDRESS);
    return settings;
  }

  /** Runs {@code asadmin set KEY=VALUE} inside the embedded server for each setting. */
  public static class Applier {
    public void apply(@Observes AfterStart started) throws Exception {
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
      for (String setting : settings()) {
        Object result =
            runnerType
                .getMethod("run", String.class, String[].class)
                .invoke(runner, "set", new String[] {setting});
        Object status = resultType.getMethod("getExitStatus").invoke(result);
        if (!"SUCCESS".equals(String.valueOf(status))) {
          throw new IllegalStateException(
              "Could not set " + setting + ": " + resultType.getMethod("getOutput").invoke(result));
        }
      }
    }
  }
}
