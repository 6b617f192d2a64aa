package io.junction.http.api;

import io.junction.http.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Requests no operation took: 405 with Allow when the path is in the contract, else a JSON 404. */
final class UnmatchedRequests implements Handler<RoutingContext> {
  private record Template(Pattern pattern, String allow) {
  }

  private final List<Template> templates = new ArrayList<>();

  UnmatchedRequests(OpenAPIContract contract) {
    for (Path path : contract.getPaths()) {
      TreeSet<String> methods = new TreeSet<>();
      for (Operation op : path.getOperations()) {
        methods.add(op.getHttpMethod().name());
      }
      String regex = "\\Q" + path.getName().replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E/?";
      templates.add(new Template(Pattern.compile(regex), String.join(", ", methods)));
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    HttpMethod method = ctx.request().method();
    for (Template t : templates) {
      if (t.pattern().matcher(path).matches()) {
        ctx.response().putHeader("Allow", t.allow());
        ApiError.send(ctx.response(), 405, "method_not_allowed", method.name() + " is not allowed on " + path + "; allowed: " + t.allow(), null);
        return;
      }
    }
    ApiError.send(ctx.response(), 404, "not_found", "no such resource: " + method.name() + " " + path, null);
  }
}
