package io.lifecycle.spark;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.privacy.PseudonymizerTestAccess;
import io.lifecycle.tables.Columns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomerBreakdownsTest {
  private final SparkSession spark = SharedSpark.get();
  private static final StructType EVENTS = new StructType()
      .add(Columns.CUSTOMER_ID, DataTypes.StringType)
      .add(Columns.EVENT_TIME, DataTypes.TimestampType)
      .add(Columns.STAGE, DataTypes.StringType)
      .add(Columns.CHANNEL, DataTypes.StringType);

  private static Row e(String customer, String time, String stage, String channel) {
    return RowFactory.create(customer, Timestamp.valueOf("2025-01-01 " + time), stage, channel);
  }

  /**
   * a: first staged event AWARENESS (an earlier one has no stage), first channel email; b and c tie two
   * stages at one instant (the first in name order) and have no channel; d's plan is missing from the
   * table and e is not in it; f's plan is the rarest, beyond the two kept.
   */
  private Dataset<Row> events() {
    return spark.createDataFrame(List.of(
        e("a", "08:00:00", null, null), e("a", "09:00:00", "AWARENESS", "email"), e("a", "10:00:00", "CONVERSION", "ads"),
        e("b", "09:00:00", "CONSIDERATION", null), e("b", "09:00:00", "AWARENESS", null),
        e("c", "09:00:00", "CONVERSION", null), e("d", "09:00:00", "AWARENESS", "ads"), e("e", "09:00:00", "AWARENESS", "ads"),
        e("f", "09:00:00", "AWARENESS", "ads")), EVENTS);
  }

  private static String properties(Path dir) throws Exception {
    return TestSupport.inputFile(dir, "properties.csv", "customer,plan\na,gold\nb,gold\nc,free\nd,\nf,trial\nzz,gold\n").toString();
  }

  @Test
  void builtInsAndTablePropertiesPerCustomerWithTheMostCommonValuesKept(@TempDir Path dir) throws Exception {
    CustomerBreakdowns breakdowns = new CustomerBreakdowns(TestSupport.config(
        "lifecycle.cohorts.breakdowns = [first_stage, acquisition_channel, plan]", "lifecycle.cohorts.breakdown_values = 2",
        "lifecycle.input.customer_properties { path = \"" + properties(dir) + "\", customer_id = customer }"));
    assertEquals(List.of("_breakdown_0", "_breakdown_1", "_breakdown_2"), List.of(CustomerBreakdowns.column(0),
        CustomerBreakdowns.column(1), CustomerBreakdowns.column(2)));
    // first_stage: AWARENESS 5, CONVERSION 1 (both kept); channel: ads 3, email 1 (kept), none '(unknown)';
    // plan: gold 2, free 1 and trial 1 (free first in name order), missing '(unknown)'; zz has no events.
    assertEquals(List.of(
            "a|AWARENESS|email|gold", "b|AWARENESS|(unknown)|gold", "c|CONVERSION|(unknown)|free", "d|AWARENESS|ads|(unknown)",
            "e|AWARENESS|ads|(unknown)", "f|AWARENESS|ads|(other)"),
        TestSupport.rows(breakdowns.of(events())));
  }

  @Test
  void propertyIdsArePseudonymizedAsTheEventsAre(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("key"), "k-1");
    String alice = PseudonymizerTestAccess.hmac("k-1", "alice");
    CustomerBreakdowns breakdowns = new CustomerBreakdowns(TestSupport.config(
        "lifecycle.cohorts.breakdowns = [plan]", "lifecycle.privacy { pseudonymize = true, key_env = null, key_file = \""
            + dir.resolve("key") + "\" }",
        "lifecycle.input.customer_properties { path = \"" + TestSupport.inputFile(dir, "p.csv", "customer_id,plan\nalice,gold\n")
            + "\" }"));
    Dataset<Row> events = spark.createDataFrame(List.of(e(alice, "09:00:00", null, null), e("bob", "09:00:00", null, null)), EVENTS);
    assertEquals(List.of(alice + "|gold", "bob|(unknown)"), TestSupport.rows(breakdowns.of(events)));
  }

  @Test
  void aMissingColumnOrTableIsNamed(@TempDir Path dir) throws Exception {
    CustomerBreakdowns noColumn = new CustomerBreakdowns(TestSupport.config("lifecycle.cohorts.breakdowns = [country]",
        "lifecycle.input.customer_properties { path = \"" + properties(dir) + "\", customer_id = customer }"));
    LifecycleException e = assertThrows(LifecycleException.class, () -> noColumn.of(events()));
    assertEquals(ExitCode.USAGE_OR_CONFIG, e.exitCode());
    assertTrue(e.getMessage().contains("no column country") && e.getMessage().contains("customer, plan"), e.getMessage());
    CustomerBreakdowns noTable = new CustomerBreakdowns(TestSupport.config("lifecycle.cohorts.breakdowns = [plan]",
        "lifecycle.input.customer_properties.path = \"" + dir.resolve("absent.csv") + "\""));
    e = assertThrows(LifecycleException.class, () -> noTable.of(events()));
    assertEquals(ExitCode.INPUT_UNAVAILABLE, e.exitCode());
    assertTrue(e.getMessage().contains("input.customer_properties.path") && e.getMessage().contains("absent.csv"), e.getMessage());
  }
}
