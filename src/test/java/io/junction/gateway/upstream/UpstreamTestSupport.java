package io.junction.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What the proxy does around an upstream call, and small waits, for the tests. */
final class UpstreamTestSupport {
  private UpstreamTestSupport() {
  }

  static ServiceRegistry registry(JsonObject services) {
    ServiceRegistry.Result result = ServiceRegistry.build(services);
    assertThat(result.problems()).isEmpty();
    return result.registry();
  }

  /**
   * A client that works like the proxy: pick, begin, call and end on one event loop. (Requests
   * issued straight from a test thread can stall on a kept-alive connection in Vert.x 5.0.)
   */
  static final class Caller {
    private final HttpClient client;
    private final Context context;

    Caller(Vertx vertx) {
      this.client = vertx.createHttpClient();
      this.context = vertx.getOrCreateContext();
    }

    /** choose → begin → GET / → end(status < 500): the answering upstream's name, or "none". */
    String call(Service service, String hashKey) throws Exception {
      Promise<String> answer = Promise.promise();
      context.runOnContext(v -> callOnLoop(service, hashKey).onComplete(answer));
      return answer.future().await(5, TimeUnit.SECONDS);
    }

    private Future<String> callOnLoop(Service service, String hashKey) {
      Instance instance = service.choose(hashKey);
      if (instance == null) {
        return Future.succeededFuture("none");
      }
      instance.begin();
      int[] status = {0};
      return client.request(new RequestOptions().setMethod(HttpMethod.GET)
              .setHost(instance.host()).setPort(instance.port()).setURI("/"))
          .compose(request -> request.send())
          .compose(response -> {
            status[0] = response.statusCode();
            return response.body().map(body -> body.toString());
          })
          .andThen(result -> instance.end(result.succeeded() && status[0] < 500));
    }

    /** How many of {@code calls} calls each upstream answered, in first-seen order. */
    Map<String, Integer> spread(Service service, int calls) throws Exception {
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (int i = 0; i < calls; i++) {
        counts.merge(call(service, null), 1, Integer::sum);
      }
      return counts;
    }
  }

  static void await(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }
}
