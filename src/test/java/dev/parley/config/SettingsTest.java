package dev.parley.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @AfterEach
  void clearProperty() {
    System.clearProperty(Setting.HISTORY_SIZE.propertyName());
  }

  @Test
  void everySettingHasItsDefaultWhenNothingIsSet() {
    Settings settings = new Settings();
    for (Setting setting : Setting.values()) {
      assertEquals(setting.defaultValue(), settings.get(setting), setting.propertyName());
    }
  }

  @Test
  void aContextParameterOverridesTheDefault() {
    Map<String, String> webXml = Map.of("parley.historySize", "42");
    assertEquals(42, Settings.resolve(webXml::get).get(Setting.HISTORY_SIZE));
  }

  @Test
  void aSystemPropertyOverridesTheContextParameter() {
    System.setProperty("parley.historySize", "7");
    Map<String, String> webXml = Map.of("parley.historySize", "42");
    assertEquals(7, Settings.resolve(webXml::get).get(Setting.HISTORY_SIZE));
  }

  @Test
  void aValueThatIsNotANonNegativeIntegerStopsStartupNamingTheSetting() {
    Map<String, String> webXml = Map.of("parley.historySize", "lots");
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> Settings.resolve(webXml::get));
    assertEquals("parley.historySize is not a number: lots", error.getMessage());
    Map<String, String> negative = Map.of("parley.historySize", "-1");
    assertThrows(IllegalArgumentException.class, () -> Settings.resolve(negative::get));
  }

  @Test
  void namesFollowOneScheme() {
    assertEquals("parley.maxSayChars", Setting.MAX_SAY_CHARS.propertyName());
    assertEquals("PARLEY_MAX_SAY_CHARS", Setting.MAX_SAY_CHARS.environmentName());
  }
}
