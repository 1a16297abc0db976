package io.lifecycle.privacy;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.cli.Steps;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.TableDef;
import io.lifecycle.tables.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With pseudonymization on, no table a run writes holds a raw customer id, every customer_id column
 * holds HMAC-SHA-256(key, id), and a second run with the same key maps each id to the same value.
 */
class PseudonymizedOutputsTest {
  private static final String KEY = "team-secret-42";
  private final SparkSession spark = SharedSpark.get();

  private LifecycleConfig config(Path dir, Path out, String... more) {
    List<String> lines = new ArrayList<>(List.of("lifecycle.input.path = \"" + dir.resolve("in") + "\"",
        "lifecycle.output.root = \"" + out + "\"",
        "lifecycle.privacy.pseudonymize = true",
        "lifecycle.privacy.key_env = null",
        "lifecycle.privacy.key_file = \"" + dir.resolve("key") + "\"",
        "lifecycle.quality.max_quarantine_share = 0.5"));
    lines.addAll(List.of(more));
    return TestSupport.config(lines.toArray(String[]::new));
  }

  @Test
  void identityStitchingPseudonymizesEveryIdAndTheIdentityMap(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("key"), KEY);
    TestSupport.inputFile(dir, "a.csv", String.join("\n",
        "customer_id,event_time,event_type,amount,anonymous_id,device_id",
        ",2024-03-01T10:00:00Z,page_view,,cookie-1,",
        "alice,2024-03-01T10:05:00Z,purchase,20,cookie-1,laptop-9",
        ",2024-03-02T12:00:00Z,product_view,,cookie-2,") + "\n");
    Path out = dir.resolve("out");
    LifecycleConfig stitching = config(dir, out,
        "lifecycle.input.columns.anonymous_id = anonymous_id", "lifecycle.input.identity.extra_id_columns = [device_id]");
    Steps.standard().run(new RunContext(spark, stitching, LocalDate.of(2024, 4, 1)), List.of("ingest", "stitch", "sessionize"));

    String alice = PseudonymizerTestAccess.hmac(KEY, "alice");
    String cookie2 = "anonymous_id:" + PseudonymizerTestAccess.hmac(KEY, "cookie-2");
    assertEquals(List.of(alice, cookie2), TestSupport.rows(
        spark.read().format("delta").load(out.resolve("events").toString()).select(Columns.CUSTOMER_ID).distinct()));
    assertEquals(List.of(
            "anonymous_id|" + PseudonymizerTestAccess.hmac(KEY, "cookie-1") + "|" + alice,
            "anonymous_id|" + PseudonymizerTestAccess.hmac(KEY, "cookie-2") + "|" + cookie2,
            "customer_id|" + alice + "|" + alice,
            "device_id|" + PseudonymizerTestAccess.hmac(KEY, "laptop-9") + "|" + alice).stream().sorted().toList(),
        TestSupport.rows(spark.read().format("delta").load(out.resolve("identity_map").toString())
            .select("id_type", "id", "customer_id")));
    for (String table : List.of("events", "identity_map", "sessions", "events_quarantine")) {
      long leaks = spark.read().format("delta").load(out.resolve(table).toString())
          .selectExpr("to_json(struct(*)) AS row").where("row LIKE '%alice%' OR row LIKE '%cookie-%' OR row LIKE '%laptop%'").count();
      assertEquals(0, leaks, "raw ids in " + table);
    }
  }

  @Test
  void everyOutputTableHoldsOnlyStablePseudonyms(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("key"), KEY);
    TestSupport.inputFile(dir, "a.csv", String.join("\n",
        "customer_id,event_time,event_type,amount",
        "alice,2024-03-01T10:00:00Z,page_view,",
        "alice,2024-03-01T10:05:00Z,purchase,20",
        "alice,2024-03-20T09:00:00Z,review,",
        "bob-007,2024-03-02T12:00:00Z,product_view,",
        "bob-007,,product_view,") + "\n"); // quarantined: the quarantine keeps no raw row
    LocalDate runDate = LocalDate.of(2024, 4, 1);
    Path out = dir.resolve("out");
    Steps.standard().run(new RunContext(spark, config(dir, out), runDate), List.of("ingest", "sessionize", "journeys"));

    String alice = PseudonymizerTestAccess.hmac(KEY, "alice");
    String bob = PseudonymizerTestAccess.hmac(KEY, "bob-007");
    List<String> withIds = new ArrayList<>();
    for (TableDef t : Tables.all()) {
      Path location = out.resolve(t.name());
      if (!Files.isDirectory(location)) {
        continue;
      }
      Dataset<Row> table = spark.read().format("delta").load(location.toString());
      if (t.columnNames().contains(Columns.CUSTOMER_ID)) {
        withIds.add(t.name());
        assertEquals(List.of(alice, bob), TestSupport.rows(table.select(Columns.CUSTOMER_ID).distinct()), t.name());
      }
      long leaks = table.selectExpr("to_json(struct(*)) AS row").where("row LIKE '%alice%' OR row LIKE '%bob-007%'").count();
      assertEquals(0, leaks, "raw ids in " + t.name());
    }
    assertEquals(List.of("events", "sessions", "customer_stage_history", "customer_journeys"), withIds);

    // Another run with the same key (another output, so nothing is carried over) maps ids the same way.
    Path again = dir.resolve("again");
    Steps.standard().run(new RunContext(spark, config(dir, again), runDate), List.of("ingest"));
    assertEquals(List.of(alice, bob), TestSupport.rows(
        spark.read().format("delta").load(again.resolve("events").toString()).select(Columns.CUSTOMER_ID).distinct()));
  }

  @Test
  void theKeyCannotBeWrittenInTheConfigFile() {
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> TestSupport.config("lifecycle.privacy.pseudonymize = true", "lifecycle.privacy.key = \"in-the-file\""));
    assertTrue(e.getMessage().contains("lifecycle.privacy.key") && e.getMessage().contains("unknown key"), e.getMessage());
    assertFalse(e.getMessage().contains("in-the-file"), e.getMessage());
  }
}
