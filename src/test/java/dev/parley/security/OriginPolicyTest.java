package dev.parley.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OriginPolicyTest {

  private final OriginPolicy sameHost = new OriginPolicy(null);

  @Test
  void byDefaultAPageFromTheSameHostAndPortMayConnect() {
    assertTrue(sameHost.allows("http://chat.example.com", "chat.example.com"));
    assertTrue(sameHost.allows("https://chat.example.com:8443", "Chat.Example.com:8443"));
  }

  @Test
  void byDefaultAPageFromAnotherHostOrPortMayNot() {
    assertFalse(sameHost.allows("https://evil.example", "chat.example.com"));
    assertFalse(sameHost.allows("http://chat.example.com:9999", "chat.example.com:8080"));
    assertFalse(sameHost.allows("null", "chat.example.com"));
    assertFalse(sameHost.allows("http://chat.example.com", null));
  }

  @Test
  void clientsThatSendNoOriginAreNotBrowsersAndMayConnect() {
    assertTrue(sameHost.allows(null, "chat.example.com"));
  }

  @Test
  void aConfiguredListReplacesTheSameHostRule() {
    OriginPolicy listed = new OriginPolicy(" https://a.example , https://b.example:8443/ ");
    assertTrue(listed.allows("https://a.example", "api.example"));
    assertTrue(listed.allows("HTTPS://B.example:8443", "api.example"));
    assertFalse(listed.allows("https://api.example", "api.example"));
  }

  @Test
  void aStarAllowsEveryOrigin() {
    assertTrue(new OriginPolicy("*").allows("https://anywhere.example", "chat.example.com"));
  }
}
