package io.lifecycle.pipeline;

/** Versions recorded in run_log, read from the jars themselves rather than hard-coded. */
public final class Versions {
  private Versions() {}

  public static String app() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public static String delta() {
    return io.delta.package$.MODULE$.VERSION();
  }
}
