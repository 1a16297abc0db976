package io.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The one-aggregation table comparison the rerun checks rely on counts as exceptAll does. */
class TestSupportTest {
  private final SparkSession spark = SharedSpark.get();
  private static final StructType SCHEMA = new StructType().add("k", DataTypes.StringType).add("v", DataTypes.LongType);

  private Dataset<Row> rows(Object[]... values) {
    return spark.createDataFrame(java.util.Arrays.stream(values).map(RowFactory::create).toList(), SCHEMA);
  }

  @Test
  void countsRowsEachSideLacksAsMultisetsWithNullsEqual() {
    Dataset<Row> left = rows(new Object[] {"a", 1L}, new Object[] {"a", 1L}, new Object[] {"b", null}, new Object[] {null, 2L});
    Dataset<Row> right = rows(new Object[] {"a", 1L}, new Object[] {"b", null}, new Object[] {null, 2L}, new Object[] {"c", 3L},
        new Object[] {"c", 3L});
    assertEquals(new TestSupport.RowDifference(4, 5, 1, 2), TestSupport.difference(left, right));
    assertEquals(left.exceptAll(right).count(), TestSupport.difference(left, right).onlyLeft());
    assertEquals(right.exceptAll(left).count(), TestSupport.difference(left, right).onlyRight());
    assertEquals(new TestSupport.RowDifference(4, 4, 0, 0), TestSupport.difference(left, left));
    assertEquals(new TestSupport.RowDifference(0, 0, 0, 0), TestSupport.difference(left.limit(0), left.limit(0)));
  }
}
