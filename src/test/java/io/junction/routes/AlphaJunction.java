package io.junction.routes;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The routes tests' common fixture: one Junction on its own database, an upstream named "alpha" and a routes API
 * client, started before a test class and stopped after it (test classes run one after another).
 */
abstract class AlphaJunction {
  static TestUpstream alpha;
  static JunctionTestKit kit;
  static RoutesClient client;

  @BeforeAll
  static void startJunction() throws Exception {
    alpha = new TestUpstream("alpha");
    kit = JunctionTestKit.builder().start();
    client = new RoutesClient(kit);
  }

  @AfterAll
  static void stopJunction() throws Exception {
    kit.close();
    alpha.close();
  }
}
