package io.junction.config;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The components that apply config sections live, and one round of handing them a configuration.
 *
 * <p>Protocol (node-local bus, request/reply per participant): a component joins on start
 * ({@code junction.config.join}: id, module, sections, its own address, and the values it started with) and
 * leaves on stop ({@code junction.config.leave}); {@link ConfigParticipant} does both. So the config module
 * always knows who must acknowledge what. A round sends each participant whose sections differ from what it last
 * acknowledged one request on its address — all of its sections of that version together — and waits, at most
 * {@code config.applyTimeout}, for each answer: success, or a failure with a message. A participant that has
 * gone (no handler) is dropped, not counted as failed. A participant that does not answer in time is treated as
 * failed with unknown state, so a rollback is sent to it as well (a late apply is undone by it, in order).
 * Rolling back is the same round with the last good configuration: it reaches exactly the participants that
 * applied the new one (and the ones whose state is unknown).
 */
final class Participants {
  static final String JOIN_ADDRESS = "junction.config.join";
  static final String LEAVE_ADDRESS = "junction.config.leave";
  static final String LIST_ADDRESS = "junction.config.participants";
  static final String APPLY_PREFIX = "junction.config.apply.";

  /** One registered participant; {@code known} is the hash of the sections it last acknowledged, null if unknown. */
  private static final class Participant {
    final String id;
    final String module;
    final List<String> sections;
    final String address;
    String known;
    long version;

    Participant(String id, String module, List<String> sections, String address, String known) {
      this.id = id;
      this.module = module;
      this.sections = sections;
      this.address = address;
      this.known = known;
    }

    JsonObject slice(JsonObject config) {
      JsonObject out = new JsonObject();
      sections.forEach(s -> out.put(s, config.getValue(s)));
      return out;
    }

    String describe() {
      return module + " (" + id + ")";
    }
  }

  /** What one participant answered in a round. */
  record Answer(String id, String module, boolean ok, boolean timedOut, String message) {
  }

  /** The answers of a round (none when nobody needed the configuration). */
  record Round(List<Answer> answers) {
    List<Answer> failures() {
      return answers.stream().filter(a -> !a.ok()).toList();
    }

    List<Answer> applied() {
      return answers.stream().filter(Answer::ok).toList();
    }

    List<String> modules(List<Answer> of) {
      return of.stream().map(Answer::module).distinct().toList();
    }
  }

  private final Vertx vertx;
  private final Map<String, Participant> byId = new LinkedHashMap<>();
  private final Runnable joined;
  private final LongSupplier currentVersion;

  /**
   * @param currentVersion the version in force (what a joining participant is taken to have, if its sections match)
   * @param joined         called after a participant joined (the config module brings it up to date)
   */
  Participants(Vertx vertx, LongSupplier currentVersion, Runnable joined) {
    this.vertx = vertx;
    this.currentVersion = currentVersion;
    this.joined = joined;
  }

  void listen() {
    vertx.eventBus().<JsonObject>localConsumer(JOIN_ADDRESS, msg -> {
      JsonObject b = msg.body();
      if (b == null || b.getString("id") == null || b.getString("address") == null || !(b.getValue("sections") instanceof JsonArray s)
        || s.isEmpty() || s.stream().anyMatch(x -> !(x instanceof String))) {
        msg.fail(400, "join needs id, module, address and a non-empty list of section names");
        return;
      }
      List<String> sections = s.stream().map(String.class::cast).toList();
      JsonObject initial = b.getJsonObject("initial", new JsonObject());
      Participant p = new Participant(b.getString("id"), b.getString("module", b.getString("id")), sections, b.getString("address"),
        ConfigDiff.hash(initial));
      p.version = currentVersion.getAsLong();
      byId.put(p.id, p);
      msg.reply(new JsonObject().put("id", p.id));
      joined.run();
    });
    vertx.eventBus().<JsonObject>localConsumer(LEAVE_ADDRESS, msg -> {
      String id = msg.body() == null ? null : msg.body().getString("id");
      msg.reply(new JsonObject().put("left", id != null && byId.remove(id) != null));
    });
    vertx.eventBus().consumer(LIST_ADDRESS, msg -> msg.reply(list()));
  }

  JsonObject list() {
    JsonArray items = new JsonArray();
    byId.values().forEach(p -> items.add(new JsonObject().put("id", p.id).put("module", p.module)
      .put("sections", new JsonArray(p.sections)).put("address", p.address).put("version", p.known == null ? null : p.version)));
    return new JsonObject().put("items", items);
  }

  /** Would this configuration reach anyone (some participant's sections differ from what it has)? */
  boolean anyBehind(JsonObject config) {
    return byId.values().stream().anyMatch(p -> !ConfigDiff.hash(p.slice(config)).equals(p.known));
  }

  /**
   * Hands {@code config} to every participant whose sections differ from what it acknowledged last, all at once,
   * and completes (never fails) when every one answered or timed out.
   */
  Future<Round> send(JsonObject config, long version, String reason, long timeoutMs) {
    List<Future<Answer>> answers = new ArrayList<>();
    DeliveryOptions options = new DeliveryOptions(ConfigParticipant.LOCAL).setSendTimeout(timeoutMs);
    for (Participant p : new ArrayList<>(byId.values())) {
      JsonObject slice = p.slice(config);
      String hash = ConfigDiff.hash(slice);
      if (hash.equals(p.known)) {
        continue;
      }
      JsonObject request = new JsonObject().put("version", version).put("reason", reason).put("sections", slice);
      Promise<Answer> answer = Promise.promise();
      vertx.eventBus().request(p.address, request, options).onComplete(ar -> {
        if (ar.succeeded()) {
          p.known = hash;
          p.version = version;
          answer.complete(new Answer(p.id, p.module, true, false, null));
        } else if (ar.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
          byId.remove(p.id); // undeployed without leaving: nobody to wait for
          answer.complete(null);
        } else if (ar.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT) {
          p.known = null;
          answer.complete(new Answer(p.id, p.module, false, true,
            p.describe() + " did not answer within " + timeoutMs + " ms"));
        } else {
          answer.complete(new Answer(p.id, p.module, false, false, p.describe() + ": " + ar.cause().getMessage()));
        }
      });
      answers.add(answer.future());
    }
    return Future.join(answers).transform(ar -> {
      List<Answer> out = new ArrayList<>();
      answers.forEach(f -> {
        if (f.result() != null) {
          out.add(f.result());
        }
      });
      return Future.succeededFuture(new Round(out));
    });
  }
}
