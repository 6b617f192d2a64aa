package io.junction.config;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * {@code junction.config.validate}: {@code {"document": "<yaml>"}} → {@code {"problems": [...]}}. The document is
 * checked as if it were the ConfigMap's key now — with the config file, the environment and the Secret as the
 * config module last read them, through the module's own assembly (schema, the gateway's checks, {@code lb://}
 * references) — and nothing is applied. Write-back asks it before it writes, so a document it writes is one the
 * watch will accept. Runs on the config verticle's context (it registers it), where that state lives.
 */
final class ConfigValidation {
  static final String ADDRESS = "junction.config.validate";

  private final Vertx vertx;
  private final KubernetesSettings kube;
  private final Supplier<ConfigInputs> sources;
  private final BiFunction<ConfigInputs, List<String>, JsonObject> assemble;

  /**
   * @param sources  what the sources said last
   * @param assemble the config module's merge and checks: adds problems, may throw ConfigException
   */
  ConfigValidation(Vertx vertx, KubernetesSettings kube, Supplier<ConfigInputs> sources,
                   BiFunction<ConfigInputs, List<String>, JsonObject> assemble) {
    this.vertx = vertx;
    this.kube = kube;
    this.sources = sources;
    this.assemble = assemble;
  }

  void register() {
    vertx.eventBus().<JsonObject>consumer(ADDRESS, msg -> msg.reply(new JsonObject().put("problems", new JsonArray(problems(msg.body())))));
  }

  List<String> problems(JsonObject request) {
    if (!kube.enabled()) {
      return List.of("config.kubernetes.enabled is false: there is no ConfigMap to check a document for");
    }
    Object document = request == null ? null : request.getValue("document");
    if (!(document instanceof String text)) {
      return List.of("the request has no \"document\" (the YAML text for " + kube.configMapSource() + ")");
    }
    ConfigInputs now = sources.get();
    List<String> problems = new ArrayList<>();
    try {
      assemble.apply(new ConfigInputs(now.file(), text, true, now.secret()), problems);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    return problems;
  }
}
