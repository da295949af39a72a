package dev.parley.config;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Makes every endpoint instance a CDI bean. Containers that do not inject into endpoints themselves
 * (Tomcat with Weld) still deliver a fully injected endpoint this way, so one code base serves all.
 */
public class CdiEndpointConfigurator extends ServerEndpointConfig.Configurator {

  @Override
  public <T> T getEndpointInstance(Class<T> endpointClass) {
    return CDI.current().select(endpointClass).get();
  }
}
