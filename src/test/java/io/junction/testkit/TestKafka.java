package io.junction.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Kafka broker for tests: one combined broker + controller KRaft node (the kafka_2.13 jar of the same
 * release as kafka-clients), started lazily once per test JVM on free loopback ports with a temp log dir and
 * stopped at JVM exit.
 *
 * <p>Clients reach it through a {@link TcpProxy}: the broker advertises the proxy's port, so every client
 * connection (bootstrap and partition leader alike) crosses it. {@link #cut()} drops them all and refuses new
 * ones, which is what clients see when the broker is down; {@link #restore()} brings it back on the same
 * address. The broker itself keeps running, so a fault test costs no restart.
 */
public final class TestKafka {
  private static final long START_TIMEOUT_MS = 60_000;
  private static TestKafka instance;

  private final Path dir;
  private final KafkaRaftServer server;
  private final TcpProxy proxy;

  private TestKafka(Path dir, KafkaRaftServer server, TcpProxy proxy) {
    this.dir = dir;
    this.server = server;
    this.proxy = proxy;
  }

  /** The shared broker, started on first use; fails with a clear message when it is not up within 60 s. */
  public static synchronized TestKafka get() {
    if (instance == null) {
      instance = start();
    }
    return instance;
  }

  /** What a client puts in bootstrap.servers (the proxy's address). */
  public String bootstrapServers() {
    return "127.0.0.1:" + proxy.port();
  }

  /** Kafka unreachable: every open client connection dropped, new ones refused. */
  public void cut() throws Exception {
    proxy.cut();
  }

  /** Kafka reachable again, at the same address. */
  public void restore() throws Exception {
    proxy.restore();
  }

  private static TestKafka start() {
    quietBrokerLogs();
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    Path dir = null;
    KafkaRaftServer server = null;
    TcpProxy proxy = null;
    try {
      dir = Files.createTempDirectory("junction-kafka");
      int brokerPort = FreePorts.next();
      int controllerPort = FreePorts.next();
      proxy = new TcpProxy(brokerPort);
      Properties props = brokerProperties(dir, brokerPort, controllerPort, proxy.port());
      KafkaConfig config = KafkaConfig.fromProps(props, false);
      new Formatter()
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .setNodeId(1)
        .setClusterId(Uuid.randomUuid().toString())
        .addDirectory(dir.toString())
        .setMetadataLogDirectory(dir.toString())
        .setControllerListenerName("CONTROLLER")
        .setReleaseVersion(MetadataVersion.latestProduction())
        .run();
      KafkaRaftServer started = new KafkaRaftServer(config, Time.SYSTEM);
      server = started;
      // startup() waits for the broker to register with its controller; keep it inside our own deadline.
      CompletableFuture.runAsync(started::startup).get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      awaitReady("127.0.0.1:" + proxy.port(), deadline);
      TestKafka kafka = new TestKafka(dir, started, proxy);
      Runtime.getRuntime().addShutdownHook(new Thread(kafka::shutdown, "test-kafka-shutdown"));
      return kafka;
    } catch (Exception e) {
      if (server != null) {
        server.shutdown();
      }
      closeQuietly(proxy);
      deleteQuietly(dir);
      throw new IllegalStateException("the test Kafka broker (KRaft, kafka_2.13 from Maven) did not start within "
        + START_TIMEOUT_MS / 1000 + " s: " + e, e);
    }
  }

  /** The broker's own INFO lines (hundreds at start) say nothing a Junction test needs; warnings still show. */
  private static void quietBrokerLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      for (String name : new String[] {"kafka", "state.change.logger", "org.apache.kafka", "org.apache.zookeeper"}) {
        context.getLogger(name).setLevel(Level.WARN);
      }
    }
  }

  private static Properties brokerProperties(Path dir, int brokerPort, int controllerPort, int advertisedPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + advertisedPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", dir.toString());
    // One small node on a 2-core machine: few threads, small segments, no cleaner buffer, no replication.
    p.put("num.partitions", "3");
    p.put("default.replication.factor", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    p.put("num.recovery.threads.per.data.dir", "1");
    p.put("log.cleaner.enable", "false");
    p.put("log.segment.bytes", String.valueOf(8 * 1024 * 1024));
    p.put("auto.create.topics.enable", "true");
    return p;
  }

  private static void awaitReady(String bootstrap, long deadline) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
      AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000", AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000"))) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception e) {
          if (System.currentTimeMillis() > deadline) {
            throw e;
          }
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("no broker registered");
        }
        Thread.sleep(100);
      }
    }
  }

  private void shutdown() {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException ignored) {
      // the JVM is going away
    }
    closeQuietly(proxy);
    deleteQuietly(dir);
  }

  private static void closeQuietly(TcpProxy proxy) {
    if (proxy != null) {
      try {
        proxy.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }
}
