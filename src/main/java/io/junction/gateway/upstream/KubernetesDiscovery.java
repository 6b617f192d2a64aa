package io.junction.gateway.upstream;

/**
 * {@code services.<name>.discovery.kubernetes}: where a service's instances come from — the ready endpoints of the
 * EndpointSlices of one Kubernetes Service. Two equal values mean the same watch, so a reload that keeps them
 * keeps the running watch.
 *
 * @param namespace  the Service's namespace; null for Junction's own ({@code config.kubernetes.namespace},
 *                   else {@code KUBERNETES_NAMESPACE})
 * @param service    the Kubernetes Service name (the slices' {@code kubernetes.io/service-name} label)
 * @param portName   the slice port to use, by name; null when {@code portNumber} is given or when the slice's
 *                   only port is meant
 * @param portNumber the endpoint port to use as it is; 0 when not given
 * @param scheme     {@code http} or {@code https}, how Junction talks to the endpoints
 */
public record KubernetesDiscovery(String namespace, String service, String portName, int portNumber, String scheme) {

  /** The namespace to watch: the configured one, else Junction's own. */
  String namespaceOr(String own) {
    return namespace != null ? namespace : own;
  }

  /** How logs name it: {@code namespace/service:port}. */
  String describe(String own) {
    String port = portNumber > 0 ? String.valueOf(portNumber) : portName != null ? portName : "<only port>";
    return namespaceOr(own) + "/" + service + ":" + port;
  }
}
