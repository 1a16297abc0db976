package io.lifecycle.bench;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.generate.GeneratorSettings;
import io.lifecycle.generate.RawEventWriter;
import io.lifecycle.io.DeltaStore;
import io.lifecycle.pipeline.Pipeline;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Step;
import io.lifecycle.cli.Steps;
import io.lifecycle.pipeline.Versions;
import io.lifecycle.spark.SparkSessions;
import io.lifecycle.tables.BenchmarksTable;
import io.lifecycle.tables.ChurnPredictionsTable;
import io.lifecycle.tables.CustomerForecastTable;
import io.lifecycle.tables.NextStagePredictionsTable;
import io.lifecycle.tables.TableComparison;
import io.lifecycle.tables.TableDef;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import io.lifecycle.cohorts.CohortRetention;
import io.lifecycle.cohorts.CustomerActivity;
import io.lifecycle.spark.StageAssigner;
import io.lifecycle.sessions.Sessionizer;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.SessionsTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark: generates N events with the generator (Parquet), runs the pipeline's steps one at a
 * time on them and measures each (wall seconds, events per second, peak driver heap, spill and shuffle
 * bytes), runs the DuckDB reference of sessionization and cohort retention on the same Parquet and
 * checks both engines agree, then prints the results and saves them as JSON and in the
 * {@code benchmarks} Delta table. Run with {@code bin/benchmark --events 10M}.
 */
public final class Benchmark {
  /** Events the generator's defaults produce per customer, measured on the sample (46,116 / 5,000). */
  static final double EVENTS_PER_CUSTOMER = 9.22;

  /** One timed step; cpuSeconds is the whole process's CPU time (every thread, DuckDB's native ones too). */
  record Measurement(String engine, String step, double wallSeconds, double cpuSeconds, long peakHeap, long spill, long shuffle) {}

  private final SparkSession spark;
  private final long events;
  private final Path work;
  private final List<Measurement> measurements = new ArrayList<>();
  private final HeapSampler heap = new HeapSampler();

  private final int bots;
  private final long eventsPerBot;
  private int duckdbMemoryGb;

  Benchmark(SparkSession spark, long events, Path work, int bots, long eventsPerBot) {
    this.spark = spark;
    this.events = events;
    this.work = work;
    this.bots = bots;
    this.eventsPerBot = eventsPerBot;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    long events = parseCount(opts.getOrDefault("events", "1M"));
    Path work = Path.of(opts.getOrDefault("workdir", "/tmp/lifecycle-bench"));
    List<String> steps = opts.containsKey("steps") ? List.of(opts.get("steps").split(",")) : List.of();
    // As bin/lifecycle runs the job: the master as a system property, so the local defaults apply.
    System.setProperty("spark.master", opts.getOrDefault("master", "local[*]"));
    SparkSession spark = SparkSessions.builder("lifecycle-benchmark")
        .config("spark.extraListeners", TaskMetricsListener.class.getName())
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    Benchmark b = new Benchmark(spark, events, work,
        Integer.parseInt(opts.getOrDefault("bots", "0")), parseCount(opts.getOrDefault("events-per-bot", "0")));
    b.duckdbMemoryGb = Integer.parseInt(opts.getOrDefault("duckdb-memory-gb", "0"));
    String mode = opts.getOrDefault("mode", "steps");
    if ("compare".equals(mode)) {
      boolean same = compare(spark, opts.get("left"), opts.get("right"), opts.get("tables"));
      spark.stop();
      System.exit(same ? 0 : 1);
    } else if (List.of("sessions", "cohorts", "reference").contains(mode)) {
      // --only journeys,clv: those step references (with sessions, which they read); default all of them.
      List<String> only = opts.containsKey("only") ? List.of(opts.get("only").split(",")) : null;
      List<StepReference> references = mode.equals("reference") ? StepReference.all().stream()
          .filter(r -> only == null || only.contains(r.name())).toList() : List.of();
      if (only != null && references.size() != only.size()) {
        throw new IllegalArgumentException("--only takes some of " + StepReference.all().stream().map(StepReference::name).toList());
      }
      b.runReference(!mode.equals("cohorts"), !mode.equals("sessions") && only == null, references, !opts.containsKey("no-duckdb"));
    } else if ("sessions-breakdown".equals(opts.get("mode"))) {
      b.sessionsBreakdown();
    } else if ("clv-fit".equals(opts.get("mode"))) {
      b.runClvFit();
    } else if ("learning-curve".equals(mode)) {
      b.runLearningCurve(java.util.Arrays.stream(opts.getOrDefault("sizes", "5K,10K,25K,50K,100K,250K").split(","))
          .map(Benchmark::parseCount).toList(), opts.getOrDefault("tuning", "grid"));
    } else {
      b.run(steps, !opts.containsKey("no-duckdb"));
    }
    spark.stop();
  }

