package dev.parley.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.servlet.ServletContext;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/** The limits in force, resolved once when the application starts. */
@ApplicationScoped
public class Settings {

  private volatile Map<Setting, Long> values;
  private volatile Function<String, String> contextParameters = name -> null;

  public Settings() {
    values = resolve(name -> null);
  }

  /** Creates settings from explicit values, for code that runs without a container. */
  public static Settings of(Map<Setting, Long> overrides) {
    Settings settings = new Settings();
    Map<Setting, Long> values = new EnumMap<>(settings.values);
    values.putAll(overrides);
    settings.values = values;
    return settings;
  }

  /** The settings in force for a web application, for code that runs outside CDI (a filter). */
  public static Settings forContext(Function<String, String> contextParameter) {
    Settings settings = new Settings();
    settings.values = resolve(contextParameter);
    settings.contextParameters = contextParameter;
    return settings;
  }

  void readContextParameters(
      @Observes @Initialized(ApplicationScoped.class) ServletContext context) {
    values = resolve(context::getInitParameter);
    contextParameters = context::getInitParameter;
  }

  /** A text setting in force, looked up as {@link #text(String, Function)} does; null if unset. */
  public String text(String name) {
    return text(name, contextParameters);
  }

  public long get(Setting setting) {
    return values.get(setting);
  }

  public int getInt(Setting setting) {
    return Math.toIntExact(values.get(setting));
  }

  /**
   * A setting that is text rather than a number, looked up like the others: system property {@code
   * parley.NAME}, environment variable {@code PARLEY_NAME} (upper snake case), then context
   * parameter {@code parley.NAME}. Null when none is set.
   */
  public static String text(String name, Function<String, String> contextParameter) {
    String property = "parley." + name;
    String raw = System.getProperty(property);
    if (raw == null) {
      raw = System.getenv("PARLEY_" + name.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase());
    }
    return raw != null ? raw : contextParameter.apply(property);
  }

  static Map<Setting, Long> resolve(Function<String, String> contextParameter) {
    Map<Setting, Long> values = new EnumMap<>(Setting.class);
    for (Setting setting : Setting.values()) {
      String raw = System.getProperty(setting.propertyName());
      if (raw == null) {
        raw = System.getenv(setting.environmentName());
      }
      if (raw == null) {
        raw = contextParameter.apply(setting.propertyName());
      }
      values.put(setting, raw == null ? setting.defaultValue() : parse(setting, raw));
    }
    return values;
  }

  private static long parse(Setting setting, String raw) {
    try {
      long value = Long.parseLong(raw.trim());
      if (value < 0) {
        throw new IllegalArgumentException(
            setting.propertyName() + " must not be negative: " + raw);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(setting.propertyName() + " is not a number: " + raw, e);
    }
  }
}
