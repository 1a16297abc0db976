package io.lifecycle.privacy;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.LifecycleException;
import io.lifecycle.SharedSpark;
import io.lifecycle.config.LifecycleConfig.Privacy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

class PseudonymizerTest {

  private static String javaHmac(String key, String message) throws Exception {
    return PseudonymizerTestAccess.hmac(key, message);
  }

  @Test
  void sparkExpressionEqualsJavaHmacSha256() throws Exception {
    String longKey = "k".repeat(100); // longer than the block: hashed first, as RFC 2104 says
    for (String key : List.of("secret", longKey)) {
      Dataset<Row> ids = SharedSpark.get().createDataset(List.of("C00001", "007", "Zoë"), Encoders.STRING()).toDF("id");
      List<Row> out = ids.select(functions.col("id"), Pseudonymizer.withKey(key.getBytes(StandardCharsets.UTF_8))
          .apply(functions.col("id")).as("p")).collectAsList();
      for (Row r : out) {
        assertEquals(javaHmac(key, r.getString(0)), r.getString(1), "HMAC of " + r.getString(0));
      }
    }
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
    assertSame(java.util.function.Function.identity(), Pseudonymizer.from(new Privacy(false, "MY_KEY", null), Map.of()));
  }
}
