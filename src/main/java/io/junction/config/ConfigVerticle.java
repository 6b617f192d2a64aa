package io.junction.config;

import io.junction.gateway.GatewayConfigCheck;
import io.junction.gateway.filter.auth.JwksSources;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Config module: reads the config file and, with {@code config.kubernetes.enabled}, a ConfigMap and a Secret
 * (one vertx-config retriever, read every {@code config.scanPeriod}; the ConfigMap also followed with the watch
 * API), validates every new version as a whole — schema, the gateway's own checks, {@code lb://} references —
 * and applies it only when it is good: it publishes each changed top-level section on
 * {@code junction.config.changed.<section>} (a publish, so every verticle and every node sees it). A refused
 * version, a deleted ConfigMap or an unreachable API server never replace the last good configuration.
 */
public class ConfigVerticle extends VerticleBase {
  public static final String CHANGED_PREFIX = "junction.config.changed.";
  public static final String GET_ADDRESS = "junction.config.get";
  /** → {@link #status()}: the applied version, the last error, the sources. */
  public static final String STATUS_ADDRESS = "junction.config.status";
  /** → {items: [...]}: the last applied and rejected versions with their changes, newest first. */
  public static final String HISTORY_ADDRESS = "junction.config.history";
  private static final String AUDIT_ADDRESS = "junction.audit.record";
  private static final Logger LOG = LoggerFactory.getLogger(ConfigVerticle.class);
  /** Sections published before the others: a new route may name a service of the same edit. */
  private static final List<String> FIRST = List.of("services");

  private final ConfigLoader loader;
  /** The configuration the modules started with: keys that are not live keep these values until a restart. */
  private JsonObject running;
  private final MeterRegistry meters;
  private final KubernetesSettings kube;
  private JsonObject current;
  private Counter rejected;
  private Counter updatesApplied;
  private Counter updatesRejected;
  private Timer propagation;
  /** When the change being considered was seen (scan, watch event or file change). */
  private long seenAt;
  private boolean fileSeen;
  private ConfigSources sources;
  private ServiceAccountToken token;
  private ConfigMapWatch watch;
  private JwksSources jwks;
  private long scanTimer = -1;
  private long scanMs;
  private boolean scanning;

  // What the sources last said, and what was made of it.
  private String fileText;
  private Object mapPayload;
  private boolean mapKnown;
  private Object secretPayload;
  private String lastInputs;
  private String resourceVersion;

  // Status and history.
  private long version = 1;
  private String appliedHash;
  private String appliedSource = "boot";
  private Instant appliedAt = Instant.now();
  private String appliedResourceVersion;
  private JsonObject lastError;
  private JsonObject sourceError;
  private List<String> needsRestart = List.of();
  private final Deque<JsonObject> history = new ArrayDeque<>();

  public ConfigVerticle(ConfigLoader loader, JsonObject bootConfig) {
    this(loader, bootConfig, new SimpleMeterRegistry());
  }

  public ConfigVerticle(ConfigLoader loader, JsonObject bootConfig, MeterRegistry meters) {
    this.loader = loader;
    this.running = bootConfig;
    this.current = bootConfig;
    this.meters = meters;
    this.kube = KubernetesSettings.from(bootConfig.getJsonObject("config").getJsonObject("kubernetes"), loader.env());
  }

  /** The configuration in force: after start, the one built from every source (the ConfigMap and Secret included). */
  public JsonObject applied() {
    return current;
  }

