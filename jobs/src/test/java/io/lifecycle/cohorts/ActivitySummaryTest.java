package io.lifecycle.cohorts;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.tables.ActivitySummaryTable;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ActivitySummaryTest {
  private final SparkSession spark = SharedSpark.get();

  /**
   * Run date Wednesday 2024-03-13 (last observed day Tuesday 03-12). a: Wed 02-28, Mon 03-04, Tue 03-05,
   * Tue 03-12; b: Mon 03-04, Mon 03-11; c: Thu 02-29 (2024 is a leap year).
   */
  @Test
  void activeCustomersActiveDaysAndDailyActivesPerWeekAndMonth() {
    StructType schema = new StructType().add("customer_id", DataTypes.StringType).add(ActivitySummary.DAY, DataTypes.DateType);
    List<Row> days = List.of(
        RowFactory.create("a", java.sql.Date.valueOf("2024-02-28")), RowFactory.create("a", java.sql.Date.valueOf("2024-03-04")),
        RowFactory.create("a", java.sql.Date.valueOf("2024-03-05")), RowFactory.create("a", java.sql.Date.valueOf("2024-03-12")),
        RowFactory.create("b", java.sql.Date.valueOf("2024-03-04")), RowFactory.create("b", java.sql.Date.valueOf("2024-03-11")),
        RowFactory.create("c", java.sql.Date.valueOf("2024-02-29")));
    Dataset<Row> out = ActivitySummary.compute(spark.createDataFrame(days, schema), LocalDate.of(2024, 3, 13));
    assertEquals(ActivitySummaryTable.DEF.columnNames(), List.of(out.columns()));
    // run date|type|start|days observed|complete|active|customer-days|avg daily active|stickiness|mean active days|distribution
    assertEquals(List.of(
            // February: a and c one day each, over 29 days.
            "2024-03-13|month|2024-02-01|29|true|2|2|" + 2 / 29.0 + "|" + 2 / 29.0 / 2 + "|1.0|Map(1 -> 2)",
            // March so far (12 days): a on 3 days, b on 2.
            "2024-03-13|month|2024-03-01|12|false|2|5|" + 5 / 12.0 + "|" + 5 / 12.0 / 2 + "|2.5|Map(2 -> 1, 3 -> 1)",
            "2024-03-13|week|2024-02-26|7|true|2|2|" + 2 / 7.0 + "|" + 2 / 7.0 / 2 + "|1.0|Map(1 -> 2)",
            "2024-03-13|week|2024-03-04|7|true|2|3|" + 3 / 7.0 + "|" + 3 / 7.0 / 2 + "|1.5|Map(1 -> 1, 2 -> 1)",
            // The current week: Monday and Tuesday observed, each of a and b active on one.
            "2024-03-13|week|2024-03-11|2|false|2|2|1.0|0.5|1.0|Map(1 -> 2)"),
        TestSupport.rows(out));
  }
}
