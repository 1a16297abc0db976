package io.lifecycle.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.io.DeltaStore;
import io.lifecycle.tables.ClvModelsTable;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.TableDef;
import java.sql.Date;
import java.time.LocalDate;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the sections' queries read: the output tables of one run, the run date and the configuration that
 * shaped them. A table that is missing becomes the same note in every section, naming the table, where it was
 * looked for and what it leaves out.
 */
final class ReportTables {
  private final DeltaStore store;
  private final LifecycleConfig config;
  private final LocalDate runDate;
  private LocalDate valuationDate;

  ReportTables(DeltaStore store, LifecycleConfig config, LocalDate runDate) {
    this.store = store;
    this.config = config;
    this.runDate = runDate;
  }

  LifecycleConfig config() {
    return config;
  }

  LocalDate runDate() {
    return runDate;
  }

  /** The rows of the run date, in a table that holds one slice per run date. */
  Column onRunDate() {
    return col(Columns.RUN_DATE).equalTo(lit(Date.valueOf(runDate)));
  }

  /**
   * The date of the customer values the report shows: the run date, or, when the clv step kept an earlier
   * valuation ({@code clv.revalue_every}), that valuation's run date (the latest in clv_models up to the
   * run date). The CLV tables with one slice per run date are read on it.
   */
  synchronized LocalDate valuationDate() {
    if (valuationDate == null) {
      valuationDate = runDate;
      if (store.exists(ClvModelsTable.DEF)) {
        // One aggregate row: bounded.
        Row latest = store.read(ClvModelsTable.DEF).where(col(Columns.RUN_DATE).leq(lit(Date.valueOf(runDate))))
            .agg(max(col(Columns.RUN_DATE))).head();
        if (!latest.isNullAt(0)) {
          valuationDate = latest.<LocalDate>getAs(0);
        }
      }
    }
    return valuationDate;
  }

  /** The rows of {@link #valuationDate()}, in a CLV table that holds one slice per run date. */
  Column onValuationDate() {
    return col(Columns.RUN_DATE).equalTo(lit(Date.valueOf(valuationDate())));
  }

  boolean exists(TableDef table) {
    return store.exists(table);
  }

  Dataset<Row> read(TableDef table) {
    return store.read(table);
  }

  /** What {@code query} finds in the table, or the note that the table is missing, so {@code what} is not shown. */
  <T> Part<T> query(TableDef table, String what, Function<Dataset<Row>, Part<T>> query) {
    if (!store.exists(table)) {
      return Part.missing("Table " + table.name() + " is missing at " + store.location(table) + ", so " + what
          + " is not shown: run the step that writes it.");
    }
    return query.apply(store.read(table));
  }
}
