// The floor Junction is measured against on this machine: the barest Vert.x 5 forwarding proxy
// (HttpServer -> pooled HttpClient, streaming, no routing, no filters, no metrics), as in DESIGN.md §5.
// Run with the project's classpath, e.g.:
//   mvn -q dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
//   java -cp "$(cat /tmp/cp.txt)" bench/BareVertxProxy.java <listen-port> <upstream-port> [event-loops]
// then load it with wrk like the other targets (wrk -t1 -c64 -d10s http://127.0.0.1:<listen-port>/x).
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

public class BareVertxProxy {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int upstream = Integer.parseInt(args[1]);
    int loops = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true)).build();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(256));
        return vertx.createHttpServer().requestHandler(req -> {
          req.pause();
          client.request(new RequestOptions().setHost("127.0.0.1").setPort(upstream).setURI(req.uri())
              .setMethod(req.method()).setHeaders(req.headers()))
            .compose(out -> out.send(req))
            .onSuccess(in -> {
              req.response().setStatusCode(in.statusCode()).headers().addAll(in.headers());
              in.pipeTo(req.response());
            })
            .onFailure(err -> req.response().setStatusCode(502).end());
        }).listen(port, "127.0.0.1");
      }
    }, new DeploymentOptions().setInstances(loops)).await();
    System.out.println("bare Vert.x proxy on 127.0.0.1:" + port + " -> 127.0.0.1:" + upstream + ", " + loops + " event loop(s), native transport " + vertx.isNativeTransportEnabled());
  }
}
