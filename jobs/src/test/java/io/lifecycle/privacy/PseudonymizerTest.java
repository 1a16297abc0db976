package io.lifecycle.privacy;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.LifecycleException;
import io.lifecycle.SharedSpark;
import io.lifecycle.config.LifecycleConfig.Privacy;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class PseudonymizerTest {

  private static String javaHmac(String key, String message) throws Exception {
    return PseudonymizerTestAccess.hmac(key, message);
  }

  private static Dataset<Row> ids() {
    return SharedSpark.get().createDataset(List.of("C00001", "007", "Zoë"), Encoders.STRING()).toDF("id");
  }

  @Test
  void sparkExpressionEqualsJavaHmacSha256() throws Exception {
    String longKey = "k".repeat(100); // longer than the block: hashed first, as RFC 2104 says
    for (String key : List.of("secret", longKey)) {
      Dataset<Row> ids = ids().withColumn("p", org.apache.spark.sql.functions.col("id"));
      List<Row> out = Pseudonymizer.withKey(key.getBytes(StandardCharsets.UTF_8)).replace(ids, "p").collectAsList();
      for (Row r : out) {
        assertEquals(javaHmac(key, r.getString(0)), r.getString(1), "HMAC of " + r.getString(0));
      }
    }
  }

  @Test
  void theKeyIsInNoQueryPlan() {
    // A key of one repeated byte: its padded forms are long runs of one hex pair in any rendering.
    byte[] key = "AAAAAAAA".getBytes(StandardCharsets.UTF_8);
    // Not a local relation, so the optimizer cannot fold the whole plan away.
    Dataset<Row> rows = SharedSpark.get().range(3).selectExpr("cast(id AS string) AS id");
    Dataset<Row> out = Pseudonymizer.withKey(key).replace(rows, "id");
    String plans = out.queryExecution().toString() + out.queryExecution().explainString(
        org.apache.spark.sql.execution.ExtendedMode$.MODULE$);
    for (int pad : new int[] {0x36, 0x5c}) {
      String run = HexFormat.of().formatHex(new byte[] {(byte) ('A' ^ pad), (byte) ('A' ^ pad), (byte) ('A' ^ pad)});
      assertFalse(plans.toLowerCase().contains(run), "padded key in the plan:\n" + plans);
      assertFalse(plans.contains(String.valueOf('A' ^ pad) + ", " + ('A' ^ pad)), "padded key in the plan:\n" + plans);
    }
    assertEquals(3, out.count());
  }

  @Test
  void keyComesFromEnvironmentOrFileAndIsNeverInMessages() {
    Privacy on = new Privacy(true, "MY_KEY", null);
    assertNotNull(Pseudonymizer.from(on, Map.of("MY_KEY", "s3cr3t-value")));
    LifecycleException e = assertThrows(LifecycleException.class, () -> Pseudonymizer.from(on, Map.of()));
    assertTrue(e.getMessage().contains("MY_KEY"));
    LifecycleException f = assertThrows(LifecycleException.class,
        () -> Pseudonymizer.from(new Privacy(true, null, "/nonexistent/key"), Map.of()));
    assertTrue(f.getMessage().contains("/nonexistent/key"));
    assertFalse(Pseudonymizer.withKey("s3cr3t-value".getBytes(StandardCharsets.UTF_8)).toString().contains("s3cr3t"));
    assertSame(Pseudonyms.NONE, Pseudonymizer.from(new Privacy(false, "MY_KEY", null), Map.of()));
  }
}
