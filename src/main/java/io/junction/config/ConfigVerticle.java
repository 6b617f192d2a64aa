package io.junction.config;

import io.junction.audit.Auditor;
import io.junction.events.EventsVerticle;
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
 * and, when it is good, hands it to this node's {@link Participants} (the modules that apply sections live, each
 * acknowledging). Only when every one acknowledged is the version current: status and history show it, the
 * audit record and the {@code config.applied} event are written, and each changed top-level section is
 * published on {@code junction.config.changed.<section>} for whoever listens (a notice: nobody applies from it).
 * If one participant fails or does not answer within {@code config.applyTimeout}, the ones that applied it get
 * the last good configuration back and that stays current. One version is handed over at a time; edits seen
 * meanwhile are considered after it (the newest sources win). A refused version, a deleted ConfigMap or an
 * unreachable API server never replace the last good configuration.
 */
public class ConfigVerticle extends VerticleBase {
  public static final String CHANGED_PREFIX = "junction.config.changed.";
  public static final String GET_ADDRESS = "junction.config.get";
  /** → {@link #status()}: the applied version, the last error, the sources. */
  public static final String STATUS_ADDRESS = "junction.config.status";
  /** → {items: [...]}: the last applied and rejected versions with their changes, newest first. */
  public static final String HISTORY_ADDRESS = "junction.config.history";
  /**
   * {document: YAML text (or a JSON object)} → {problems: [...]}: would this document, in place of the ConfigMap
   * (with Kubernetes) or of the config file, make a valid configuration? Nothing is applied.
   */
  public static final String VALIDATE_ADDRESS = "junction.config.validate";
  private static final Logger LOG = LoggerFactory.getLogger(ConfigVerticle.class);

