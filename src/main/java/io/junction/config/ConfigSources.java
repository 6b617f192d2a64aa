package io.junction.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One vertx-config retriever over the config file and, with {@code config.kubernetes.enabled}, the ConfigMap
 * and the Secret (the {@code configmap} store). Every store is read raw: the text goes to the config module,
 * which parses and validates it itself. The retriever's own periodic scan is off; the config module asks for a
 * read each scan period and never has two reads in flight.
 *
 * <p>Traps of the ConfigMap store handled here: its {@code optional} defaults to true, and an optional store
 * answers a 401, a 5xx or a missing map with an empty config — so it is always {@code optional: false}; it reads
 * the service-account token once, so the token is passed explicitly and the retriever rebuilt when it changes.
 */
final class ConfigSources {
  static final String FILE = "file";
  static final String CONFIG_MAP = "configmap";
  static final String SECRET = "secret";

  private final Vertx vertx;
  private final Path file;
  private final KubernetesSettings kube;
  private ConfigRetriever retriever;

  ConfigSources(Vertx vertx, Path file, KubernetesSettings kube) {
    this.vertx = vertx;
    this.file = file;
    this.kube = kube;
  }

  /** (Re)creates the retriever with this token; closes the previous one (and its hung requests, if any). */
  void open(String token) {
    close();
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setIncludeDefaultStores(false).setScanPeriod(0)
      .addStore(new ConfigStoreOptions().setType("file").setFormat("raw").setOptional(true)
        .setConfig(new JsonObject().put("path", file.toString()).put("raw.key", FILE).put("raw.type", "string")));
    if (kube.enabled()) {
      options.addStore(store(kube.name(), kube.key(), false, CONFIG_MAP, token));
      if (kube.hasSecret()) {
        options.addStore(store(kube.secretName(), kube.secretKey(), true, SECRET, token));
      }
    }
    retriever = ConfigRetriever.create(vertx, options);
  }

  private ConfigStoreOptions store(String name, String key, boolean secret, String rawKey, String token) {
    JsonObject c = new JsonObject().put("name", name).put("namespace", kube.namespace()).put("secret", secret)
      .put("optional", false).put("host", kube.host()).put("port", kube.port()).put("ssl", kube.ssl())
      .put("raw.key", rawKey).put("raw.type", "string");
    if (!key.isBlank()) {
      c.put("key", key);
    }
    if (!token.isBlank()) {
      c.put("token", token);
    }
    // ConfigStoreOptions.optional is a second, separate switch: false too, so a failure fails the read.
    return new ConfigStoreOptions().setType("configmap").setFormat("raw").setOptional(false).setConfig(c);
  }

  /** One read of every store: {file?, configmap?, secret?} as text, or the first store's failure. */
  Future<JsonObject> read(long timeoutMs) {
    return retriever.getConfig().timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  void close() {
    if (retriever != null) {
      retriever.close();
      retriever = null;
    }
  }
}
