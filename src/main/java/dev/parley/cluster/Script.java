package dev.parley.cluster;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One Lua script of this package, run by its SHA1 digest and sent in full only when Redis does not
 * know it yet (after a Redis restart its script cache is empty).
 */
final class Script {

  private final String name;
  private final String body;
  private volatile String digest;

  private Script(String name, String body) {
    this.name = name;
    this.body = body;
  }

  /** The script {@code name.lua}, after the shared functions of {@code preludes}. */
  static Script load(String name, String... preludes) {
    StringBuilder body = new StringBuilder();
    for (String prelude : preludes) {
      body.append(resource(prelude)).append('\n');
    }
    return new Script(name, body.append(resource(name)).toString());
  }

  <T> T run(
      RedisCommands<String, String> redis,
      ScriptOutputType type,
      List<String> keys,
      String... arguments) {
    String[] keyArray = keys.toArray(String[]::new);
    if (digest == null) {
      digest = redis.digest(body);
    }
    try {
      return redis.evalsha(digest, type, keyArray, arguments);
    } catch (RedisNoScriptException unknown) {
      return redis.eval(body, type, keyArray, arguments);
    }
  }

  @Override
  public String toString() {
    return name;
  }

  private static String resource(String name) {
    try (InputStream in = Script.class.getResourceAsStream(name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("Missing script " + name + ".lua");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