  private final ConfigLoader loader;
  /** The configuration the modules started with: keys that are not live keep these values until a restart. */
  private JsonObject running;
  private final MeterRegistry meters;
  private final KubernetesSettings kube;
  private JsonObject current;
  private Counter rejected;
  private Counter updatesApplied;
  private Counter updatesRejected;
  private Counter updatesRolledBack;
  private Participants participants;
  private Auditor auditor;
  /** A version (or a catch-up) is being handed to the participants; changes seen meanwhile wait. */
  private boolean inFlight;
  /** What noticed a change while a version was in flight, or null. */
  private String again;
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
      .description("Configuration versions not applied (invalid, empty, deleted ConfigMap, refused or not acknowledged by a module); the last good one kept serving")
      .register(meters);
    updatesApplied = Counter.builder("junction.config.updates").tag("outcome", "applied")
      .description("Configuration versions seen, by outcome").register(meters);
    updatesRejected = Counter.builder("junction.config.updates").tag("outcome", "rejected")
      .description("Configuration versions seen, by outcome").register(meters);
    updatesRolledBack = Counter.builder("junction.config.updates").tag("outcome", "rolledback")
      .description("Configuration versions seen, by outcome").register(meters);
    propagation = Timer.builder("junction.config.propagation")
      .description("From seeing a new configuration version to every module having acknowledged it")
      .register(meters);
    fileSeen = Files.exists(loader.configFile());
    scanMs = Math.max(Durations.parse(current.getJsonObject("config").getValue("scanPeriod")).toMillis(), 100);
    jwks = new JwksSources(vertx);
    token = new ServiceAccountToken(vertx, kube.tokenFile());
    sources = new ConfigSources(vertx, loader.configFile(), kube);
    auditor = new Auditor(vertx, "config");
    participants = new Participants(vertx, () -> version, () -> {
      if (!inFlight) {
        catchUp();
      }
    });
    participants.listen();
    vertx.eventBus().<JsonObject>consumer(VALIDATE_ADDRESS, msg -> {
      Object document = msg.body() == null ? null : msg.body().getValue("document");
      if (document instanceof JsonObject json) {
        document = json.encode(); // JSON is YAML
      }
      if (!(document instanceof String text)) {
        msg.fail(400, "document (the YAML text of a configuration) is required");
        return;
      }
      msg.reply(new JsonObject().put("problems", new JsonArray(validate(text))));
    });
    vertx.eventBus().consumer(GET_ADDRESS, msg -> msg.reply(current.copy()));
    vertx.eventBus().consumer(STATUS_ADDRESS, msg -> msg.reply(status()));
    vertx.eventBus().consumer(HISTORY_ADDRESS, msg -> msg.reply(new JsonObject().put("items", new JsonArray(new ArrayList<>(history)))));
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
    if (inFlight) {
      again = trigger;
      return;
    }
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
    if (in.file() != null) {
      fileSeen = true;
    }
    apply(source, next);
  }

  /** The problems of a candidate document (the ConfigMap's, or the file's without Kubernetes); nothing is applied. */
  private List<String> validate(String document) {
    List<String> problems = new ArrayList<>();
    try {
      ConfigInputs candidate;
      if (kube.enabled()) {
        Object map = kube.wholeMap() ? YamlReader.read(document, "document") : document;
        candidate = new ConfigInputs(fileText, map, true, secretPayload);
      } else {
        candidate = new ConfigInputs(document, null, false, secretPayload);
      }
      assemble(candidate, problems);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    } catch (RuntimeException e) {
      // A caller waits for this answer: whatever the document holds, it gets problems, never silence.
      problems.add("document: cannot be read as a configuration: " + message(e));
    }
    return problems;
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
    return next;
  }

  /** Hands a validated version to the participants; it becomes current only when every one acknowledged. */
  private void apply(String source, JsonObject next) {
    List<ConfigDiff.Change> changes = ConfigDiff.changes(current, next);
    String rv = kube.enabled() ? resourceVersion : null;
    if (changes.isEmpty()) {
      if (kube.enabled()) {
        appliedResourceVersion = rv; // an edit that changes nothing (comments, order) is in force as it is
      }
      return;
    }
    long candidate = version + 1;
    long seen = seenAt;
    long timeout = applyTimeoutMs(next);
    inFlight = true;
    participants.send(next, candidate, "apply", timeout).compose(round -> {
      if (round.failures().isEmpty()) {
        applied(source, next, changes, rv, seen);
        return Future.succeededFuture();
      }
      // Back to the last good configuration: reaches exactly the participants that took the new one.
      return participants.send(current, version, "rollback", applyTimeoutMs(current))
        .map(back -> {
          notApplied(source, next, changes, rv, candidate, round, back);
          return null;
        });
    }).onComplete(ar -> {
      inFlight = false;
      if (ar.failed()) {
        LOG.error("config: handing version {} to the modules failed", candidate, ar.cause());
      }
      settle(true);
    });
  }

  /** After a round: changes seen meanwhile first, else bring participants that joined or failed up to date. */
  private void settle(boolean catchUp) {
    if (again != null) {
      String trigger = again;
      again = null;
      consider(trigger); // starts the next round, or finds nothing new
    }
    if (catchUp && !inFlight) {
      catchUp();
    }
  }

  /** Sends the current configuration to participants that do not have it (joined late, failed a rollback). */
  private void catchUp() {
    if (!participants.anyBehind(current)) {
      return;
    }
    inFlight = true;
    participants.send(current, version, "catch-up", applyTimeoutMs(current)).onComplete(ar -> {
      inFlight = false;
      if (ar.succeeded() && !ar.result().failures().isEmpty()) {
        LOG.error("config: modules could not take the current version {}: {}", version,
          String.join("; ", ar.result().failures().stream().map(Participants.Answer::message).toList()));
      }
      settle(false);
    });
  }

  private void applied(String source, JsonObject next, List<ConfigDiff.Change> changes, String rv, long seen) {
    JsonObject previous = current;
    current = next;
    version++;
    appliedHash = ConfigDiff.hash(next);
    appliedSource = source;
    appliedAt = Instant.now();
    if (kube.enabled()) {
      appliedResourceVersion = rv;
    }
    List<String> restart = ConfigDiff.needingRestart(ConfigDiff.changes(running, next));
    List<String> newlyRestart = ConfigDiff.needingRestart(changes);
    needsRestart = restart;
    List<String> sections = new ArrayList<>();
    for (String s : next.fieldNames()) {
      if (!next.getValue(s).equals(previous.getValue(s))) {
        sections.add(s);
      }
    }
    for (String s : sections) {
      vertx.eventBus().publish(CHANGED_PREFIX + s, next.getValue(s));
    }
    updatesApplied.increment();
    if (seen != 0) {
      propagation.record(System.nanoTime() - seen, java.util.concurrent.TimeUnit.NANOSECONDS);
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
    auditor.record(null, "config", "config.applied", source, "success", new JsonObject().put("version", version).put("hash", appliedHash)
      .put("resourceVersion", appliedResourceVersion).put("changes", diff).put("needsRestart", new JsonArray(newlyRestart)));
    // The events module writes it to the outbox in its own transaction (this module has no database).
    JsonObject event = new JsonObject().put("type", "config.applied").put("subject", "config")
      .put("data", new JsonObject().put("version", version).put("hash", appliedHash).put("source", source)
        .put("resourceVersion", appliedResourceVersion).put("sections", new JsonArray(sections))
        .put("needsRestart", new JsonArray(newlyRestart)));
    vertx.eventBus().request(EventsVerticle.PUBLISH_ADDRESS, event)
      .onFailure(err -> LOG.warn("config: event config.applied for version {} was not stored: {}", version, err.getMessage()));
  }

  /**
   * A participant refused the version or did not answer: the last good configuration stays current. Outcome
   * {@code rolledback} when some participant had applied it (and got the previous one back), else {@code rejected}.
   */
  private void notApplied(String source, JsonObject next, List<ConfigDiff.Change> changes, String rv, long candidate,
                          Participants.Round round, Participants.Round back) {
    boolean rolledBack = !round.applied().isEmpty();
    String outcome = rolledBack ? "rolledback" : "rejected";
    Participants.Answer first = round.failures().get(0);
    List<String> problems = new ArrayList<>();
    round.failures().forEach(a -> problems.add(a.message()));
    back.failures().forEach(a -> problems.add("rollback failed: " + a.message()));
    rejected.increment();
    (rolledBack ? updatesRolledBack : updatesRejected).increment();
    Instant at = Instant.now();
    lastError = new JsonObject().put("at", at.toString()).put("source", source).put("problems", new JsonArray(problems))
      .put("resourceVersion", rv).put("outcome", outcome).put("module", first.module());
    record(new JsonObject().put("version", null).put("outcome", outcome).put("source", source).put("at", at.toString())
      .put("resourceVersion", rv).put("problems", new JsonArray(problems)).put("module", first.module())
      .put("changes", ConfigDiff.toJson(changes)));
    List<String> restored = back.modules(back.applied());
    LOG.error("config: version {} from {} {} by module {}, keeping version {}{}: {}", candidate, source,
      first.timedOut() ? "not acknowledged in time" : "refused", first.module(), version,
      restored.isEmpty() ? "" : " (previous configuration restored in " + String.join(", ", restored) + ")", String.join("; ", problems));
    auditor.record(null, "config", "config." + outcome, source, "failure", new JsonObject().put("module", first.module())
      .put("problems", new JsonArray(problems)).put("attemptedVersion", candidate).put("keptVersion", version)
      .put("appliedBy", new JsonArray(round.modules(round.applied()))).put("rolledBackIn", new JsonArray(restored))
      .put("resourceVersion", rv).put("hash", ConfigDiff.hash(next)));
  }

  private static long applyTimeoutMs(JsonObject config) {
    return Math.max(Durations.parse(config.getJsonObject("config").getValue("applyTimeout", "5s")).toMillis(), 1);
  }

  private void reject(String source, List<String> problems, JsonObject candidate) {
    rejected.increment();
    updatesRejected.increment();
    Instant at = Instant.now();
    lastError = new JsonObject().put("at", at.toString()).put("source", source).put("problems", new JsonArray(problems))
      .put("resourceVersion", kube.enabled() ? resourceVersion : null).put("outcome", "rejected");
    LOG.error("config rejected, keeping version {}: {}: {}", version, source, String.join("; ", problems));
    JsonObject entry = new JsonObject().put("version", null).put("outcome", "rejected").put("source", source).put("at", at.toString())
      .put("resourceVersion", kube.enabled() ? resourceVersion : null).put("problems", new JsonArray(problems));
    if (candidate != null) {
      entry.put("changes", ConfigDiff.toJson(ConfigDiff.changes(current, candidate)));
    }
    record(entry);
    auditor.record(null, "config", "config.rejected", source, "failure", new JsonObject().put("problems", new JsonArray(problems))
      .put("keptVersion", version).put("resourceVersion", kube.enabled() ? resourceVersion : null));
  }

  private void record(JsonObject entry) {
    history.addFirst(entry);
    int keep = current.getJsonObject("config").getInteger("history", 20);
    while (history.size() > Math.max(keep, 1)) {
      history.removeLast();
    }
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
