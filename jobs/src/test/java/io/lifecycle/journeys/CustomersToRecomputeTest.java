package io.lifecycle.journeys;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerJourneysTable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The customers an incremental journeys run recomputes: changed ones, and those time alone churns. */
class CustomersToRecomputeTest {
  private final SparkSession spark = SharedSpark.get();

  @Test
  void changedCustomersAndThoseWhoseLastActivityIsNowBeyondTheThreshold() {
    Instant asOf = Instant.parse("2024-03-20T00:00:00Z");
    Dataset<Row> stored = spark.createDataFrame(List.of(
            // Active 10 days before the as-of, threshold 10 days: exactly the threshold is not churn.
            RowFactory.create("exactly", false, Instant.parse("2024-03-10T00:00:00Z")),
            RowFactory.create("beyond", false, Instant.parse("2024-03-09T23:59:59Z")),
            RowFactory.create("recent", false, Instant.parse("2024-03-19T12:00:00Z")),
            // Churned already: the CHURNED episode is stored, nothing changes but the days in it.
            RowFactory.create("churned", true, Instant.parse("2024-01-01T00:00:00Z")),
            RowFactory.create("changed", false, Instant.parse("2024-03-19T12:00:00Z"))),
        new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(CustomerJourneysTable.IS_CHURNED, DataTypes.BooleanType)
            .add(CustomerJourneysTable.LAST_ACTIVITY_AT, DataTypes.TimestampType));
    // Changed: one stored customer (twice: one row per new event) and one new customer.
    Dataset<Row> changed = spark.createDataFrame(List.of(RowFactory.create("changed"), RowFactory.create("changed"),
        RowFactory.create("new")), new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType));

    Dataset<Row> result = CustomersToRecompute.of(changed, stored, asOf, Duration.ofDays(10));

    assertEquals(List.of("beyond", "changed", "new"), TestSupport.rows(result.orderBy(Columns.CUSTOMER_ID)));
  }
}