  @Override
  public Future<?> start() {
    rejected = Counter.builder("junction.config.rejected")
      .description("Configuration versions refused (invalid, empty, deleted ConfigMap); the last good one kept serving")
      .register(meters);
    updatesApplied = Counter.builder("junction.config.updates").tag("outcome", "applied")
      .description("Configuration versions seen, by outcome").register(meters);
    updatesRejected = Counter.builder("junction.config.updates").tag("outcome", "rejected")
      .description("Configuration versions seen, by outcome").register(meters);
    propagation = Timer.builder("junction.config.propagation")
      .description("From seeing a new configuration version to publishing its changed sections to the modules")
      .register(meters);
    fileSeen = Files.exists(loader.configFile());
    scanMs = Math.max(Durations.parse(current.getJsonObject("config").getValue("scanPeriod")).toMillis(), 100);
    jwks = new JwksSources(vertx);
    token = new ServiceAccountToken(vertx, kube.tokenFile());
    sources = new ConfigSources(vertx, loader.configFile(), kube);
    vertx.eventBus().consumer(GET_ADDRESS, msg -> msg.reply(current.copy()));
    vertx.eventBus().consumer(STATUS_ADDRESS, msg -> msg.reply(status()));
    vertx.eventBus().consumer(HISTORY_ADDRESS, msg -> msg.reply(new JsonObject().put("items", new JsonArray(new ArrayList<>(history)))));
    new ConfigValidation(vertx, kube, this::inputs, this::assemble).register();
    Future<?> first = kube.enabled() ? token.reload().compose(v -> firstRead()) : plainStart();
    return first.onSuccess(v -> {
      appliedHash = ConfigDiff.hash(current);
      record(new JsonObject().put("version", version).put("outcome", "applied").put("source", appliedSource)
        .put("at", appliedAt.toString()).put("hash", appliedHash).put("resourceVersion", appliedResourceVersion)
        .put("changes", new JsonArray()).put("needsRestart", new JsonArray()));
      scanTimer = vertx.setPeriodic(scanMs, t -> scan());
      if (kube.enabled() && kube.watch()) {
        watch = new ConfigMapWatch(vertx, kube, token, this::onWatch);
        watch.start();
      }
      LOG.info("config: reading {}{} every {} ms{}", loader.configFile(), kube.enabled() ? ", " + kube.configMapSource()
        + (kube.hasSecret() ? ", " + kube.secretSource() : "") + " at " + kube.baseUrl() : "", scanMs,
        kube.enabled() && kube.watch() ? " and watching the ConfigMap" : "");
    });
  }

  /** Without Kubernetes the boot configuration (read by Main) is in force; this read only sets the baseline. */
  private Future<?> plainStart() {
    sources.open("");
    return sources.read(10_000).map(out -> {
      fileText = out.getString(ConfigSources.FILE);
      lastInputs = inputs().hash();
      return null;
    });
  }

  /** With Kubernetes, the ConfigMap (and Secret) complete the configuration before any module starts. */
  private Future<?> firstRead() {
    sources.open(token.current());
    return sources.read(15_000).recover(err -> Future.failedFuture(new ConfigException(
      "cannot read " + kube.configMapSource() + (kube.hasSecret() ? " and " + kube.secretSource() : "") + " from " + kube.baseUrl() + ": " + message(err))))
      .map(out -> {
        takeStoreOutput(out, true);
        ConfigInputs in = inputs();
        lastInputs = in.hash();
        List<String> problems = new ArrayList<>();
        JsonObject next = assemble(in, problems);
        if (!problems.isEmpty()) {
          throw new ConfigException(problems);
        }
        current = next;
        running = next;
        appliedSource = describeSources();
        return null;
      });
  }

  private void takeStoreOutput(JsonObject out, boolean includeMap) {
    fileText = out.getString(ConfigSources.FILE);
    if (kube.enabled() && includeMap) {
      mapPayload = ConfigInputs.fromStore(out.getString(ConfigSources.CONFIG_MAP), kube.wholeMap());
      mapKnown = true;
    }
    if (kube.hasSecret()) {
      secretPayload = ConfigInputs.fromStore(out.getString(ConfigSources.SECRET), kube.secretKey().isBlank());
    }
  }

  private ConfigInputs inputs() {
    return new ConfigInputs(fileText, mapPayload, mapKnown, secretPayload);
  }

  private String describeSources() {
    List<String> parts = new ArrayList<>();
    if (fileText != null) {
      parts.add("file " + loader.configFile());
    }
    if (kube.enabled()) {
      parts.add(kube.configMapSource());
      if (kube.hasSecret()) {
        parts.add(kube.secretSource());
      }
    }
    return parts.isEmpty() ? "defaults and environment" : String.join(" + ", parts);
  }

  /** One read of every store per scan period; a read never overlaps the previous one. */
  private void scan() {
    if (scanning) {
      return;
    }
    scanning = true;
    sources.read(Math.max(5_000, scanMs * 5)).onComplete(ar -> {
      scanning = false;
      if (ar.failed()) {
        sourceFailed(ar.cause());
        return;
      }
      sourceOk();
      // While the watch is up it is the ConfigMap's source of truth: a scan that started before an edit must not
      // bring the previous version back.
      takeStoreOutput(ar.result(), watch == null || !watch.watching());
      consider("scan");
    });
  }

  private void onWatch(ConfigMapWatch.Event event) {
    mapPayload = ConfigInputs.fromConfigMap(event.configMap(), kube);
    mapKnown = true;
    if (event.resourceVersion() != null) {
      resourceVersion = event.resourceVersion();
    }
    consider("watch " + event.type().toLowerCase());
  }

