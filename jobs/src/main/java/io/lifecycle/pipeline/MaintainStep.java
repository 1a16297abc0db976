package io.lifecycle.pipeline;

import io.lifecycle.tables.TableDef;
import io.lifecycle.tables.Tables;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code maintain} (optional, not part of a default run): OPTIMIZE compacts each table's small files,
 * VACUUM deletes files older than {@code output.vacuum_retention_hours} that no retained version needs.
 * Run it on its own schedule, e.g. weekly: {@code --steps maintain}.
 */
public final class MaintainStep implements Step {
  @Override
  public String name() {
    return "maintain";
  }

  @Override
  public boolean runsByDefault() {
    return false;
  }

  @Override
  public StepResult run(RunContext ctx) {
    if (ctx.config().output().vacuumRetentionHours() < 168) {
      // Delta refuses a retention under 7 days unless told: the user configured it explicitly.
      ctx.spark().conf().set("spark.databricks.delta.retentionDurationCheck.enabled", "false");
    }
    Map<String, Long> maintained = new LinkedHashMap<>();
    for (TableDef table : Tables.all()) {
      if (ctx.store().exists(table)) {
        ctx.store().maintain(table, ctx.config().output().vacuumRetentionHours());
        maintained.put(table.name(), 0L);
      }
    }
    return StepResult.of(0, maintained);
  }
}
