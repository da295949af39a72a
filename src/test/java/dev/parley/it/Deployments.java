package dev.parley.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR that ships, as the build produced it; tests deploy it, not a hand-picked subset. */
final class Deployments {

  private Deployments() {}

  /** The built WAR for the server under test, unchanged, deployed at {@code /parley}. */
  static WebArchive war() {
    String path = System.getProperty("parley.war", "target/parley.war");
    return ShrinkWrap.create(WebArchive.class, "parley.war")
        .merge(ShrinkWrap.createFromZipFile(WebArchive.class, new File(path)));
  }

  /**
   * The deployment's URL on loopback, where every test server listens. Some servers report the
   * machine's own address in the URL they hand to Arquillian (Payara Micro does).
   */
  static URL onLoopback(URL base) {
    try {
      return new URL(base.getProtocol(), "127.0.0.1", base.getPort(), base.getFile());
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(base.toString(), e);
    }
  }

  /** The built WAR with some limits set in its web.xml, the way an operator would set them. */
  static WebArchive war(Map<String, String> contextParameters) {
    WebArchive war = war();
    String webXml;
    try (InputStream in = war.get("WEB-INF/web.xml").getAsset().openStream()) {
      webXml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder parameters = new StringBuilder();
    contextParameters.forEach(
        (name, value) ->
            parameters
                .append("  <context-param><param-name>")
                .append(name)
                .append("</param-name><param-value>")
                .append(value)
                .append("</param-value></context-param>\n"));
    war.delete("WEB-INF/web.xml");
    return war.addAsWebInfResource(
        new StringAsset(webXml.replace("</web-app>", parameters + "</web-app>")), "web.xml");
  }
}
