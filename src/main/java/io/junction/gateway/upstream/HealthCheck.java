package io.junction.gateway.upstream;

/**
 * Active health check of a service: every {@code intervalMillis}, GET {@code path} on each
 * instance; an answer within {@code timeoutMillis} with an expected status is a success.
 * {@code unhealthyThreshold} failures in a row take an instance out, {@code healthyThreshold}
 * successes in a row bring it back.
 */
public record HealthCheck(String path, long intervalMillis, long timeoutMillis, int healthyThreshold,
    int unhealthyThreshold, StatusRanges expectedStatus) {
  public static final long DEFAULT_INTERVAL_MILLIS = 5_000;
  public static final long DEFAULT_TIMEOUT_MILLIS = 2_000;
  public static final int DEFAULT_HEALTHY_THRESHOLD = 2;
  public static final int DEFAULT_UNHEALTHY_THRESHOLD = 3;
  public static final String DEFAULT_EXPECTED_STATUS = "200-399";
}
