package io.junction.gateway.filter.basic;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.Relayable;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ShortcutType;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code SecureHeaders}: adds Spring's recommended security headers to responses that do not already carry
 * them. {@code disable} (lower-case header names, also the shortcut: {@code SecureHeaders=x-frame-options})
 * leaves some out; {@code enable: permissions-policy} opts in to Permissions-Policy; each value can be
 * changed with its Spring property name, e.g. {@code frameOptions} or {@code frame-options}.
 */
public final class SecureHeadersFilter implements Relayable {

  /** A header, its default value, and the argument names that override it. */
  private record Header(String name, String value, boolean optIn, String... args) {
  }

  private static final List<Header> HEADERS = List.of(
      new Header("X-Xss-Protection", "1 ; mode=block", false,
          "xssProtectionHeader", "xss-protection-header", "xssProtectionHeaderValue"),
      new Header("Strict-Transport-Security", "max-age=631138519", false,
          "strictTransportSecurity", "strict-transport-security", "strictTransportSecurityHeaderValue"),
      new Header("X-Frame-Options", "DENY", false,
          "frameOptions", "frame-options", "frameOptionsHeaderValue"),
      new Header("X-Content-Type-Options", "nosniff", false,
          "contentTypeOptions", "content-type-options", "contentTypeOptionsHeaderValue"),
      new Header("Referrer-Policy", "no-referrer", false,
          "referrerPolicy", "referrer-policy", "referrerPolicyHeaderValue"),
      new Header("Content-Security-Policy", "default-src 'self' https:; font-src 'self' https: data:;"
          + " img-src 'self' https: data:; object-src 'none'; script-src https:;"
          + " style-src 'self' https: 'unsafe-inline'", false,
          "contentSecurityPolicy", "content-security-policy", "contentSecurityPolicyHeaderValue"),
      new Header("X-Download-Options", "noopen", false,
          "downloadOptions", "download-options", "downloadOptionsHeaderValue"),
      new Header("X-Permitted-Cross-Domain-Policies", "none", false,
          "permittedCrossDomainPolicies", "permitted-cross-domain-policies",
          "permittedCrossDomainPoliciesHeaderValue"),
      new Header("Permissions-Policy", "accelerometer=(), ambient-light-sensor=(), autoplay=(), battery=(),"
          + " camera=(), cross-origin-isolated=(), display-capture=(), document-domain=(), encrypted-media=(),"
          + " execution-while-not-rendered=(), execution-while-out-of-viewport=(), fullscreen=(),"
          + " geolocation=(), gyroscope=(), keyboard-map=(), magnetometer=(), microphone=(), midi=(),"
          + " navigation-override=(), payment=(), picture-in-picture=(), publickey-credentials-get=(),"
          + " screen-wake-lock=(), sync-xhr=(), usb=(), web-share=(), xr-spatial-tracking=()", true,
          "permissionsPolicy", "permissions-policy", "permissionPolicyHeaderValue"));

  private final String[] names;
  private final String[] values;

  private SecureHeadersFilter(Map<String, String> headers) {
    this.names = headers.keySet().toArray(String[]::new);
    this.values = headers.values().toArray(String[]::new);
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    exchange.beforeResponse(ex -> {
      MultiMap headers = ex.responseHeaders();
      for (int i = 0; i < names.length; i++) {
        if (!headers.contains(names[i])) {
          headers.add(names[i], values[i]);
        }
      }
    });
    return chain.next(exchange);
  }

  @Override
  public String toString() {
    return "SecureHeaders " + List.of(names);
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "SecureHeaders";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("disable");
    }

    @Override
    public ShortcutType shortcutType() {
      return ShortcutType.GATHER_LIST;
    }

    @Override
    public List<String> argNames() {
      List<String> names = new ArrayList<>(List.of("disable", "enable"));
      HEADERS.forEach(h -> names.addAll(List.of(h.args)));
      return names;
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      Set<String> disable = headerNames(args, "disable");
      Set<String> enable = headerNames(args, "enable");
      Map<String, String> headers = new LinkedHashMap<>();
      for (Header header : HEADERS) {
        String value = null;
        String valueArg = null;
        for (String arg : header.args) {
          String given = args.optionalString(arg);
          if (given != null && value != null) {
            throw args.bad(arg, "the value of " + header.name + " is already given by '" + valueArg + "'");
          }
          if (given != null) {
            value = Headers.checkedValue(args, arg, given);
            valueArg = arg;
          }
        }
        String key = header.name.toLowerCase(Locale.ROOT);
        // a configured opt-in value means the header is wanted (Spring would also need enable)
        boolean wanted = !header.optIn || enable.contains(key) || value != null;
        if (wanted && !disable.contains(key)) {
          headers.put(header.name, value != null ? value : header.value);
        }
      }
      return new SecureHeadersFilter(headers);
    }

    private static Set<String> headerNames(Args args, String arg) throws DefinitionException {
      Set<String> names = new LinkedHashSet<>();
      if (!args.has(arg)) {
        return names;
      }
      for (String name : args.requiredStringList(arg)) {
        String key = name.toLowerCase(Locale.ROOT);
        if (HEADERS.stream().noneMatch(h -> h.name.toLowerCase(Locale.ROOT).equals(key))) {
          List<String> known = HEADERS.stream().map(h -> h.name.toLowerCase(Locale.ROOT)).toList();
          throw args.bad(arg, "unknown security header '" + name + "' (expected some of "
              + String.join(", ", known) + ")");
        }
        names.add(key);
      }
      return names;
    }
  }
}