  private void sourceFailed(Throwable err) {
    String text = message(err);
    boolean unauthorized = text.contains("status code: 401");
    if (sourceError == null || !text.equals(sourceError.getString("error"))) {
      LOG.warn("config: cannot read the configuration sources ({}); keeping version {}", text, version);
      sourceError = new JsonObject().put("error", text).put("since", Instant.now().toString());
    }
    if (unauthorized) {
      // The store keeps the token it was given: read the (rotated) file and give it the new one.
      token.reload().onSuccess(changed -> {
        if (changed) {
          LOG.info("config: the service-account token changed; using the new one");
          sources.open(token.current());
        }
      });
    } else if (err instanceof TimeoutException || err.getClass().getSimpleName().contains("Timeout")) {
      sources.open(token.current()); // drop the hung requests with the store's client
    }
  }

  private void sourceOk() {
    if (sourceError != null) {
      LOG.info("config: the configuration sources answer again (they failed since {})", sourceError.getString("since"));
      sourceError = null;
    }
  }

  /** Validates what the sources say now, as a whole, and applies it only when all of it is good. */
  private void consider(String trigger) {
    ConfigInputs in = inputs();
    String hash = in.hash();
    if (hash.equals(lastInputs)) {
      return;
    }
    lastInputs = hash;
    seenAt = System.nanoTime();
    String source = describeSources() + " (" + trigger + ")";
    List<String> problems = new ArrayList<>();
    JsonObject next = null;
    try {
      next = assemble(in, problems);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      reject(source, problems, next);
      return;
    }
    apply(source, next);
  }

  /** Every source parsed, merged and checked; problems collected, never thrown past here except ConfigException. */
  private JsonObject assemble(ConfigInputs in, List<String> problems) {
    JsonObject fileContent = new JsonObject();
    if (in.file() == null) {
      if (fileSeen && !kube.enabled()) {
        problems.add("config file " + loader.configFile() + " disappeared or cannot be read");
        return null;
      }
    } else {
      fileContent = YamlReader.read(in.file(), loader.configFile().toString());
      if (fileContent.isEmpty() && !kube.enabled()) {
        // A truncated or half-written file must not reset every setting to its default.
        problems.add(loader.configFile() + " is empty; an empty document is never applied on reload");
        return null;
      }
    }
    List<ConfigLoader.Layer> layers = new ArrayList<>();
    if (kube.enabled()) {
      if (in.configMap() == null) {
        problems.add(kube.configMapSource() + " was deleted or is missing");
        return null;
      }
      layers.add(new ConfigLoader.Layer(kube.configMapSource(), ConfigInputs.layer(in.configMap(), kube.configMapSource(), false, ConfigSchema.get(), problems)));
      if (kube.hasSecret() && in.secret() != null) {
        layers.add(new ConfigLoader.Layer(kube.secretSource(), ConfigInputs.layer(in.secret(), kube.secretSource(), true, ConfigSchema.get(), problems)));
      }
    }
    if (!problems.isEmpty()) {
      return null;
    }
    JsonObject next = loader.resolve(fileContent, layers);
    problems.addAll(GatewayConfigCheck.problems(vertx, jwks, next.getJsonObject("gateway"), next.getJsonObject("services")));
    if (in.file() != null) {
      fileSeen = true;
    }
    return next;
  }

