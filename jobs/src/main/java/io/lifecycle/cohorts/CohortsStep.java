package io.lifecycle.cohorts;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Step;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.tables.ChurnRatesTable;
import io.lifecycle.tables.CohortRetentionTable;
import io.lifecycle.tables.CohortSurvivalTable;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.LifecycleStatusTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/** {@code cohorts}: cohort retention (with sBG projections), churn rates, survival curves and growth accounting. */
public final class CohortsStep implements Step {
  @Override
  public String name() {
    return "cohorts";
  }

  @Override
  public StepResult run(RunContext ctx) {
    CustomerActivity activity = new CustomerActivity(ctx.config());
    boolean byChannel = ctx.config().cohorts().byChannel();
    // Four tables read the same events: read them once.
    Dataset<Row> events = ctx.eventsAsOf()
        .select(Columns.CUSTOMER_ID, Columns.EVENT_TIME, Columns.EVENT_TYPE, Columns.AMOUNT, Columns.CHANNEL)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      LocalDate runDate = ctx.runDate();
      CohortRetention retention = new CohortRetention(activity, byChannel);
      Dataset<Row> observed = retention.observed(events, runDate).localCheckpoint();
      Dataset<Row> matrix = observed.unionByName(retention.projected(ctx.spark(), observed));
      Map<String, Long> out = new LinkedHashMap<>();
      out.put(CohortRetentionTable.DEF.name(), ctx.store().write(CohortRetentionTable.DEF, matrix, runDate));
      // The customers' cohorts and their spells feed the other three tables: each aggregated from the
      // events once (one row per customer, and per customer spell), not once per table.
      Dataset<Row> customers = activity.customers(events).persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> spells = activity.spells(events, runDate.minusDays(1)).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        out.put(ChurnRatesTable.DEF.name(), ctx.store().write(ChurnRatesTable.DEF,
            new ChurnRates(activity, byChannel).compute(spells, customers, runDate), runDate));
        out.put(CohortSurvivalTable.DEF.name(), ctx.store().write(CohortSurvivalTable.DEF,
            KaplanMeier.estimate(lifetimes(customers, spells, runDate), runDate), runDate));
        out.put(LifecycleStatusTable.DEF.name(), ctx.store().write(LifecycleStatusTable.DEF,
            new LifecycleStatus(activity).compute(events, customers, runDate), runDate));
      } finally {
        spells.unpersist();
        customers.unpersist();
      }
      return StepResult.of(out.get(CohortRetentionTable.DEF.name()), out);
    } finally {
      events.unpersist();
    }
  }

  /**
   * One lifetime per customer with a cohort: from the first day (first purchase or activity) to the first
   * churn after it, or censored at the run date when that churn is not observable yet; each customer
   * counted in its cohort and in 'all'.
   */
  public static Dataset<Row> lifetimes(CustomerActivity activity, Dataset<Row> events, LocalDate runDate) {
    return lifetimes(activity.customers(events), activity.spells(events, runDate.minusDays(1)), runDate);
  }

  /** {@link #lifetimes} from the customers' cohorts and their spells as of the day before the run date. */
  public static Dataset<Row> lifetimes(Dataset<Row> customers, Dataset<Row> spells, LocalDate runDate) {
    Dataset<Row> churns = spells.select(Columns.CUSTOMER_ID, CustomerActivity.CHURN_DATE, "last_active");
    Dataset<Row> first = customers.join(churns, Columns.CUSTOMER_ID)
        .where(col("last_active").geq(col(CustomerActivity.FIRST_DAY)))
        .groupBy(Columns.CUSTOMER_ID, CustomerActivity.COHORT, CustomerActivity.FIRST_DAY)
        // The spell holding the first day is the earliest one that ends after it.
        .agg(min_by(col(CustomerActivity.CHURN_DATE), col("last_active")).as("_churn"));
    Dataset<Row> one = first.select(
        date_format(col(CustomerActivity.COHORT), "yyyy-MM-dd").as(KaplanMeier.GROUP),
        coalesce(datediff(col("_churn"), col(CustomerActivity.FIRST_DAY)),
            datediff(lit(Date.valueOf(runDate)), col(CustomerActivity.FIRST_DAY))).as(KaplanMeier.TENURE),
        when(col("_churn").isNotNull(), 1).otherwise(0).as(KaplanMeier.EVENT));
    return one.unionByName(one.withColumn(KaplanMeier.GROUP, lit("all")));
  }
}
