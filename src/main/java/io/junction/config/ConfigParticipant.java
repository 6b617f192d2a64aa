package io.junction.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

/**
 * One component that applies config sections live and acknowledges each version (see {@link Participants} for
 * the protocol). {@link #join} registers it with this node's config module, naming the sections it applies and
 * the values it started with; from then on it receives, on its own address, all of its sections of a version
 * whenever one of them changes (several sections of one version arrive together) and answers when done — or
 * with a failure, after which it must still run on what it had. The applier runs on the joining verticle's
 * context, one version at a time, in the order they were sent.
 */
public final class ConfigParticipant {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigParticipant.class);
  /** Node-local: every node's config module drives its own node's modules. */
  static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  /** Applies the given sections (every section the participant joined for) of one version. */
  @FunctionalInterface
  public interface Applier {
    Future<Void> apply(JsonObject sections, long version);
  }

  private final Vertx vertx;
  private final String id;
  private final MessageConsumer<JsonObject> consumer;
  /** The versions handed over, applied in order (a rollback may arrive while a late apply still runs). */
  private static final class Queue {
    Future<?> tail = Future.succeededFuture();
  }

  private ConfigParticipant(Vertx vertx, String id, MessageConsumer<JsonObject> consumer) {
    this.vertx = vertx;
    this.id = id;
    this.consumer = consumer;
  }

  /**
   * @param module  a short name shown in status, history and audit records (gateway, identity, logging)
   * @param initial the configuration the component runs on now (its sections are taken from it)
   * @return the participant; without a config module on this bus (a module tested alone) it works on, unregistered
   */
  public static Future<ConfigParticipant> join(Vertx vertx, String module, List<String> sections, JsonObject initial, Applier applier) {
    String id = module + "-" + UUID.randomUUID().toString().substring(0, 8);
    String address = Participants.APPLY_PREFIX + id;
    Queue queue = new Queue();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().localConsumer(address, msg -> {
      JsonObject body = msg.body();
      long version = body.getLong("version", 0L);
      Future<Void> done = queue.tail.transform(previous -> {
        try {
          return applier.apply(body.getJsonObject("sections", new JsonObject()), version);
        } catch (RuntimeException e) {
          return Future.failedFuture(e);
        }
      });
      queue.tail = done;
      done.onSuccess(v -> msg.reply(new JsonObject().put("id", id).put("version", version)))
        .onFailure(err -> msg.fail(500, err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage()));
    });
    JsonObject slice = new JsonObject();
    for (String s : sections) {
      slice.put(s, initial == null ? null : initial.getValue(s));
    }
    JsonObject join = new JsonObject().put("id", id).put("module", module).put("sections", new JsonArray(sections))
      .put("address", address).put("initial", slice);
    return consumer.completion()
      .compose(v -> vertx.eventBus().request(Participants.JOIN_ADDRESS, join, LOCAL))
      .map(reply -> new ConfigParticipant(vertx, id, consumer))
      .recover(err -> {
        if (err instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
          LOG.debug("config: no config module on this node; {} applies no live changes", id);
          return Future.succeededFuture(new ConfigParticipant(vertx, id, consumer));
        }
        return consumer.unregister().transform(ar -> Future.failedFuture(err));
      });
  }

  public String id() {
    return id;
  }

  /** Stops taking versions; the config module no longer waits for this participant. */
  public Future<Void> leave() {
    return vertx.eventBus().request(Participants.LEAVE_ADDRESS, new JsonObject().put("id", id), LOCAL)
      .<Void>mapEmpty().recover(err -> Future.succeededFuture())
      .compose(v -> consumer.unregister());
  }
}