  /**
   * Prints, per table a chain of incremental runs and a full run should leave equal
   * ({@link TableComparison#INCREMENTAL_PARITY}), or the tables named in {@code tables} (comma separated:
   * of those and the predictions' tables), how the two output roots differ; true when none does.
   */
  static boolean compare(SparkSession spark, String left, String right, String tables) {
    if (left == null || right == null) {
      throw new IllegalArgumentException("--mode compare needs --left ROOT --right ROOT");
    }
    List<TableDef> compared = TableComparison.INCREMENTAL_PARITY;
    if (tables != null) {
      // Beside the parity tables, the predictions: equal when two versions of the code score the same models.
      List<TableDef> comparable = new ArrayList<>(TableComparison.INCREMENTAL_PARITY);
      comparable.addAll(List.of(ChurnPredictionsTable.DEF, NextStagePredictionsTable.DEF, CustomerForecastTable.DEF));
      List<String> names = List.of(tables.split(","));
      compared = comparable.stream().filter(t -> names.contains(t.name())).toList();
      if (compared.size() != names.size()) {
        throw new IllegalArgumentException("--tables takes some of " + comparable.stream().map(TableDef::name).toList() + ", not " + tables);
      }
    }
    Map<String, TestSupport.RowDifference> differences = TableComparison.compare(spark, left, right, compared);
    differences.forEach((table, d) -> System.out.println("  " + TableComparison.describe(table, d)));
    List<String> differing = TableComparison.differing(differences);
    System.out.println(differing.isEmpty() ? "every table equal" : "DIFFERENT: " + differing);
    return differing.isEmpty();
  }

  /** DuckDB's memory limit in GB; 0 (the default) gives it the driver's heap size. */
  int duckdbMemoryGb() {
    return duckdbMemoryGb;
  }

