package io.lifecycle.privacy;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.config.LifecycleConfig.Privacy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Replaces customer ids by HMAC-SHA-256(key, id) in lower-case hex: stable across runs with the same
 * key, not reversible without it. HMAC is built from Spark's own sha2 (RFC 2104: H((K^opad) || H((K^ipad)
 * || m))), so it runs as a native expression on every executor with no UDF. The two padded keys are not
 * literals in the plan (plans are printed by explain, shown in the Spark UI and kept in event logs, and
 * K^ipad gives K back): they are the columns of a one-row relation joined to the rows, which a plan shows
 * by column name only. The key is read from an environment variable or a file named in the config,
 * never from the config itself, and never logged.
 */
public final class Pseudonymizer implements Pseudonyms {
  private static final int BLOCK = 64;
  private static final String INNER_KEY = "_hmac_inner_key";
  private static final String OUTER_KEY = "_hmac_outer_key";

  private final byte[] innerKey;
  private final byte[] outerKey;

  private Pseudonymizer(byte[] key) {
    byte[] k = key.length > BLOCK ? sha256(key) : key;
    innerKey = new byte[BLOCK];
    outerKey = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      byte b = i < k.length ? k[i] : 0;
      innerKey[i] = (byte) (b ^ 0x36);
      outerKey[i] = (byte) (b ^ 0x5c);
    }
  }

  public static Pseudonymizer withKey(byte[] key) {
    if (key.length == 0) {
      throw new IllegalArgumentException("empty pseudonymization key");
    }
    return new Pseudonymizer(key);
  }

  /**
   * The configured pseudonymizer, or identity when pseudonymization is off. Fails (exit code 2) when
   * the key is not available, naming where it was looked for.
   */
  public static Pseudonyms from(Privacy privacy) {
    return from(privacy, System.getenv());
  }

  static Pseudonyms from(Privacy privacy, Map<String, String> env) {
    if (!privacy.pseudonymize()) {
      return Pseudonyms.NONE;
    }
    byte[] key = null;
    if (privacy.keyEnv() != null && env.get(privacy.keyEnv()) != null && !env.get(privacy.keyEnv()).isEmpty()) {
      key = env.get(privacy.keyEnv()).getBytes(StandardCharsets.UTF_8);
    } else if (privacy.keyFile() != null) {
      try {
        key = Files.readAllBytes(Path.of(privacy.keyFile()));
      } catch (IOException e) {
        throw new LifecycleException(ExitCode.USAGE_OR_CONFIG,
            "lifecycle.privacy.key_file: cannot read the pseudonymization key file " + privacy.keyFile());
      }
    }
    if (key == null || key.length == 0) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "lifecycle.privacy.pseudonymize is on but no key was found in "
          + (privacy.keyEnv() != null ? "environment variable " + privacy.keyEnv() : "")
          + (privacy.keyFile() != null ? " or file " + privacy.keyFile() : ""));
    }
    return withKey(key);
  }

  /** The column replaced by HMAC-SHA-256 of its UTF-8 bytes, hex; null stays null. */
  @Override
  public Dataset<Row> replace(Dataset<Row> rows, String column) {
    StructType schema = new StructType().add(INNER_KEY, DataTypes.BinaryType, false).add(OUTER_KEY, DataTypes.BinaryType, false);
    Dataset<Row> keys = rows.sparkSession().createDataFrame(List.of(RowFactory.create(innerKey, outerKey)), schema);
    Column id = col(quoted(column));
    Column inner = unhex(sha2(concat(col(INNER_KEY), encode(id, "UTF-8")), 256));
    return rows.crossJoin(broadcast(keys))
        .withColumn(column, sha2(concat(col(OUTER_KEY), inner), 256))
        .drop(INNER_KEY, OUTER_KEY);
  }

  private static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "Pseudonymizer[key hidden]";
  }
}
