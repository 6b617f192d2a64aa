package io.junction.gateway.upstream;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** One named upstream service: its instances, how to balance over them and how to watch their health. */
public final class Service {
  private final String name;
  private final List<Instance> instances;
  private final String balancerName;
  private final LoadBalancer balancer;
  private final HashOn hashOn;
  private final HealthCheck healthCheck;
  private final PassiveCheck passive;
  private final boolean failOpen;
  private final JsonObject discovery;

  Service(String name, List<Instance> instances, String balancerName, HashOn hashOn, HealthCheck healthCheck,
      PassiveCheck passive, boolean failOpen, JsonObject discovery) {
    this.name = name;
    this.instances = List.copyOf(instances);
    this.balancerName = balancerName;
    this.balancer = LoadBalancer.create(balancerName, this.instances);
    this.hashOn = hashOn;
    this.healthCheck = healthCheck;
    this.passive = passive;
    this.failOpen = failOpen;
    this.discovery = discovery;
  }

  /**
   * The instance for one request, or null when none is available (the proxy answers 503). When
   * every instance is out and {@code failOpen} is set, picks among all of them instead.
   *
   * @param hashKey the request's key as {@link #hashOn()} says (header or cookie value, client
   *                ip) for consistent-hash; null otherwise or when the request has none
   */
  public Instance choose(String hashKey) {
    Instance instance = balancer.choose(hashKey, false);
    if (instance == null && failOpen) {
      instance = balancer.choose(hashKey, true);
    }
    return instance;
  }

  public String name() {
    return name;
  }

  public List<Instance> instances() {
    return instances;
  }

  /** The configured {@code loadBalancer} name. */
  public String loadBalancer() {
    return balancerName;
  }

  /** Where the consistent-hash key comes from; null for other balancers. */
  public HashOn hashOn() {
    return hashOn;
  }

  /** Active health check, or null when not configured. */
  public HealthCheck healthCheck() {
    return healthCheck;
  }

  /** Passive ejection, or null when not configured. */
  public PassiveCheck passive() {
    return passive;
  }

  public boolean failOpen() {
    return failOpen;
  }

  /** The {@code discovery} object as configured (kept for a later issue, not acted on), or null. */
  public JsonObject discovery() {
    return discovery;
  }

  @Override
  public String toString() {
    return name + instances;
  }
}