  static long parseCount(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT).replace("_", "");
    long multiplier = t.endsWith("M") ? 1_000_000L : t.endsWith("K") ? 1_000L : 1L;
    return (long) (Double.parseDouble(t.replaceAll("[MK]$", "")) * multiplier);
  }

  private String name() {
    return events + (bots > 0 ? "-bots" + bots + "x" + eventsPerBot : "");
  }

  /** The generator's raw events (Parquet) for this size, generated on first use and kept for reruns. */
  private Path generated() {
    Path input = work.resolve("input-" + name());
    if (!Files.exists(input.resolve("_SUCCESS"))) {
      // The bots' events count toward N: the customers fill the rest.
      long customers = Math.max(1, Math.round((events - (double) bots * eventsPerBot) / EVENTS_PER_CUSTOMER));
      measure("spark", "generate", () -> {
        RawEventWriter.write(spark, GeneratorSettings.defaults(customers, 7).withBots(bots, eventsPerBot),
            input.toString(), "parquet");
        return null;
      });
    }
    return input;
  }

  void run(List<String> requestedSteps, boolean duckdb) throws Exception {
    String id = "bench_" + events + "_" + Instant.now().getEpochSecond();
    String name = name();
    Path input = generated();
    long actualEvents = spark.read().parquet(input.toString()).count();
    System.out.printf("benchmark %s: %,d events in %s%n", id, actualEvents, input);
    Path out = work.resolve("out-" + name);
    LifecycleConfig config = TestSupport.config(
        "lifecycle.input.path = \"" + input + "\"",
        "lifecycle.input.format = parquet",
        "lifecycle.output.root = \"" + out + "\"");
    RunContext ctx = new RunContext(spark, config, LocalDate.of(2026, 1, 1));
    Pipeline pipeline = Steps.standard();
    for (Step step : pipeline.select(requestedSteps)) {
      measure("spark", step.name(), () -> pipeline.run(ctx, List.of(step.name())));
    }
    if (duckdb) {
      DeltaStore store = new DeltaStore(spark, config.output());
      try (DuckDbReference reference = new DuckDbReference(DuckDbReference.eventFiles(store), work, config, ctx.runDate(), this)) {
        reference.runAndCheck(store);
      }
      // The cohorts step computes four tables and the sBG projections; DuckDB only the retention matrix
      // (--mode reference compares the same work).
      double ours = seconds("spark", "sessionize") + seconds("spark", "cohorts");
      double theirs = seconds("duckdb", "sessionize") + seconds("duckdb", "cohort_retention");
      System.out.printf(Locale.ROOT, "  ratio   sessionize step: Spark/DuckDB %.2f; sessionize + cohorts steps against "
          + "sessions + retention matrix: %.2f%n", seconds("spark", "sessionize") / seconds("duckdb", "sessionize"), ours / theirs);
    }
    report(id, actualEvents, new DeltaStore(spark, config.output()));
  }

  /**
   * The reference comparison, Spark against DuckDB on the same work: the generated events are typed and
   * staged once (not timed) into plain Parquet; then each engine reads that Parquet and writes the whole
   * sessions table as Parquet ({@code sessions}; ours ordered by session date, as the table is), the
   * observed cohort retention matrix ({@code cohorts}), and each step reference's tables
   * ({@code reference}: {@link StepReference#all()}, or those named by {@code --only}); every result is
   * compared row by row, and the ratios printed per step and for the whole.
   */
  void runReference(boolean sessions, boolean cohorts, List<StepReference> references, boolean duckdb) throws Exception {
    String id = "bench_reference_" + events + "_" + Instant.now().getEpochSecond();
    LifecycleConfig config = TestSupport.config();
    Dataset<Row> typedEvents = typed(config);
    long actualEvents = typedEvents.count();
    System.out.printf("benchmark %s: %,d events%n", id, actualEvents);
    LocalDate runDate = LocalDate.of(2026, 1, 1);
    Dataset<Row> asOf = typedEvents.where(col(Columns.EVENT_TIME).lt(lit(Timestamp.from(runDate.atStartOfDay(java.time.ZoneOffset.UTC).toInstant()))));
    fitToInput(java.util.Arrays.asList(typedEvents.inputFiles()));
    Path sessionsOut = work.resolve("spark-sessions-" + name());
    Path cohortsOut = work.resolve("spark-cohort-retention-" + name());
    if (sessions) {
      Sessionizer sessionizer = new Sessionizer(config.sessions().inactivityGap(), config.sessions().maxDuration(), config.stages());
      measure("spark", "sessionize", () -> {
        // Laid out as the sessions table is (clustered by session date: range partitioned and sorted).
        sessionizer.sessionize(asOf).repartitionByRange(col(SessionsTable.SESSION_DATE))
            .sortWithinPartitions(col(SessionsTable.SESSION_DATE)).write().mode("overwrite").parquet(sessionsOut.toString());
        return null;
      });
    }
    if (cohorts) {
      CohortRetention retention = new CohortRetention(new CustomerActivity(config), config.cohorts().byChannel());
      measure("spark", "cohort_retention", () -> {
        retention.observed(asOf, runDate).write().mode("overwrite").parquet(cohortsOut.toString());
        return null;
      });
    }
    List<String> files = java.util.Arrays.asList(typedEvents.inputFiles());
    ReferenceInputs inputs = new ReferenceInputs(spark, config, runDate, generated(), files, sessionsOut);
    for (StepReference r : references) {
      measure("spark", r.name(), () -> {
        r.spark(inputs, work.resolve("spark-" + r.name() + "-" + name()));
        return null;
      });
    }
    if (duckdb) {
      try (DuckDbReference reference = new DuckDbReference(files, work, config, runDate, this)) {
        if (sessions) {
          String theirs = reference.sessionize();
          reference.checkSessions(java.util.Arrays.asList(spark.read().parquet(sessionsOut.toString()).inputFiles()), theirs);
        }
        if (cohorts) {
          String theirs = reference.cohortRetention();
          reference.checkRetention(java.util.Arrays.asList(spark.read().parquet(cohortsOut.toString()).inputFiles()), theirs);
        }
        for (StepReference r : references) {
          Path theirs = reference.folder(r.name());
          measure("duckdb", r.name(), () -> {
            try {
              r.duckdb(inputs, reference.statement(), theirs);
            } catch (java.sql.SQLException e) {
              throw new IllegalStateException("DuckDB " + r.name() + ": " + e.getMessage(), e);
            }
            return null;
          });
          r.check(inputs, reference.statement(), work.resolve("spark-" + r.name() + "-" + name()), theirs);
        }
      }
      List<String> parts = new ArrayList<>();
      if (sessions) {
        parts.add("sessionize");
      }
      if (cohorts) {
        parts.add("cohort_retention");
      }
      references.forEach(r -> parts.add(r.name()));
      for (String part : parts) {
        System.out.printf(Locale.ROOT, "  ratio   %s: Spark/DuckDB %.2f wall, %.2f cpu%n", part,
            seconds("spark", part) / seconds("duckdb", part), cpuSeconds("spark", part) / cpuSeconds("duckdb", part));
      }
      if (parts.size() > 1) {
        double ours = parts.stream().mapToDouble(p -> seconds("spark", p)).sum();
        double theirs = parts.stream().mapToDouble(p -> seconds("duckdb", p)).sum();
        System.out.printf(Locale.ROOT, "  ratio   %s: Spark/DuckDB %.2f wall (%.1f s against %.1f s)%n",
            String.join(" + ", parts), ours / theirs, ours, theirs);
      }
    }
    report(id, actualEvents, resultsStore());
  }

  /**
   * Our side computes with the settings the job chooses for an input of this size (Pipeline does the same
   * from the events table's size): shuffle partitions, and Spark's interpreter rather than generated code
   * for small inputs. Without it a small reference run compiled every query and measured the compiler.
   */
  private void fitToInput(List<String> files) {
    long bytes = files.stream().mapToLong(f -> new File(java.net.URI.create(f)).length()).sum();
    int partitions = io.lifecycle.spark.ShufflePartitions.fitTo(spark, bytes);
    boolean interpreted = io.lifecycle.spark.ExpressionEvaluation.fitTo(spark, bytes);
    System.out.printf(Locale.ROOT, "  spark   as the job chooses for %,d MB of events: %d shuffle partitions, expressions %s%n",
        bytes >> 20, partitions, interpreted ? "interpreted" : "compiled");
  }

  /**
   * Where sessionization's time goes: the same plan cut short at each stage and run into Spark's no-op
   * sink (scan; shuffle and sort; the pass and session columns; with the rebalance before the write),
   * then the full partitioned Parquet write. The differences between lines are each stage's cost.
   */
  void sessionsBreakdown() throws Exception {
    LifecycleConfig config = TestSupport.config();
    Dataset<Row> events = typed(config);
    Sessionizer sessionizer = new Sessionizer(config.sessions().inactivityGap(), config.sessions().maxDuration(), config.stages());
    measure("spark", "warm-up scan", () -> noop(events));
    measure("spark", "scan", () -> noop(events));
    measure("spark", "shuffle+sort", () -> noop(events.repartition(col(Columns.CUSTOMER_ID))
        .sortWithinPartitions(Columns.CUSTOMER_ID, Columns.EVENT_TIME)));
    measure("spark", "sessions (no write)", () -> noop(sessionizer.sessionize(events)));
    measure("spark", "sessions+rebalance", () -> noop(sessionizer.sessionize(events).hint("rebalance", col(SessionsTable.SESSION_DATE))));
    measure("spark", "sessions parquet write", () -> {
      sessionizer.sessionize(events).hint("rebalance", col(SessionsTable.SESSION_DATE))
          .write().mode("overwrite").partitionBy(SessionsTable.SESSION_DATE).parquet(work.resolve("breakdown-" + name()).toString());
      return null;
    });
  }

  private static Void noop(Dataset<Row> rows) {
    rows.write().format("noop").mode("overwrite").save();
    return null;
  }

  /** The generated events typed and staged (customer, time, type, stage, amount, channel) as Parquet, made once. */
  private Dataset<Row> typed(LifecycleConfig config) {
    Path input = generated();
    Path typed = work.resolve("typed-" + name());
    if (!Files.exists(typed.resolve("_SUCCESS"))) {
      measure("spark", "prepare", () -> {
        Dataset<Row> raw = spark.read().parquet(input.toString());
        new StageAssigner(config.stages()).assign(raw.select(
                col(Columns.CUSTOMER_ID), col(Columns.EVENT_TIME).cast("timestamp").as(Columns.EVENT_TIME),
                col(Columns.EVENT_TYPE), col(Columns.AMOUNT).cast("double").as(Columns.AMOUNT), col(Columns.CHANNEL)))
            .write().mode("overwrite").parquet(typed.toString());
        return null;
      });
    }
    return spark.read().parquet(typed.toString());
  }

  private DeltaStore resultsStore() {
    Path results = work.resolve("results");
    return new DeltaStore(spark, TestSupport.config("lifecycle.output.root = \"" + results + "\"").output());
  }

  /**
   * The CLV fit at scale: the per-customer summary aggregated by Spark from the events, compressed to
   * distinct summaries, and BG/NBD and Gamma-Gamma fitted on them in the driver, each timed.
   */
  void runClvFit() throws Exception {
    String id = "bench_clv_" + events + "_" + Instant.now().getEpochSecond();
    LifecycleConfig config = TestSupport.config();
    Dataset<Row> typedEvents = typed(config);
    LocalDate lastDay = LocalDate.of(2025, 12, 31);
    Dataset<Row> summary = io.lifecycle.stats.CustomerSummary.of(typedEvents, config.stages().purchaseEventTypes(), lastDay,
        config.clv().timeUnit()).cache();
    long customers = measure("spark", "clv_summary", summary::count);
    System.out.printf("benchmark %s: %,d customers with a purchase%n", id, customers);
    io.lifecycle.stats.RfmSummary triples = measure("spark", "clv_compress_rfm", () -> io.lifecycle.stats.ModelFits.triples(summary));
    var bg = measure("driver", "bg_nbd_fit", () -> io.lifecycle.stats.ModelFits.bgNbd(triples));
    io.lifecycle.stats.SpendSummary spends = measure("spark", "clv_compress_spend", () -> io.lifecycle.stats.ModelFits.spends(summary));
    var gg = measure("driver", "gamma_gamma_fit", () -> io.lifecycle.stats.ModelFits.gammaGamma(spends));
    System.out.printf(Locale.ROOT, "  fits    BG/NBD %s on %,d distinct of %,d; Gamma-Gamma %s on %,d distinct%n", bg.fit().model(),
        bg.distinct(), bg.customers(), gg.fit().model(), gg.distinct());
    System.out.printf(Locale.ROOT, "  total   summary + compress + fit: %.1f s (fits alone %.1f s)%n",
        seconds("spark", "clv_summary") + seconds("spark", "clv_compress_rfm") + seconds("driver", "bg_nbd_fit")
            + seconds("spark", "clv_compress_spend") + seconds("driver", "gamma_gamma_fit"),
        seconds("driver", "bg_nbd_fit") + seconds("driver", "gamma_gamma_fit"));
    report(id, customers, resultsStore());
  }

  /**
   * The models' learning curve: held-out churn AUC and next-stage macro-F1 against the number of
   * training customers, so that {@code models.max_training_customers} is chosen from measurements. The
   * generated events are ingested and sessionized once (kept in the work folder, reused by a later run
   * of the same size), the examples of every cutoff built once as the train step builds them (BG/NBD
   * signals included) and kept as Parquet; then each size trains the configured models on a nested
   * sample of the training customers (a smaller size's customers are part of every larger one's) and
   * is evaluated on the same held-out customers. Sizes above the training customers there are train
   * on all of them.
   */
  void runLearningCurve(List<Long> sizes, String tuning) throws Exception {
    String id = "bench_learning_curve_" + events + "_" + Instant.now().getEpochSecond();
    Path input = generated();
    Path out = work.resolve("out-" + name());
    LifecycleConfig config = TestSupport.config(
        "lifecycle.input.path = \"" + input + "\"",
        "lifecycle.input.format = parquet",
        "lifecycle.output.root = \"" + out + "\"",
        "lifecycle.models.tuning = " + tuning);
    RunContext ctx = new RunContext(spark, config, LocalDate.of(2026, 1, 1));
    Pipeline pipeline = Steps.standard();
    if (!ctx.store().exists(SessionsTable.DEF)) {
      for (String step : List.of("ingest", "sessionize")) {
        measure("spark", step, () -> pipeline.run(ctx, List.of(step)));
      }
    }
    io.lifecycle.models.TrainingSet set = new io.lifecycle.models.TrainingSet(config);
    Path examplesPath = work.resolve("examples-" + name());
    if (!Files.exists(examplesPath.resolve("_SUCCESS"))) {
      measure("spark", "examples", () -> {
        Dataset<Row> asOf = ctx.eventsAsOf().persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        List<LocalDate> cutoffs = set.cutoffs(ctx.runDate());
        new io.lifecycle.models.ChurnSignals(config)
            .addBgNbd(set.build(asOf, ctx.store().read(SessionsTable.DEF), ctx.runDate()), asOf, cutoffs)
            .write().mode("overwrite").parquet(examplesPath.toString());
        asOf.unpersist();
        return null;
      });
    }
    Dataset<Row> examples = spark.read().parquet(examplesPath.toString());
    Column test = col(io.lifecycle.models.TrainingSet.SPLIT);
    Row counts = examples.agg(countDistinct(when(not(test), col(Columns.CUSTOMER_ID))), countDistinct(when(test, col(Columns.CUSTOMER_ID))),
        count(lit(1)), count(when(test, lit(1)))).head();
    long trainCustomers = counts.getLong(0);
    long testExamples = counts.getLong(3);
    System.out.printf("benchmark %s: %,d examples; %,d training customers, %,d held out (%,d examples); models.tuning = %s%n", id,
        counts.getLong(2), trainCustomers, counts.getLong(1), testExamples, config.models().gridSearch() ? "grid" : "fixed");
    List<String> lines = new ArrayList<>();
    for (long size : sizes) {
      double fraction = Math.min(1.0, (double) size / trainCustomers);
      Dataset<Row> rows = withTrainingSample(examples, set, fraction);
      long customers = fraction >= 1.0 ? trainCustomers : rows.where(not(test)).select(Columns.CUSTOMER_ID).distinct().count();
      io.lifecycle.models.ModelTrainer.Result r = measure("spark", "train_" + customers, () -> new io.lifecycle.models.ModelTrainer(config).train(rows));
      Measurement m = measurements.get(measurements.size() - 1);
      lines.add(String.format(Locale.ROOT, "  curve   %,9d training customers %,10d examples  train %7.1f s  cpu %7.1f s  churn AUC gbt %.4f"
              + " logistic %.4f  next stage macro-F1 %.4f", customers, r.examples() - testExamples, m.wallSeconds(), m.cpuSeconds(),
          metric(r, "churn_gbt", "auc_roc"), metric(r, "churn_logistic", "auc_roc"), metric(r, "next_stage_forest", "macro_f1")));
      System.out.println(lines.get(lines.size() - 1));
      if (fraction >= 1.0) {
        break;
      }
    }
    lines.forEach(System.out::println);
    report(id, counts.getLong(2), resultsStore());
  }

  /**
   * Every held-out example, and the training examples of {@code fraction} of the training customers (all
   * their cutoffs): the training set's own customer sample, so a smaller fraction's customers are part
   * of every larger one's and each point of the curve is evaluated on the same customers.
   */
  static Dataset<Row> withTrainingSample(Dataset<Row> examples, io.lifecycle.models.TrainingSet set, double fraction) {
    Column test = col(io.lifecycle.models.TrainingSet.SPLIT);
    return examples.where(test).unionByName(set.sample(examples.where(not(test)), fraction));
  }

  private static double metric(io.lifecycle.models.ModelTrainer.Result r, String model, String metric) {
    return r.metrics().stream().filter(m -> m.model().equals(model) && m.metric().equals(metric))
        .mapToDouble(io.lifecycle.models.ModelTrainer.Metric::value).findFirst().orElse(Double.NaN);
  }

  <T> T measure(String engine, String step, Supplier<T> work) {
    long spill0 = TaskMetricsListener.SPILL.get();
    long shuffle0 = TaskMetricsListener.SHUFFLE.get();
    heap.resetPeak();
    long t0 = System.nanoTime();
    long cpu0 = processCpuNanos();
    T result = work.get();
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = (processCpuNanos() - cpu0) / 1e9;
    long peak = heap.resetPeak();
    Measurement m = new Measurement(engine, step, seconds, cpu, peak,
        TaskMetricsListener.SPILL.get() - spill0, TaskMetricsListener.SHUFFLE.get() - shuffle0);
    measurements.add(m);
    System.out.printf("  %-7s %-22s %8.1f s  cpu %8.1f s  peak heap %,6d MB  spill %,8d MB  shuffle %,8d MB%n", engine, step,
        seconds, cpu, peak >> 20, m.spill() >> 20, m.shuffle() >> 20);
    return result;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  double cpuSeconds(String engine, String step) {
    return measurements.stream().filter(m -> m.engine().equals(engine) && m.step().equals(step))
        .mapToDouble(Measurement::cpuSeconds).sum();
  }

  double seconds(String engine, String step) {
    return measurements.stream().filter(m -> m.engine().equals(engine) && m.step().equals(step))
        .mapToDouble(Measurement::wallSeconds).sum();
  }

  private void report(String id, long actualEvents, DeltaStore store) throws Exception {
    Map<String, String> env = environment();
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    StringBuilder json = new StringBuilder("{\n  \"benchmark_id\": \"" + id + "\",\n  \"events\": " + actualEvents
        + ",\n  \"environment\": {");
    json.append(String.join(", ", env.entrySet().stream().map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"").toList()));
    json.append("},\n  \"steps\": [\n");
    for (int i = 0; i < measurements.size(); i++) {
      Measurement m = measurements.get(i);
      double eps = m.wallSeconds() > 0 ? actualEvents / m.wallSeconds() : 0;
      rows.add(RowFactory.create(id, actualEvents, m.engine(), m.step(), m.wallSeconds(), eps, m.peakHeap(),
          m.spill(), m.shuffle(), scala.jdk.javaapi.CollectionConverters.asScala(env), now));
      json.append(String.format(Locale.ROOT,
          "    {\"engine\": \"%s\", \"step\": \"%s\", \"wall_seconds\": %.3f, \"cpu_seconds\": %.3f, \"events_per_second\": %.0f, "
              + "\"peak_driver_heap_bytes\": %d, \"spill_bytes\": %d, \"shuffle_bytes\": %d}%s%n",
          m.engine(), m.step(), m.wallSeconds(), m.cpuSeconds(), eps, m.peakHeap(), m.spill(), m.shuffle(), i + 1 < measurements.size() ? "," : ""));
    }
    json.append("  ]\n}\n");
    Path file = work.resolve(id + ".json");
    Files.writeString(file, json.toString());
    store.write(BenchmarksTable.DEF, spark.createDataFrame(rows, BenchmarksTable.DEF.schema()), LocalDate.now());
    System.out.println("results: " + file + " and table " + store.location(BenchmarksTable.DEF));
  }

  private Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    env.put("driver_max_heap_mb", String.valueOf(Runtime.getRuntime().maxMemory() >> 20));
    env.put("machine_memory_mb", String.valueOf(totalMemoryMb()));
    env.put("java", System.getProperty("java.version"));
    env.put("spark", spark.version());
    env.put("delta", Versions.delta());
    env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return env;
  }

  private static long totalMemoryMb() {
    try {
      for (String line : Files.readAllLines(new File("/proc/meminfo").toPath())) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (Exception e) {
      // not Linux: unknown
    }
    return -1;
  }
}
