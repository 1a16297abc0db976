package io.lifecycle.config;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static LifecycleException fails(String hocon) {
    LifecycleException e = assertThrows(LifecycleException.class, () -> ConfigLoader.parse(hocon, "test.conf"));
    assertEquals(ExitCode.USAGE_OR_CONFIG, e.exitCode());
    return e;
  }

  @Test
  void defaultsAreValid() {
    LifecycleConfig c = ConfigLoader.defaults();
    assertEquals(Duration.ofMinutes(30), c.sessions().inactivityGap());
    assertEquals(Duration.ofDays(90), c.churnThreshold());
    assertEquals(List.of("AWARENESS", "CONSIDERATION", "CONVERSION", "EXPERIENCE", "RETENTION", "ADVOCACY"), c.stages().order());
    assertEquals(3, c.stages().rank("CONVERSION"));
    assertEquals(0, c.stages().rank("CHURNED"));
    assertTrue(c.stages().knownEventTypes().contains("purchase"));
    assertEquals("warehouse", c.output().root());
  }

  /** A config is shared by every step of a run: none can change what another reads. */
  @Test
  void theConfigsCollectionsAreReadOnlyAndKeepTheirOrder() {
    LifecycleConfig c = ConfigLoader.defaults();
    assertThrows(UnsupportedOperationException.class, () -> c.clv().acquisitionCost().put("email", 1.0));
    assertThrows(UnsupportedOperationException.class, () -> c.output().tableNames().put("events", "x"));
    assertThrows(UnsupportedOperationException.class, () -> c.input().options().put("header", "false"));
    assertThrows(UnsupportedOperationException.class, () -> c.input().columns().clear());
    assertThrows(UnsupportedOperationException.class, () -> c.stages().order().add("LOYALTY"));
    java.util.Map<String, Double> costs = new java.util.LinkedHashMap<>();
    costs.put("z", 1.0);
    costs.put("a", 2.0);
    LifecycleConfig.Clv clv = new LifecycleConfig.Clv(0.3, 0.1, 12, LifecycleConfig.Clv.TimeUnit.WEEKS, costs,
        c.clv().fitSegments(), 0, List.of(30), 20, LifecycleConfig.Clv.Intervals.NONE, 200, 50, List.of(), List.of(),
        java.time.Duration.ZERO);
    costs.put("b", 3.0);
    assertEquals(List.of("z", "a"), List.copyOf(clv.acquisitionCost().keySet()), "a copy, in the given order");
  }

  @Test
  void clvIntervalsAreAsymptoticOrNoneWithTwentyToFiveThousandDraws() {
    assertEquals(LifecycleConfig.Clv.Intervals.ASYMPTOTIC, ConfigLoader.defaults().clv().intervals());
    assertEquals(200, ConfigLoader.defaults().clv().intervalDraws());
    String e = fails("lifecycle.clv.intervals = bootstrap").getMessage();
    assertTrue(e.contains("lifecycle.clv.intervals") && e.contains("not implemented"), e);
    assertTrue(fails("lifecycle.clv.intervals = exact").getMessage().contains("is not one of [asymptotic, none]"));
    assertTrue(fails("lifecycle.clv.interval_draws = 19").getMessage().contains("at least 20"));
    assertTrue(fails("lifecycle.clv.interval_draws = 5001").getMessage().contains("at most 5000"));
    assertEquals(50, ConfigLoader.defaults().clv().pathSegments());
    assertTrue(fails("lifecycle.clv.path_segments = 0").getMessage().contains("lifecycle.clv.path_segments"));
    assertTrue(fails("lifecycle.clv.path_segments = 1001").getMessage().contains("at most 1000"));
  }

  @Test
  void clvCovariatesAreBuiltInsWithoutAPropertiesTable() {
    assertEquals(List.of(), ConfigLoader.defaults().clv().covariates());
    assertEquals(List.of(), ConfigLoader.defaults().clv().numericCovariates());
    assertEquals(List.of("acquisition_channel"),
        ConfigLoader.parse("lifecycle.clv.covariates = [acquisition_channel]", "test.conf").clv().covariates());
    assertEquals(List.of("acquisition_channel", "first_stage"),
        ConfigLoader.parse("lifecycle.clv.covariates = [acquisition_channel, first_stage]", "test.conf").clv().covariates());
    String e = fails("lifecycle.clv.covariates = [plan]").getMessage();
    assertTrue(e.contains("lifecycle.clv.covariates") && e.contains("[plan]") && e.contains("input.customer_properties.path"), e);
    e = fails("lifecycle.clv.numeric_covariates = [age]").getMessage();
    assertTrue(e.contains("lifecycle.clv.numeric_covariates") && e.contains("[age]") && e.contains("input.customer_properties.path"), e);
  }

  /** Properties of input.customer_properties, categorical and numeric together; names that reach SQL are identifiers. */
  @Test
  void clvCovariatesArePropertyColumnsOnceEachAndIdentifiers() {
    String props = "lifecycle.input.customer_properties.path = props.csv\n";
    LifecycleConfig c = ConfigLoader.parse(props + "lifecycle.clv.covariates = [acquisition_channel, plan]\n"
        + "lifecycle.clv.numeric_covariates = [age, score]", "test.conf");
    assertEquals(List.of("acquisition_channel", "plan"), c.clv().covariates());
    assertEquals(List.of("age", "score"), c.clv().numericCovariates());
    String e = fails(props + "lifecycle.clv.covariates = [\"plan; drop table x\"]").getMessage();
    assertTrue(e.contains("lifecycle.clv.covariates") && e.contains("not a column name"), e);
    e = fails(props + "lifecycle.clv.numeric_covariates = [\"1age\"]").getMessage();
    assertTrue(e.contains("lifecycle.clv.numeric_covariates") && e.contains("not a column name"), e);
    assertTrue(fails(props + "lifecycle.clv.covariates = [plan, plan]").getMessage().contains("twice"));
    assertTrue(fails(props + "lifecycle.clv.covariates = [customer_id]").getMessage().contains("id"));
    e = fails(props + "lifecycle.clv.numeric_covariates = [first_stage]").getMessage();
    assertTrue(e.contains("lifecycle.clv.numeric_covariates") && e.contains("categorical"), e);
    e = fails(props + "lifecycle.clv.covariates = [plan]\nlifecycle.clv.numeric_covariates = [plan]").getMessage();
    assertTrue(e.contains("lifecycle.clv.numeric_covariates") && e.contains("[plan]") && e.contains("categorical or numeric"), e);
    e = fails(props + "lifecycle.clv.covariates = [a, b, c, d, e, f, g, h, i, j, k]").getMessage();
    assertTrue(e.contains("at most 10"), e);
  }

  /**
   * A settings hash follows its sections only (what the journeys step compares between daily runs):
   * another CLV setting keeps the stage and churn hash, another churn threshold or stage rule changes
   * it, while the whole configuration's hash changes with each.
   */
  @Test
  void aSettingsHashFollowsItsSectionsOnly() {
    LifecycleConfig base = ConfigLoader.parse("", "test.conf");
    LifecycleConfig clv = ConfigLoader.parse("lifecycle.clv.path_segments = 7", "test.conf");
    LifecycleConfig churn = ConfigLoader.parse("lifecycle.churn.inactivity_threshold = 5 days", "test.conf");
    LifecycleConfig stages = ConfigLoader.parse("lifecycle.stages.purchase_event_types = [purchase, order]", "test.conf");
    assertEquals(base.settingsHash("stages", "churn"), clv.settingsHash("stages", "churn"));
    assertNotEquals(base.hash(), clv.hash());
    assertNotEquals(base.settingsHash("stages", "churn"), churn.settingsHash("stages", "churn"));
    assertNotEquals(base.settingsHash("stages", "churn"), stages.settingsHash("stages", "churn"));
    assertNotEquals(base.settingsHash("clv"), clv.settingsHash("clv"));
    assertEquals(base.settingsHash("stages", "churn"), ConfigLoader.parse("", "other.conf").settingsHash("stages", "churn"));
  }

  @Test
  void retentionDriversMeasureRetentionAfterTheBehaviours() {
    LifecycleConfig.Cohorts.Drivers d = ConfigLoader.defaults().cohorts().drivers();
    assertEquals(new LifecycleConfig.Cohorts.Drivers(7, 30, List.of(2, 5), 30, 10), d);
    String e = fails("lifecycle.cohorts.drivers { window_days = 14, retained_day = 7 }").getMessage();
    assertTrue(e.contains("lifecycle.cohorts.drivers.retained_day") && e.contains("at least"), e);
    e = fails("lifecycle.cohorts.drivers.count_thresholds = [5, 2]").getMessage();
    assertTrue(e.contains("lifecycle.cohorts.drivers.count_thresholds") && e.contains("increasing"), e);
    assertTrue(fails("lifecycle.cohorts.drivers.count_thresholds = [1]").getMessage().contains("at least 2"));
    assertTrue(fails("lifecycle.cohorts.drivers.top_channels = 0").getMessage().contains("top_channels"));
  }

  @Test
  void breakdownsAreBuiltInsOrPropertyColumnsBoundedAndNotReserved() {
    LifecycleConfig.Cohorts.Breakdowns none = ConfigLoader.defaults().cohorts().breakdowns();
    assertTrue(none.isEmpty());
    assertEquals(10, none.topValues());
    LifecycleConfig c = ConfigLoader.parse("lifecycle.cohorts.breakdowns = [first_stage, country]\n"
        + "lifecycle.cohorts.breakdown_values = 3\n"
        + "lifecycle.input.customer_properties { path = props.csv, customer_id = id, options { delimiter = \";\" } }", "test.conf");
    assertEquals(List.of("first_stage", "country"), c.cohorts().breakdowns().names());
    assertEquals(new LifecycleConfig.CustomerProperties("props.csv", LifecycleConfig.InputFormat.CSV, "id", java.util.Map.of("delimiter", ";")),
        c.cohorts().breakdowns().properties());
    assertTrue(c.cohorts().breakdowns().readsProperties());
    assertFalse(ConfigLoader.parse("lifecycle.cohorts.breakdowns = [acquisition_channel]", "t").cohorts().breakdowns().readsProperties());
    String e = fails("lifecycle.cohorts.breakdowns = [country]").getMessage();
    assertTrue(e.contains("lifecycle.cohorts.breakdowns") && e.contains("[country]") && e.contains("input.customer_properties.path"), e);
    assertTrue(fails("lifecycle.cohorts.breakdowns = [channel]").getMessage().contains("reserved"));
    assertTrue(fails("lifecycle.cohorts.breakdowns = [first_stage, first_stage]").getMessage().contains("twice"));
    assertTrue(fails("lifecycle.cohorts.breakdowns = [\"plan; drop table x\"]").getMessage().contains("not a column name"));
    assertTrue(fails("lifecycle.cohorts.breakdown_values = 0").getMessage().contains("lifecycle.cohorts.breakdown_values"));
    assertTrue(fails("lifecycle.cohorts.breakdown_values = 1001").getMessage().contains("at most 1000"));
    assertTrue(fails("lifecycle.input.customer_properties.format = text").getMessage().contains("csv, json, parquet or delta"));
  }

  @Test
  void unknownKeyNamesKeyAndFile() {
    LifecycleException e = fails("lifecycle.sessions.inactivity_gapp = 10 minutes");
    assertTrue(e.getMessage().contains("test.conf"), e.getMessage());
    assertTrue(e.getMessage().contains("lifecycle.sessions.inactivity_gapp"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown key"), e.getMessage());
  }

  @Test
  void unknownTopLevelKey() {
    assertTrue(fails("sessions.inactivity_gap = 10 minutes").getMessage().contains("unknown top-level key"));
  }

  @Test
  void wrongTypeNamesKey() {
    LifecycleException e = fails("lifecycle.sessions.inactivity_gap = lots");
    assertTrue(e.getMessage().contains("inactivity_gap"), e.getMessage());
    assertTrue(e.getMessage().contains("test.conf"), e.getMessage());
  }

  @Test
  void impossibleGap() {
    LifecycleException e = fails("lifecycle.sessions.inactivity_gap = 0 minutes");
    assertTrue(e.getMessage().contains("lifecycle.sessions.inactivity_gap: must be > 0"), e.getMessage());
  }

  @Test
  void ruleNamingUnknownStage() {
    LifecycleException e = fails("lifecycle.stages.rules = [{event_types = [x], stage = NOWHERE}]");
    assertTrue(e.getMessage().contains("lifecycle.stages.rules[0].stage: unknown stage 'NOWHERE'"), e.getMessage());
  }

  @Test
  void duplicateStage() {
    assertTrue(fails("lifecycle.stages.order = [A, B, A]\nlifecycle.stages.rules = []").getMessage().contains("duplicate stage A"));
  }

  @Test
  void unknownRuleKeyAndBadWhen() {
    assertTrue(fails("lifecycle.stages.rules = [{event_types = [x], stage = AWARENESS, stagee = 1}]").getMessage().contains("rules[0].stagee"));
    assertTrue(fails("lifecycle.stages.rules = [{event_types = [x], stage = AWARENESS, when = sometimes}]").getMessage().contains("'sometimes' is not one of"));
    assertTrue(fails("lifecycle.stages.rules = [{event_types = [page_view], stage = AWARENESS, when = first_purchase}]").getMessage().contains("applies only to purchase event types"));
  }

  @Test
  void badEnumAndRanges() {
    assertTrue(fails("lifecycle.input.format = xml").getMessage().contains("lifecycle.input.format: 'xml' is not one of [csv, json, parquet, delta, text]"));
    assertTrue(fails("lifecycle.cohorts.projection = bayes").getMessage().contains("lifecycle.cohorts.projection: 'bayes' is not one of [pooled, per_cohort]"));
    assertEquals(LifecycleConfig.Cohorts.Projection.POOLED, ConfigLoader.defaults().cohorts().projection());
    assertTrue(fails("lifecycle.quality.max_quarantine_share = 1.5").getMessage().contains("max_quarantine_share"));
    assertTrue(fails("lifecycle.clv.gross_margin = 0").getMessage().contains("gross_margin"));
    assertTrue(fails("lifecycle.clv.forecast_days = [30, 0]").getMessage().contains("forecast_days: every horizon must be a positive"));
    assertTrue(fails("lifecycle.clv.forecast_days = []").getMessage().contains("forecast_days: must list at least one"));
    assertTrue(fails("lifecycle.clv.forecast_days = [90, 30, 90]").getMessage().contains("forecast_days: lists a horizon twice"));
    assertTrue(fails("lifecycle.clv.forecast_days = [30, soon]").getMessage().contains("forecast_days: must be a list of whole days"));
    assertTrue(fails("lifecycle.input.timestamp.zone = Mars/Olympus").getMessage().contains("not a time zone id"));
    assertTrue(fails("lifecycle.clv.acquisition_cost { paid = -3 }").getMessage().contains("acquisition_cost.paid: must be >= 0"));
    assertTrue(fails("lifecycle.models.max_training_customers = 0").getMessage().contains("lifecycle.models.max_training_customers: must be at least 1"));
    assertTrue(fails("lifecycle.models.drift_retrain_psi = 0").getMessage().contains("lifecycle.models.drift_retrain_psi: must be a positive number (got 0.0)"));
    assertEquals(0.25, io.lifecycle.TestSupport.config().models().driftRetrainPsi());
    assertTrue(fails("lifecycle.cohorts.retention_modes = [on, bracket]").getMessage()
        .contains("lifecycle.cohorts.retention_modes: 'bracket' is not one of [on, on_or_after]"));
    assertTrue(fails("lifecycle.cohorts.retention_modes = []").getMessage().contains("retention_modes: needs at least one of [on, on_or_after]"));
    assertTrue(fails("lifecycle.cohorts.retention_modes = [on, ON]").getMessage().contains("retention_modes: names 'on' twice"));
    assertTrue(fails("lifecycle.cohorts.brackets = [0-1, 1-7]").getMessage()
        .contains("lifecycle.cohorts.brackets: brackets must increase without overlapping: '1-7' starts before the previous one ends"));
    assertTrue(fails("lifecycle.cohorts.brackets = [7-2]").getMessage().contains("'7-2' is not a range of days from-to with from <= to"));
    assertTrue(fails("lifecycle.cohorts.brackets = [week]").getMessage().contains("'week' is not a range of days"));
    assertEquals(List.of(new LifecycleConfig.Cohorts.Bracket(0, 1), new LifecycleConfig.Cohorts.Bracket(2, 7)),
        io.lifecycle.TestSupport.config("lifecycle.cohorts.brackets = [0-1, \"2 - 7\"]").cohorts().brackets());
    assertTrue(fails("lifecycle.cohorts.activity_events = [review, Review]").getMessage().contains("activity_events: names an event type twice"));
    assertEquals(List.of(LifecycleConfig.Cohorts.RetentionMode.ON, LifecycleConfig.Cohorts.RetentionMode.ON_OR_AFTER),
        io.lifecycle.TestSupport.config().cohorts().retentionModes());
    assertEquals(List.of("page_view", "review"),
        io.lifecycle.TestSupport.config("lifecycle.cohorts.activity_events = [Page View, review]").cohorts().activityEvents());
  }

  @Test
  void modelSettingsAndGridsAreReadAndChecked() {
    LifecycleConfig.Models defaults = io.lifecycle.TestSupport.config().models();
    // Fixed settings by default, each grid's first value: the learning curve's choices.
    assertFalse(defaults.gridSearch());
    assertEquals(new LifecycleConfig.Models.Gbt(25, List.of(5, 3), List.of(0.15), 0.8), defaults.gbt());
    assertEquals(new LifecycleConfig.Models.Logistic(100, List.of(0.001, 0.05), List.of(0.0)), defaults.logistic());
    assertEquals(new LifecycleConfig.Models.Forest(40, List.of(10, 6)), defaults.forest());
    assertTrue(io.lifecycle.TestSupport.config("lifecycle.models.tuning = grid").models().gridSearch());
    LifecycleConfig.Models set = io.lifecycle.TestSupport.config(
        "lifecycle.models { gbt.max_iter = 10, forest { num_trees = 5, max_depth = [8] }, logistic.reg_param = [0] }").models();
    assertEquals(10, set.gbt().maxIter());
    assertEquals(new LifecycleConfig.Models.Forest(5, List.of(8)), set.forest());
    assertEquals(List.of(0.0), set.logistic().regParam());
    assertTrue(fails("lifecycle.models.gbt.max_iter = 0").getMessage().contains("lifecycle.models.gbt.max_iter: must be at least 1 (got 0)"));
    assertTrue(fails("lifecycle.models.gbt.max_depth = []").getMessage().contains("lifecycle.models.gbt.max_depth: must list at least one depth"));
    assertTrue(fails("lifecycle.models.forest.max_depth = [6, 31]").getMessage().contains("lifecycle.models.forest.max_depth: every depth must be from 1 to 30 (got 31)"));
    assertTrue(fails("lifecycle.models.gbt.step_size = [0.1, 1.5]").getMessage().contains("lifecycle.models.gbt.step_size: every value must be in (0.0, 1.0] (got 1.5)"));
    assertTrue(fails("lifecycle.models.gbt.subsampling_rate = 0").getMessage().contains("lifecycle.models.gbt.subsampling_rate: must be in (0, 1] (got 0.0)"));
    assertTrue(fails("lifecycle.models.logistic.reg_param = [-0.1]").getMessage().contains("lifecycle.models.logistic.reg_param: every value must be in [0.0, inf) (got -0.1)"));
    assertTrue(fails("lifecycle.models.logistic.elastic_net_param = [2]").getMessage().contains("lifecycle.models.logistic.elastic_net_param: every value must be in [0.0, 1.0] (got 2.0)"));
    assertTrue(fails("lifecycle.models.forest.trees = 5").getMessage().contains("lifecycle.models.forest.trees: unknown key"));
    assertTrue(fails("lifecycle.models.gbt.max_depth = deep").getMessage().contains("max_depth"));
  }

  @Test
  void missingRequiredColumnMapping() {
    assertTrue(fails("lifecycle.input.columns.customer_id = null").getMessage().contains("lifecycle.input.columns.customer_id: is required"));
  }

  @Test
  void namesThatReachSqlAreIdentifiers() {
    assertTrue(fails("lifecycle.output.database = \"x; DROP TABLE y\"").getMessage().contains("not a valid identifier"));
    assertTrue(fails("lifecycle.output.tables { events = \"ev-ents\" }").getMessage().contains("lifecycle.output.tables.events"));
  }

  @Test
  void freeMapsAcceptUserKeys() {
    LifecycleConfig c = ConfigLoader.parse(
        "lifecycle.clv.acquisition_cost { paid_search = 25, default = 5 }\nlifecycle.stages.aliases { \"Page View\" = page_view }",
        "test.conf");
    assertEquals(25.0, c.clv().acquisitionCostOf("paid_search"));
    assertEquals(5.0, c.clv().acquisitionCostOf("organic"));
    assertEquals("page_view", c.stages().aliases().get("page_view"));
  }

  @Test
  void fileOriginAndMissingFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.conf");
    Files.writeString(file, "lifecycle {\n  churn.inactivity_threshold = -5 days\n}\n");
    LifecycleException e = assertThrows(LifecycleException.class, () -> ConfigLoader.load(file.toFile()));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("lifecycle.churn.inactivity_threshold"), e.getMessage());
    LifecycleException missing = assertThrows(LifecycleException.class, () -> ConfigLoader.load(new File(dir.toFile(), "nope.conf")));
    assertTrue(missing.getMessage().contains("Config file not found"));
  }

  @Test
  void shippedConfigsAreValid() {
    for (String name : List.of("local.conf", "cluster.conf", "cdnow.conf", "cdnow-sample.conf", "five-stage.conf")) {
      File f = io.lifecycle.TestSupport.projectFile("conf/" + name);
      assertDoesNotThrow(() -> ConfigLoader.load(f), name);
    }
    LifecycleConfig five = ConfigLoader.load(io.lifecycle.TestSupport.projectFile("conf/five-stage.conf"));
    assertEquals(List.of("REACH", "ACQUISITION", "CONVERSION", "RETENTION", "LOYALTY"), five.stages().order());
  }
}
