package io.junction.http.api;

import io.junction.testkit.ContractClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every example in the contracts validates against its schema (JSON Schema draft 2020-12): media-type
 * {@code example}/{@code examples}, parameter and header examples, and schema {@code examples}. An example is
 * what users copy; a wrong one is a bug in the contract.
 */
class ContractExamplesTest {
  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private record Example(String where, String schemaPointer, Object value) {
  }

  @ParameterizedTest
  @ValueSource(strings = {Contracts.ADMIN, Contracts.AUTH})
  void everyExampleMatchesItsSchema(String resource) throws Exception {
    LoadedContract contract = Contracts.parse(vertx, resource).await(30, TimeUnit.SECONDS);
    List<Example> examples = new ArrayList<>();
    collect(contract.json(), contract.json(), "", examples);
    assertThat(examples).as("examples found in " + resource).hasSizeGreaterThan(resource.equals(Contracts.ADMIN) ? 30 : 8);
    List<String> failures = new ArrayList<>();
    for (Example example : examples) {
      OutputUnit result = ContractClient.schemaValidator(contract, example.schemaPointer()).validate(example.value());
      if (!Boolean.TRUE.equals(result.getValid())) {
        failures.add(example.where() + ": " + result.toJson().encode());
      }
    }
    assertThat(failures).isEmpty();
  }

  /** Walks the document; an object with a schema and an example (or examples) is a place to check. */
  private static void collect(JsonObject doc, Object node, String pointer, List<Example> out) {
    if (node instanceof JsonObject object) {
      if (object.getValue("schema") instanceof JsonObject) {
        String schema = pointer + "/schema";
        if (object.containsKey("example")) {
          out.add(new Example(pointer + "/example", schema, object.getValue("example")));
        }
        if (object.getValue("examples") instanceof JsonObject named) {
          for (String name : named.fieldNames()) {
            JsonObject example = named.getJsonObject(name);
            if (example.containsKey("$ref")) {
              example = (JsonObject) resolve(doc, example.getString("$ref").substring(1));
            }
            out.add(new Example(pointer + "/examples/" + name, schema, example.getValue("value")));
          }
        }
      }
      if (pointer.contains("/schemas/") || pointer.endsWith("/schema")) {
        if (object.getValue("examples") instanceof JsonArray list) {
          for (int i = 0; i < list.size(); i++) {
            out.add(new Example(pointer + "/examples/" + i, pointer, list.getValue(i)));
          }
        }
      }
      for (String key : object.fieldNames()) {
        if (!key.equals("example") && !key.equals("examples")) {
          collect(doc, object.getValue(key), pointer + "/" + key.replace("~", "~0").replace("/", "~1"), out);
        }
      }
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        collect(doc, array.getValue(i), pointer + "/" + i, out);
      }
    }
  }

  private static Object resolve(JsonObject doc, String pointer) {
    Object node = doc;
    for (String segment : pointer.substring(1).split("/")) {
      node = ((JsonObject) node).getValue(segment.replace("~1", "/").replace("~0", "~"));
    }
    return node;
  }
}
