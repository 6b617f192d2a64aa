package io.junction.config;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the effective configuration: defaults in the jar, then the config file, then JUNCTION_* environment
 * variables, validated as a whole. Used once at boot (before Vert.x exists) and by ConfigVerticle on every change.
 */
public final class ConfigLoader {
  public static final String CONFIG_ENV = "JUNCTION_CONFIG";
  public static final Path DEFAULT_FILE = Path.of("conf", "junction.yaml");

  private final Map<String, String> env;
  private final ConfigSchema schema = ConfigSchema.get();
  private final JsonObject defaults;

  public ConfigLoader(Map<String, String> env) {
    this.env = Map.copyOf(env);
    this.defaults = readDefaults();
  }

  /** The config file in use: JUNCTION_CONFIG when set, else conf/junction.yaml. */
  public Path configFile() {
    String explicit = env.get(CONFIG_ENV);
    return explicit == null || explicit.isBlank() ? DEFAULT_FILE : Path.of(explicit);
  }

  /** True when the file must exist: the user named it. The default file is optional. */
  public boolean configFileRequired() {
    String explicit = env.get(CONFIG_ENV);
    return explicit != null && !explicit.isBlank();
  }

  /** Reads, merges and validates; throws ConfigException naming every problem. */
  public JsonObject load() {
    return resolve(readFile());
  }

  /** The file's own content (empty when the optional default file is absent). */
  public JsonObject readFile() {
    Path file = configFile();
    try {
      return YamlReader.read(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (NoSuchFileException e) {
      if (configFileRequired()) {
        throw new ConfigException("config file " + file + " (from " + CONFIG_ENV + ") does not exist");
      }
      return new JsonObject();
    } catch (IOException e) {
      throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
    }
  }

  /** The environment this loader reads JUNCTION_* overrides (and the Kubernetes variables) from. */
  public Map<String, String> env() {
    return env;
  }

  /** Defaults + the given file content + environment, validated. */
  public JsonObject resolve(JsonObject fileContent) {
    return resolve(fileContent, List.of());
  }

  /** A source merged over the environment (a ConfigMap, a Secret), named in problems. */
  public record Layer(String source, JsonObject content) {
  }

  /**
   * Defaults + file + environment + the layers in order (each overriding the one before), validated as a
   * whole; each layer is first validated on its own so a problem names the source it came from.
   */
  public JsonObject resolve(JsonObject fileContent, List<Layer> layers) {
    List<String> problems = new ArrayList<>();
    for (Layer layer : layers) {
      for (String p : schema.validate(layer.content())) {
        problems.add(layer.source() + ": " + p);
      }
    }
    // Validate the file on its own first, so a problem names the file rather than the merged result.
    for (String p : schema.validate(fileContent)) {
      problems.add(configFile() + ": " + p);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    JsonObject merged = defaults.copy().mergeIn(fileContent, true);
    merged = new EnvOverrides(schema).apply(merged, env, problems);
    for (Layer layer : layers) {
      merged.mergeIn(layer.content(), true);
    }
    problems.addAll(schema.validate(merged));
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return merged;
  }

  private static JsonObject readDefaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/config/junction-defaults.yaml")) {
      if (in == null) {
        throw new IllegalStateException("missing /config/junction-defaults.yaml in the jar");
      }
      return YamlReader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in defaults");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
