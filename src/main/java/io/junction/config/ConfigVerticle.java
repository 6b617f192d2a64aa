package io.junction.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;

/**
 * Config module: watches the config file with a vertx-config retriever, validates every new version as a
 * whole, keeps the last good one when a version is refused, and publishes each changed top-level section on
 * {@code junction.config.changed.<section>} (a publish, so every verticle and every node sees it).
 */
public class ConfigVerticle extends VerticleBase {
  public static final String CHANGED_PREFIX = "junction.config.changed.";
  public static final String GET_ADDRESS = "junction.config.get";
  private static final Logger LOG = LoggerFactory.getLogger(ConfigVerticle.class);

  private final ConfigLoader loader;
  private JsonObject current;
  private boolean fileSeen;
  private ConfigRetriever retriever;

  public ConfigVerticle(ConfigLoader loader, JsonObject bootConfig) {
    this.loader = loader;
    this.current = bootConfig;
  }

  @Override
  public Future<?> start() {
    fileSeen = Files.exists(loader.configFile());
    long scanMs = Durations.parse(current.getJsonObject("config").getValue("scanPeriod")).toMillis();
    // raw format: we parse the YAML ourselves so a broken edit is reported by us, with line and column.
    ConfigStoreOptions file = new ConfigStoreOptions().setType("file").setFormat("raw").setOptional(true)
      .setConfig(new JsonObject().put("path", loader.configFile().toString()).put("raw.key", "content").put("raw.type", "string"));
    retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setIncludeDefaultStores(false)
      .setScanPeriod(Math.max(scanMs, 100)).addStore(file));
    retriever.listen(change -> apply(change.getNewConfiguration()));
    vertx.eventBus().consumer(GET_ADDRESS, msg -> msg.reply(current.copy()));
    LOG.info("config: watching {} every {} ms ({})", loader.configFile(), scanMs, fileSeen ? "present" : "absent, using defaults and environment");
    return retriever.getConfig().mapEmpty();
  }

  private void apply(JsonObject storeOutput) {
    String text = storeOutput.getString("content");
    if (text == null) {
      if (fileSeen) {
        LOG.error("config rejected: {} disappeared or cannot be read; keeping the last good configuration", loader.configFile());
      }
      return;
    }
    JsonObject next;
    try {
      JsonObject fileContent = YamlReader.read(text, loader.configFile().toString());
      if (fileContent.isEmpty()) {
        // A truncated or half-written file must not reset every setting to its default.
        throw new ConfigException(loader.configFile() + " is empty; an empty document is never applied on reload");
      }
      next = loader.resolve(fileContent);
    } catch (ConfigException e) {
      LOG.error("config rejected, keeping the last good configuration: {}", e.getMessage());
      return;
    }
    fileSeen = true;
    JsonObject previous = current;
    current = next;
    int changed = 0;
    for (String section : next.fieldNames()) {
      Object value = next.getValue(section);
      if (!value.equals(previous.getValue(section))) {
        changed++;
        vertx.eventBus().publish(CHANGED_PREFIX + section, value);
      }
    }
    if (changed > 0) {
      LOG.info("config: applied a new version of {} ({} section(s) changed)", loader.configFile(), changed);
    }
  }

  @Override
  public Future<?> stop() {
    if (retriever != null) {
      retriever.close();
    }
    return Future.succeededFuture();
  }
}
