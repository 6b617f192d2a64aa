package io.junction.routes;

/**
 * The two kinds of definitions the routes module manages. They are stored, versioned, validated and
 * announced the same way; only names differ.
 */
enum Kind {
  ROUTE("route", "routes", "route_revisions", "route_id", "gateway.routes"),
  SERVICE("service", "services", "service_revisions", "service_id", "gateway.services");

  /** Event family and audit noun: route.created, routes.route.update. */
  final String noun;
  /** Table, URL segment (/api/v1/routes) and cache name. */
  final String plural;
  final String revisions;
  final String idColumn;
  final String permissionPrefix;

  Kind(String noun, String plural, String revisions, String idColumn, String permissionPrefix) {
    this.noun = noun;
    this.plural = plural;
    this.revisions = revisions;
    this.idColumn = idColumn;
    this.permissionPrefix = permissionPrefix;
  }

  String location(String id) {
    return "/api/v1/" + plural + "/" + id;
  }
}
