package io.lifecycle.ingest;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.pipeline.Pipeline;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.StepResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kinds of bad input the README's reliability table lists, each through the ingest step: a clear
 * error with its exit code, or a quarantine reason, and no row lost. ({@link IngestStepTest} holds the
 * row-level reasons, time formats, missing paths and columns, and the corrupt gzip.)
 */
class BadInputTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2024, 4, 1);
  private static final String HEADER = "customer_id,event_time,event_type\n";
  private final SparkSession spark = SharedSpark.get();

  /** Ingests the folder {@code dir/in} into {@code dir/out} through the pipeline, as a run does. */
  private StepResult ingest(Path dir, String... conf) {
    RunContext ctx = new RunContext(spark, TestSupport.runConfig(dir, conf), RUN_DATE);
    return new Pipeline(List.of(new IngestStep())).run(ctx, List.of()).get("ingest");
  }

  private static Path write(Path dir, String file, byte[] body) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    return Files.write(in.resolve(file), body);
  }

  private static Path write(Path dir, String file, String body) throws Exception {
    return write(dir, file, body.getBytes(StandardCharsets.UTF_8));
  }

  private Dataset<Row> table(Path dir, String name) {
    return spark.read().format("delta").load(dir.resolve("out").resolve(name).toString());
  }

  private LifecycleException fails(Path dir, String... conf) {
    return assertThrows(LifecycleException.class, () -> ingest(dir, conf));
  }

  @Test
  void emptyInputOfEveryFormatIsInputUnavailable(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("folder/in"));
    write(dir.resolve("zero"), "a.csv", "");
    write(dir.resolve("header"), "a.csv", HEADER);
    write(dir.resolve("json"), "a.json", "");
    for (String[] c : new String[][] {{"folder"}, {"zero"}, {"header"}, {"json", "lifecycle.input.format = json"},
        {"folder", "lifecycle.input.format = parquet"}}) {
      LifecycleException e = fails(dir.resolve(c[0]), Arrays.copyOfRange(c, 1, c.length));
      assertEquals(ExitCode.INPUT_UNAVAILABLE, e.exitCode(), String.join(" ", c) + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("holds no rows"), e.getMessage());
    }
  }

  @Test
  void deltaInputThatIsNotADeltaTableIsAConfigurationError(@TempDir Path dir) throws Exception {
    write(dir, "a.csv", HEADER + "c1,2024-03-01T10:00:00Z,page_view\n");
    LifecycleException e = fails(dir, "lifecycle.input.format = delta");
    assertEquals(ExitCode.USAGE_OR_CONFIG, e.exitCode(), e.getMessage());
    assertTrue(e.getMessage().contains("is not a Delta table"), e.getMessage());
  }

  @Test
  void schemaDriftExtraColumnsAreIgnoredMissingOptionalOnesAreNullAndIdsStayStrings(@TempDir Path dir) throws Exception {
    // No amount, channel or event_id column; two columns the config does not know; ids with leading zeros.
    write(dir, "drift.csv", "utm_source,customer_id,event_time,notes,event_type\n"
        + "mail,007,2024-03-01T10:00:00Z,\"a, b\",page_view\n"
        + "ads,0042,2024-03-01T11:00:00Z,,purchase\n");
    StepResult r = ingest(dir);
    assertEquals(2, r.inputRows());
    assertEquals(0, r.quarantinedRows());
    assertEquals(List.of("0042|purchase|null|null|null", "007|page_view|null|null|null"),
        TestSupport.rows(table(dir, "events").select("customer_id", "event_type", "amount", "channel", "event_id")));
  }

  @Test
  void bytesThatAreNotUtf8AreQuarantinedUnlessTheEncodingIsConfigured(@TempDir Path dir) throws Exception {
    byte[] latin1 = (HEADER + "Zo\u00eb,2024-03-01T10:00:00Z,page_view\nc1,2024-03-01T10:00:00Z,page_view\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    write(dir, "latin1.csv", latin1);
    StepResult r = ingest(dir, "lifecycle.quality.max_quarantine_share = 0.5");
    assertEquals(1, r.quarantinedRows());
    assertEquals(List.of("invalid_encoding|customer_id"),
        TestSupport.rows(table(dir, "events_quarantine").select("reason", "detail")));
    assertEquals(List.of("c1"), TestSupport.rows(table(dir, "events").select("customer_id")));

    ingest(dir, "lifecycle.input.options.encoding = \"ISO-8859-1\"");
    assertEquals(List.of("Zo\u00eb", "c1"), TestSupport.rows(table(dir, "events").select("customer_id")));
  }

  @Test
  void extremelyLongValuesAreKeptWholeOrCutOnlyInTheQuarantine(@TempDir Path dir) throws Exception {
    String longId = "c".repeat(200_000);
    String longTime = "9".repeat(200_000);
    write(dir, "long.csv", HEADER + longId + ",2024-03-01T10:00:00Z,page_view\nc2," + longTime + ",page_view\n");
    StepResult r = ingest(dir, "lifecycle.quality.max_quarantine_share = 0.5");
    assertEquals(2, r.inputRows());
    // An id is never cut: two long ids that share a prefix are two customers.
    assertEquals(List.of("200000"), TestSupport.rows(table(dir, "events").selectExpr("length(customer_id)")));
    Row q = table(dir, "events_quarantine").head();
    assertEquals("unparseable_time", q.getAs("reason"));
    assertEquals(1000, q.<String>getAs("detail").length());
    assertEquals(RawEventReader.MAX_RECORD_CHARS, q.<String>getAs("raw_record").length());
  }

  @Test
  void theSameFileTwiceGivesEachEventOnce(@TempDir Path dir) throws Exception {
    String body = "customer_id,event_time,event_type,amount,event_id\n"
        + "c1,2024-03-01T10:00:00Z,purchase,9.5,e1\n"
        + "c1,2024-03-01T10:05:00Z,page_view,,\n";
    write(dir, "day1.csv", body);
    write(dir, "day1-copy.csv", body);
    StepResult r = ingest(dir);
    assertEquals(4, r.inputRows());
    assertEquals(2L, r.outputRows().get("events"));
    assertEquals(List.of("c1|page_view|null|day1-copy.csv", "c1|purchase|9.5|day1-copy.csv"),
        TestSupport.rows(table(dir, "events").selectExpr("customer_id", "event_type", "amount",
            "regexp_extract(source_file, '[^/]+$', 0)")));
  }

  @Test
  void badGzipLargerThanTheGoodFilesIsNamedNotTakenForEmptyInput(@TempDir Path dir) throws Exception {
    write(dir, "good.csv", HEADER + "c1,2024-03-01T10:00:00Z,page_view\n");
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      StringBuilder rows = new StringBuilder(HEADER);
      for (int i = 0; i < 2000; i++) {
        rows.append("c").append(i).append(",2024-03-01T10:00:00Z,page_view\n");
      }
      out.write(rows.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] whole = gz.toByteArray();
    write(dir, "big.csv.gz", Arrays.copyOf(whole, whole.length / 2)); // truncated, still the largest file
    LifecycleException e = fails(dir);
    assertEquals(ExitCode.DATA_QUALITY, e.exitCode(), e.getMessage());
    assertTrue(e.getMessage().contains("cannot read input file") && e.getMessage().contains("big.csv.gz"), e.getMessage());
  }

  @Test
  void truncatedParquetAmongGoodFilesFailsNamingItOrIsQuarantined(@TempDir Path dir) throws Exception {
    StructType schema = new StructType().add("customer_id", DataTypes.StringType).add("event_time", DataTypes.StringType)
        .add("event_type", DataTypes.StringType);
    Path staging = dir.resolve("staging");
    spark.createDataFrame(List.of(RowFactory.create("c1", "2024-03-01T10:00:00Z", "page_view"),
            RowFactory.create("c2", "2024-03-01T11:00:00Z", "purchase")), schema)
        .coalesce(1).write().parquet(staging.toString());
    Path part;
    try (var files = Files.list(staging)) {
      part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    byte[] good = Files.readAllBytes(part);
    write(dir, "a-good.parquet", good);
    // Named to sort first, so Spark reads its footer for the schema.
    write(dir, "0-truncated.parquet", Arrays.copyOf(good, good.length - 20));
    LifecycleException e = fails(dir, "lifecycle.input.format = parquet");
    assertEquals(ExitCode.DATA_QUALITY, e.exitCode(), e.getMessage());
    assertTrue(e.getMessage().contains("cannot read input file") && e.getMessage().contains("0-truncated.parquet"), e.getMessage());

    StepResult r = ingest(dir, "lifecycle.input.format = parquet", "lifecycle.input.options.ignoreCorruptFiles = \"true\"",
        "lifecycle.quality.max_quarantine_share = 0.5");
    assertEquals(3, r.inputRows());
    assertEquals(List.of("c1|page_view", "c2|purchase"), TestSupport.rows(table(dir, "events").select("customer_id", "event_type")));
    assertEquals(List.of("unreadable_file|0-truncated.parquet"), TestSupport.rows(table(dir, "events_quarantine")
        .selectExpr("reason", "regexp_extract(source_file, '[^/]+$', 0)")));
  }
}
