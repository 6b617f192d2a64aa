package io.junction.gateway.upstream;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One named upstream service: its instances, how to balance over them and how to watch their health.
 *
 * <p>The instances and the balancer over them form one immutable pool behind a volatile field. A static service
 * keeps its pool; a discovered one gets a new pool whenever its EndpointSlices change ({@link #discovered}), so a
 * pick is one volatile read and no lock, and an instance that left takes no new request from the next pick on.
 */
public final class Service {
  /** The instances and the balancer built over them, swapped as one. */
  private record Pool(List<Instance> instances, LoadBalancer balancer) {
  }

  private final String name;
  private final String balancerName;
  private final HashOn hashOn;
  private final HealthCheck healthCheck;
  private final PassiveCheck passive;
  private final boolean failOpen;
  private final KubernetesDiscovery discovery;
  private final LongSupplier nanoClock;
  private volatile Pool pool;
  /** The instances of the service this one replaced, whose state the first discovered list takes over. */
  private volatile List<Instance> predecessors = List.of();

  Service(String name, List<Instance> instances, String balancerName, HashOn hashOn, HealthCheck healthCheck,
      PassiveCheck passive, boolean failOpen, KubernetesDiscovery discovery, LongSupplier nanoClock) {
    this.name = name;
    this.balancerName = balancerName;
    this.hashOn = hashOn;
    this.healthCheck = healthCheck;
    this.passive = passive;
    this.failOpen = failOpen;
    this.discovery = discovery;
    this.nanoClock = nanoClock;
    this.pool = pool(instances);
  }

  private Pool pool(List<Instance> instances) {
    List<Instance> list = List.copyOf(instances);
    return new Pool(list, LoadBalancer.create(balancerName, list));
  }

  /**
   * The instance for one request, or null when none is available (the proxy answers 503). When
   * every instance is out and {@code failOpen} is set, picks among all of them instead.
   *
   * @param hashKey the request's key as {@link #hashOn()} says (header or cookie value, client
   *                ip) for consistent-hash; null otherwise or when the request has none
   */
  public Instance choose(String hashKey) {
    LoadBalancer balancer = pool.balancer();
    Instance instance = balancer.choose(hashKey, false);
    if (instance == null && failOpen) {
      instance = balancer.choose(hashKey, true);
    }
    return instance;
  }

  /**
   * Replaces the instances with these endpoints (weight 1, in address order so every node builds the same
   * ring). An instance that stays is the same object, with its health, ejection and in-flight count; a new one
   * takes over the state of the same URL in the service this one replaced, else starts healthy. Called on the
   * discovery watch's context only.
   */
  void discovered(List<Endpoint> endpoints) {
    Map<String, Instance> current = byId(pool.instances());
    Map<String, Instance> before = byId(predecessors);
    List<Instance> next = new ArrayList<>(endpoints.size());
    for (Endpoint endpoint : endpoints) {
      Instance fresh = new Instance(name, discovery.scheme(), endpoint.host(), endpoint.port(), 1, passive, nanoClock);
      Instance kept = current.get(fresh.id());
      if (kept == null) {
        Instance old = before.get(fresh.id());
        if (old != null) {
          fresh.inherit(old, healthCheck != null, passive != null);
        }
        kept = fresh;
      }
      next.add(kept);
    }
    next.sort(Comparator.comparing(Instance::id));
    predecessors = List.of(); // taken over once; keeps no chain of old registries alive
    pool = pool(next);
  }

  /** The instances of the service this one replaces (a reload), for {@link #discovered} to take state from. */
  void predecessors(List<Instance> instances) {
    predecessors = List.copyOf(instances);
  }

  private static Map<String, Instance> byId(List<Instance> instances) {
    Map<String, Instance> map = new HashMap<>();
    for (Instance instance : instances) {
      map.put(instance.id(), instance);
    }
    return map;
  }

  public String name() {
    return name;
  }

  /** The instances now: fixed for a static service, the last ready endpoints for a discovered one. */
  public List<Instance> instances() {
    return pool.instances();
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

  /** Where the instances come from when discovered; null for a service with static {@code instances}. */
  public KubernetesDiscovery discovery() {
    return discovery;
  }

  @Override
  public String toString() {
    return name + instances();
  }
}