  private void apply(String source, JsonObject next) {
    List<ConfigDiff.Change> changes = ConfigDiff.changes(current, next);
    resourceVersionApplied();
    if (changes.isEmpty()) {
      return;
    }
    JsonObject previous = current;
    current = next;
    version++;
    appliedHash = ConfigDiff.hash(next);
    appliedSource = source;
    appliedAt = Instant.now();
    List<String> restart = ConfigDiff.needingRestart(ConfigDiff.changes(running, next));
    List<String> newlyRestart = ConfigDiff.needingRestart(changes);
    needsRestart = restart;
    List<String> sections = new ArrayList<>();
    for (String s : FIRST) {
      if (next.containsKey(s) && !next.getValue(s).equals(previous.getValue(s))) {
        sections.add(s);
      }
    }
    for (String s : next.fieldNames()) {
      if (!sections.contains(s) && !next.getValue(s).equals(previous.getValue(s))) {
        sections.add(s);
      }
    }
    for (String s : sections) {
      vertx.eventBus().publish(CHANGED_PREFIX + s, next.getValue(s));
    }
    updatesApplied.increment();
    if (seenAt != 0) {
      propagation.record(System.nanoTime() - seenAt, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
    if (sections.contains("config")) {
      rescheduleScan();
    }
    JsonArray diff = ConfigDiff.toJson(changes);
    record(new JsonObject().put("version", version).put("outcome", "applied").put("source", source).put("at", appliedAt.toString())
      .put("hash", appliedHash).put("resourceVersion", appliedResourceVersion).put("changes", diff)
      .put("needsRestart", new JsonArray(newlyRestart)));
    if (newlyRestart.isEmpty()) {
      LOG.info("config: applied version {} from {} ({} key(s) changed in {})", version, source, changes.size(), String.join(", ", sections));
    } else {
      LOG.warn("config: applied version {} from {} ({} key(s) changed); these take effect only after a restart: {}", version,
        source, changes.size(), String.join(", ", newlyRestart));
    }
    audit("config.applied", source, "success", new JsonObject().put("version", version).put("hash", appliedHash)
      .put("resourceVersion", appliedResourceVersion).put("changes", diff).put("needsRestart", new JsonArray(newlyRestart)));
  }

  private void resourceVersionApplied() {
    if (kube.enabled()) {
      appliedResourceVersion = resourceVersion;
    }
  }

  private void reject(String source, List<String> problems, JsonObject candidate) {
    rejected.increment();
    updatesRejected.increment();
    Instant at = Instant.now();
    lastError = new JsonObject().put("at", at.toString()).put("source", source).put("problems", new JsonArray(problems))
      .put("resourceVersion", kube.enabled() ? resourceVersion : null);
    LOG.error("config rejected, keeping version {}: {}: {}", version, source, String.join("; ", problems));
    JsonObject entry = new JsonObject().put("version", null).put("outcome", "rejected").put("source", source).put("at", at.toString())
      .put("resourceVersion", kube.enabled() ? resourceVersion : null).put("problems", new JsonArray(problems));
    if (candidate != null) {
      entry.put("changes", ConfigDiff.toJson(ConfigDiff.changes(current, candidate)));
    }
    record(entry);
    audit("config.rejected", source, "failure", new JsonObject().put("problems", new JsonArray(problems))
      .put("keptVersion", version).put("resourceVersion", kube.enabled() ? resourceVersion : null));
  }

  private void record(JsonObject entry) {
    history.addFirst(entry);
    int keep = current.getJsonObject("config").getInteger("history", 20);
    while (history.size() > Math.max(keep, 1)) {
      history.removeLast();
    }
  }

  private void audit(String action, String target, String outcome, JsonObject metadata) {
    JsonObject record = new JsonObject().put("actor", "config").put("action", action).put("target", target)
      .put("outcome", outcome).put("metadata", metadata);
    vertx.eventBus().request(AUDIT_ADDRESS, record)
      .onFailure(err -> LOG.warn("config: audit record {} was not stored: {}", action, err.getMessage()));
  }

  private void rescheduleScan() {
    long next = Math.max(Durations.parse(current.getJsonObject("config").getValue("scanPeriod")).toMillis(), 100);
    if (next != scanMs && scanTimer >= 0) {
      vertx.cancelTimer(scanTimer);
      scanMs = next;
      scanTimer = vertx.setPeriodic(scanMs, t -> scan());
    }
  }

  /** What GET /api/v1/config/status answers. */
  JsonObject status() {
    JsonObject applied = new JsonObject().put("version", version).put("hash", appliedHash).put("source", appliedSource)
      .put("appliedAt", appliedAt.toString()).put("resourceVersion", appliedResourceVersion);
    JsonObject k = new JsonObject().put("enabled", kube.enabled());
    if (kube.enabled()) {
      k.put("apiServer", kube.baseUrl()).put("namespace", kube.namespace()).put("configMap", kube.name())
        .put("key", kube.wholeMap() ? null : kube.key()).put("secret", kube.hasSecret() ? kube.secretName() : null)
        .put("watching", watch != null && watch.watching()).put("resourceVersion", resourceVersion);
    }
    return new JsonObject().put("applied", applied).put("lastError", lastError).put("sourceError", sourceError)
      .put("rejectedTotal", (long) rejected.count()).put("needsRestart", new JsonArray(needsRestart))
      .put("scanPeriodMs", scanMs).put("kubernetes", k);
  }

  private static String message(Throwable err) {
    return err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
  }

  @Override
  public Future<?> stop() {
    if (scanTimer >= 0) {
      vertx.cancelTimer(scanTimer);
    }
    if (watch != null) {
      watch.stop();
    }
    if (sources != null) {
      sources.close();
    }
    if (jwks != null) {
      jwks.close();
    }
    return Future.succeededFuture();
  }
}
