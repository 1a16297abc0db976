package io.lifecycle.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifecycle.SharedSpark;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerJourneysTable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The top paths by valued customers keep their segment, ties going to the first in path order; every
 * other path, a path only customers without a value have included, is '(other)'; no path stays none.
 */
class PathSegmentsTest {
  private final SparkSession spark = SharedSpark.get();

  @Test
  void theMostCommonPathsOfTheValuedCustomersKeepTheirSegment() {
    StructType journeySchema = new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType)
        .add(CustomerJourneysTable.PATH, DataTypes.StringType);
    Dataset<Row> journeys = spark.createDataFrame(List.of(
        RowFactory.create("a1", "A"), RowFactory.create("a2", "A"), RowFactory.create("a3", "A"),
        RowFactory.create("c1", "C"), RowFactory.create("c2", "C"),
        RowFactory.create("b1", "B"), RowFactory.create("b2", "B"),
        RowFactory.create("d1", "D"), RowFactory.create("d2", "D"), RowFactory.create("d3", "D"),
        RowFactory.create("e1", "E"), RowFactory.create("n1", null)), journeySchema);
    // D's customers have no value (no purchase): D is not among the valued customers' paths.
    Dataset<Row> values = journeys.where("customer_id not like 'd%'").select(Columns.CUSTOMER_ID);
    Map<String, String> segments = new TreeMap<>();
    // Bounded: twelve customers.
    for (Row r : PathSegments.of(journeys, values, 2).collectAsList()) {
      segments.put(r.getString(0), r.isNullAt(1) ? "null" : r.getString(1));
    }
    assertEquals(Map.ofEntries(Map.entry("a1", "A"), Map.entry("a2", "A"), Map.entry("a3", "A"),
        Map.entry("b1", "B"), Map.entry("b2", "B"), Map.entry("c1", "(other)"), Map.entry("c2", "(other)"),
        Map.entry("d1", "(other)"), Map.entry("d2", "(other)"), Map.entry("d3", "(other)"),
        Map.entry("e1", "(other)"), Map.entry("n1", "null")), segments);
  }
}
