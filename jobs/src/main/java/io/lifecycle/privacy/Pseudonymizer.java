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
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Column;

/**
 * Replaces customer ids by HMAC-SHA-256(key, id) in lower-case hex: stable across runs with the same
 * key, not reversible without it. HMAC is built from Spark's own sha2 (RFC 2104: H((K^opad) || H((K^ipad)
 * || m))), so it runs as a native expression on every executor with no UDF and no key shipped in a
 * closure; the key reaches the plan only as the two padded byte literals. The key is read from an
 * environment variable or a file named in the config, never from the config itself, and never logged.
 */
public final class Pseudonymizer {
  private static final int BLOCK = 64;

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
  public static Function<Column, Column> from(Privacy privacy) {
    return from(privacy, System.getenv());
  }

  static Function<Column, Column> from(Privacy privacy, Map<String, String> env) {
    if (!privacy.pseudonymize()) {
      return Function.identity();
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
    return withKey(key)::apply;
  }

  /** HMAC-SHA-256 of the column's UTF-8 bytes, hex; null stays null. */
  public Column apply(Column id) {
    Column inner = unhex(sha2(concat(lit(innerKey), encode(id, "UTF-8")), 256));
    return sha2(concat(lit(outerKey), inner), 256);
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
