package io.lifecycle.cohorts;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Step;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.tables.ActivitySummaryTable;
import io.lifecycle.tables.ChurnRatesTable;
import io.lifecycle.tables.CohortRetentionTable;
import io.lifecycle.tables.CohortSurvivalTable;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.LifecycleStatusTable;
import io.lifecycle.tables.RetentionDriversTable;
import java.sql.Date;
import java.time.LocalDate;
import io.lifecycle.config.LifecycleConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code cohorts}: cohort retention (with sBG projections), churn rates, survival curves, growth
 * accounting, stickiness, and what drives retention.
 */
public final class CohortsStep implements Step {
  @Override
  public String name() {
    return "cohorts";
  }

  @Override
  public StepResult run(RunContext ctx) {
    CustomerActivity activity = new CustomerActivity(ctx.config());
    boolean byChannel = ctx.config().cohorts().byChannel();
    // The events are read into one row per customer and day that the six tables share: the customers'
    // periods feed the retention matrix and the growth accounting, their spells the churn rates and the
    // survival curves, their active days the stickiness summary, their first and last active days who
    // is retained (the retention drivers, which also read the events' types, stages and channels).
    Dataset<Row> days = activity.days(ctx.eventsAsOf(), byChannel).persist(StorageLevel.MEMORY_AND_DISK());
    // Read by two tables: aggregated once (the spells are a filter of the days, cheaper to redo).
    Dataset<Row> periods = activity.periodsOf(days).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      LocalDate runDate = ctx.runDate();
      Dataset<Row> spells = activity.spellsOf(days, runDate.minusDays(1));
      CohortRetention retention = new CohortRetention(activity, byChannel);
      Dataset<Row> observed = retention.observedOf(periods, runDate);
      List<LifecycleConfig.Cohorts.Bracket> brackets = ctx.config().cohorts().brackets();
      if (!brackets.isEmpty()) {
        observed = observed.unionByName(new RetentionBrackets(activity, byChannel, brackets).observedOf(days, runDate));
      }
      observed = observed.localCheckpoint();
      Dataset<Row> matrix = observed.unionByName(retention.projected(ctx.spark(), observed, ctx.config().cohorts().projection()));
      Map<String, Long> out = new LinkedHashMap<>();
      out.put(CohortRetentionTable.DEF.name(), ctx.store().write(CohortRetentionTable.DEF, matrix, runDate));
      out.put(ChurnRatesTable.DEF.name(), ctx.store().write(ChurnRatesTable.DEF,
          new ChurnRates(activity, byChannel).ofSpells(spells, runDate), runDate));
      out.put(CohortSurvivalTable.DEF.name(), ctx.store().write(CohortSurvivalTable.DEF,
          KaplanMeier.estimate(lifetimes(spells, runDate), runDate), runDate));
      out.put(LifecycleStatusTable.DEF.name(), ctx.store().write(LifecycleStatusTable.DEF,
          new LifecycleStatus(activity).ofPeriods(periods, runDate), runDate));
      out.put(ActivitySummaryTable.DEF.name(), ctx.store().write(ActivitySummaryTable.DEF,
          ActivitySummary.compute(activity.activeDaysOf(days), runDate), runDate));
      // The behaviours need the events' types, stages and channels, which the days do not carry: a second
      // read of the events, kept to the eligible customers' first days by a join.
      out.put(RetentionDriversTable.DEF.name(), ctx.store().write(RetentionDriversTable.DEF,
          new RetentionDrivers(ctx.config()).compute(ctx.eventsAsOf(), days, runDate), runDate));
      return StepResult.of(out.get(CohortRetentionTable.DEF.name()), out);
    } finally {
      periods.unpersist();
      days.unpersist();
    }
  }

  /**
   * One lifetime per customer with a cohort: from the first day (first purchase or activity) to the churn
   * of the spell holding it, or censored at the run date when that churn is not observable yet; each
   * customer counted in its cohort and in 'all'.
   */
  public static Dataset<Row> lifetimes(CustomerActivity activity, Dataset<Row> events, LocalDate runDate) {
    return lifetimes(activity.spells(events, runDate.minusDays(1)), runDate);
  }

  /**
   * {@link #lifetimes} from the customers' spells as of the day before the run date ({@link
   * CustomerActivity#spellsOf}): the first day is a day with an event, so exactly one spell holds it.
   */
  public static Dataset<Row> lifetimes(Dataset<Row> spells, LocalDate runDate) {
    Column firstDay = col(CustomerActivity.FIRST_DAY);
    Column churn = col(CustomerActivity.CHURN_DATE);
    return spells.where(firstDay.between(col(CustomerActivity.SPELL_START), col(CustomerActivity.LAST_ACTIVE)))
        .select(explode(array(date_format(col(CustomerActivity.COHORT), "yyyy-MM-dd"), lit("all"))).as(KaplanMeier.GROUP),
            coalesce(datediff(churn, firstDay), datediff(lit(Date.valueOf(runDate)), firstDay)).as(KaplanMeier.TENURE),
            when(churn.isNotNull(), 1).otherwise(0).as(KaplanMeier.EVENT));
  }
}
