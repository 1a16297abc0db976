package io.lifecycle.spark;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.config.LifecycleConfig.Cohorts.Breakdowns;
import io.lifecycle.config.LifecycleConfig.CustomerProperties;
import io.lifecycle.privacy.Pseudonymizer;
import io.lifecycle.tables.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Each customer's value of every {@code cohorts.breakdowns} property, defined once for the retention
 * matrix, the churn rates and the funnel, so the three split the same customers the same way. A
 * property keeps its {@code breakdown_values} most common values (by customers; ties in name order):
 * the rest become {@value #OTHER} and a missing value {@value #UNKNOWN}, so a high-cardinality column
 * (a city, a campaign id) adds a bounded number of rows to each table.
 */
public final class CustomerBreakdowns {
  /** The value of the customers outside a property's most common values. */
  public static final String OTHER = "(other)";
  /** The value of a customer with none (no channel-tagged event, no row in the properties table, null). */
  public static final String UNKNOWN = "(unknown)";
  private static final String PREFIX = "_breakdown_";

  private final Breakdowns breakdowns;
  private final LifecycleConfig.Privacy privacy;

  public CustomerBreakdowns(LifecycleConfig config) {
    this.breakdowns = config.cohorts().breakdowns();
    this.privacy = config.privacy();
  }

  public boolean isEmpty() {
    return breakdowns.isEmpty();
  }

  public List<String> names() {
    return breakdowns.names();
  }

  /** The column of breakdown {@code i}'s value on the rows of {@link #of}. */
  public static String column(int i) {
    return PREFIX + i;
  }

  /** The value columns of {@link #of}, in the order of {@link #names}. */
  public List<Column> columns() {
    List<Column> out = new ArrayList<>();
    for (int i = 0; i < breakdowns.names().size(); i++) {
      out.add(col(column(i)));
    }
    return out;
  }

  /**
   * The segments a row counts in besides the whole population, for {@code explode}: per breakdown, a
   * struct of the {@code leading} fields, then {@value Columns#BREAKDOWN} (the property's name) and
   * {@value Columns#BREAKDOWN_VALUE} (the row's value of it).
   */
  public List<Column> segments(Column... leading) {
    List<Column> out = new ArrayList<>();
    for (int i = 0; i < breakdowns.names().size(); i++) {
      List<Column> fields = new ArrayList<>(Arrays.asList(leading));
      fields.add(lit(breakdowns.names().get(i)).as(Columns.BREAKDOWN));
      fields.add(col(column(i)).as(Columns.BREAKDOWN_VALUE));
      out.add(struct(fields.toArray(Column[]::new)));
    }
    return out;
  }

  /**
   * {@code rows} (with {@code customer_id}) with each customer's breakdown values of {@code customers}
   * ({@link #of}); a customer absent from it gets {@value #UNKNOWN}. Unchanged without breakdowns.
   */
  public Dataset<Row> attach(Dataset<Row> rows, Dataset<Row> customers) {
    if (isEmpty()) {
      return rows;
    }
    List<Column> out = new ArrayList<>();
    for (String c : rows.columns()) {
      out.add(col(c));
    }
    for (int i = 0; i < breakdowns.names().size(); i++) {
      out.add(coalesce(col(column(i)), lit(UNKNOWN)).as(column(i)));
    }
    return rows.join(customers, Columns.CUSTOMER_ID, "left_outer").select(out.toArray(Column[]::new));
  }

  /**
   * One row per customer of the events: {@code customer_id} and each breakdown's value ({@link
   * #column}). The built-in properties come from one aggregation of the events: {@code
   * acquisition_channel} as {@link FirstChannel}, {@code first_stage} the stage of the earliest event
   * that has one (two at the same instant: the first in name order); the others from {@code
   * input.customer_properties}, joined by customer id (several rows for a customer: the least value).
   */
  public Dataset<Row> of(Dataset<Row> events) {
    List<String> names = breakdowns.names();
    List<Column> aggregates = new ArrayList<>();
    for (String name : names) {
      switch (name) {
        case "acquisition_channel" -> aggregates.add(FirstChannel.of().as(name));
        case "first_stage" -> aggregates.add(firstStage().as(name));
        case "identity" -> aggregates.add(identity().as(name));
        default -> { }
      }
    }
    aggregates.add(count(lit(1)).as("_events"));
    Dataset<Row> customers = events.groupBy(col(Columns.CUSTOMER_ID))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
    if (breakdowns.readsProperties()) {
      List<String> properties = names.stream().filter(n -> !Breakdowns.BUILT_IN.contains(n)).toList();
      customers = customers.join(properties(events.sparkSession(), breakdowns.properties(), privacy, properties),
          Columns.CUSTOMER_ID, "left_outer");
    }
    List<Column> raw = new ArrayList<>(List.of(col(Columns.CUSTOMER_ID)));
    for (int i = 0; i < names.size(); i++) {
      raw.add(col(names.get(i)).cast("string").as(column(i)));
    }
    // Per customer: small, and read twice (the most common values, then the mapping).
    Dataset<Row> values = customers.select(raw.toArray(Column[]::new)).localCheckpoint();
    Map<Integer, List<String>> top = topValues(values);
    List<Column> mapped = new ArrayList<>(List.of(col(Columns.CUSTOMER_ID)));
    for (int i = 0; i < names.size(); i++) {
      Column value = col(column(i));
      mapped.add(when(value.isNull(), lit(UNKNOWN))
          .when(value.isin(top.getOrDefault(i, List.of()).toArray()), value)
          .otherwise(lit(OTHER)).as(column(i)));
    }
    return values.select(mapped.toArray(Column[]::new));
  }

  /**
   * Per customer (an aggregate over the events), the stage of the earliest event that has one (two at
   * the same instant: the first in name order): the built-in {@code first_stage}.
   */
  public static Column firstStage() {
    return min(when(col(Columns.STAGE).isNotNull(), struct(col(Columns.EVENT_TIME), col(Columns.STAGE)))).getField(Columns.STAGE);
  }

  /** The built-in {@code identity}'s values. */
  public static final String IDENTIFIED = "identified";
  public static final String ANONYMOUS = "anonymous";

  /**
   * Per customer (an aggregate over the events), the built-in {@code identity}: {@value #IDENTIFIED} when
   * some event carries a known customer id (every event does without identity stitching), else {@value
   * #ANONYMOUS}: a visitor known only by cookie or device ids.
   */
  public static Column identity() {
    Column known = exists(col(Columns.IDENTITY_IDS), id -> id.startsWith(Columns.CUSTOMER_ID + ":"));
    return when(max(coalesce(known, lit(true))), lit(IDENTIFIED)).otherwise(lit(ANONYMOUS));
  }

  /** Per breakdown, its most common non-null values. */
  private Map<Integer, List<String>> topValues(Dataset<Row> values) {
    List<Column> pairs = new ArrayList<>();
    for (int i = 0; i < breakdowns.names().size(); i++) {
      pairs.add(struct(lit(i).as("i"), col(column(i)).as("v")));
    }
    Dataset<Row> counts = values.select(explode(array(pairs.toArray(Column[]::new))).as("_p"))
        .where(col("_p.v").isNotNull())
        .groupBy(col("_p.i").as("i"), col("_p.v").as("v")).count();
    Map<Integer, List<String>> top = new LinkedHashMap<>();
    // Bounded: at most breakdown_values rows per breakdown (10 breakdowns at most).
    List<Row> rows = counts.withColumn("_rank", row_number().over(Window.partitionBy("i").orderBy(col("count").desc(), col("v"))))
        .where(col("_rank").leq(breakdowns.topValues()))
        .select("i", "v").collectAsList();
    for (Row r : rows) {
      top.computeIfAbsent(r.getInt(0), k -> new ArrayList<>()).add(r.getString(1));
    }
    return top;
  }

  /**
   * input.customer_properties: the id (pseudonymized as the events' are) and each of {@code names} as
   * strings, one row per customer (several rows for a customer: the least value). Read by the breakdowns
   * and by the CLV covariates. A missing table or column fails the run, naming it.
   */
  public static Dataset<Row> properties(SparkSession spark, CustomerProperties source, LifecycleConfig.Privacy privacy,
      List<String> names) {
    return properties(spark, source, privacy, names, List.of());
  }

  /**
   * {@link #properties(SparkSession, CustomerProperties, LifecycleConfig.Privacy, List)} with {@code numbers}
   * too, as doubles (the least per customer by value, not by text). A value that is not a number fails the
   * run naming the column and the value: a numeric covariate of text is a config mistake, not noise to
   * quarantine.
   */
  public static Dataset<Row> properties(SparkSession spark, CustomerProperties source, LifecycleConfig.Privacy privacy,
      List<String> names, List<String> numbers) {
    Dataset<Row> table;
    try {
      var reader = spark.read().format(source.format().name().toLowerCase(java.util.Locale.ROOT));
      if (source.format() == LifecycleConfig.InputFormat.CSV) {
        reader = reader.option("header", "true");
      }
      table = reader.options(source.options()).load(source.path());
    } catch (Exception e) {
      if (e instanceof AnalysisException || e.getCause() instanceof java.io.FileNotFoundException) {
        throw new LifecycleException(ExitCode.INPUT_UNAVAILABLE,
            "input.customer_properties.path " + source.path() + " cannot be read: " + e.getMessage(), e);
      }
      throw e;
    }
    List<String> columns = Arrays.asList(table.columns());
    List<String> wanted = new ArrayList<>(List.of(source.customerIdColumn()));
    wanted.addAll(names);
    wanted.addAll(numbers);
    List<String> missing = wanted.stream().filter(w -> !columns.contains(w)).toList();
    if (!missing.isEmpty()) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "input.customer_properties " + source.path()
          + " has no column " + String.join(", ", missing) + " (its columns: " + String.join(", ", columns) + ")");
    }
    requireNumbers(table, source, numbers);
    List<Column> select = new ArrayList<>(List.of(col(source.customerIdColumn()).cast("string").as(Columns.CUSTOMER_ID)));
    List<Column> least = new ArrayList<>();
    for (String w : wanted.subList(1, wanted.size())) {
      Column text = col(w).cast("string");
      select.add((numbers.contains(w) ? text.try_cast("double") : text).as(w));
      least.add(min(col(w)).as(w));
    }
    Dataset<Row> ids = Pseudonymizer.from(privacy).replace(
        table.select(select.toArray(Column[]::new)).where(col(Columns.CUSTOMER_ID).isNotNull()), Columns.CUSTOMER_ID);
    return ids.groupBy(col(Columns.CUSTOMER_ID)).agg(least.get(0), least.subList(1, least.size()).toArray(Column[]::new));
  }

  /** Fails naming the first numeric column with a value that is not a number, and the value. */
  private static void requireNumbers(Dataset<Row> table, CustomerProperties source, List<String> numbers) {
    if (numbers.isEmpty()) {
      return;
    }
    List<Column> firstBad = new ArrayList<>();
    for (String n : numbers) {
      Column text = col(n).cast("string");
      firstBad.add(min(when(text.isNotNull().and(text.try_cast("double").isNull()), text)).as(n));
    }
    // Bounded: one row, one value per numeric column.
    Row bad = table.agg(firstBad.get(0), firstBad.subList(1, firstBad.size()).toArray(Column[]::new)).first();
    for (int i = 0; i < numbers.size(); i++) {
      if (!bad.isNullAt(i)) {
        throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "input.customer_properties " + source.path() + " column "
            + numbers.get(i) + " has a value that is not a number: '" + bad.getString(i) + "' (clv.numeric_covariates reads it as one)");
      }
    }
  }
}
