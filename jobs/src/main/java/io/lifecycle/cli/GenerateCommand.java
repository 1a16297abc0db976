package io.lifecycle.cli;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.generate.GeneratorSettings;
import io.lifecycle.generate.RawEventWriter;
import io.lifecycle.spark.SparkSessions;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code lifecycle generate}: synthetic events with ground truth, for demos, tests and benchmarks. */
final class GenerateCommand {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateCommand.class);

  private GenerateCommand() {}

  static void run(CommandLine line, LifecycleConfig config, java.nio.file.Path callerDir) {
    String output = line.option("output");
    if (output == null) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "generate needs --output PATH (see lifecycle --help)");
    }
    LifecycleConfig.Generate g = config.generate();
    String format = line.options().getOrDefault("format", g.format());
    if (!List.of("csv", "json", "parquet").contains(format)) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "--format '" + format + "' is not one of [csv, json, parquet]");
    }
    GeneratorSettings settings;
    try {
      settings = GeneratorSettings.defaults(line.longOption("customers", g.customers()), line.longOption("seed", g.seed()))
          .withWindow(g.start(), g.end())
          .withBots((int) line.longOption("bots", g.bots()), line.longOption("events-per-bot", g.eventsPerBot()))
          .withAnonymousShare(line.doubleOption("anonymous-share", 0.0));
    } catch (IllegalArgumentException e) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, e.getMessage());
    }
    SparkSession spark = SparkSessions.builder("lifecycle-generate").getOrCreate();
    output = io.lifecycle.io.Locations.qualify(output, spark.sessionState().newHadoopConf(), callerDir);
    long started = System.nanoTime();
    RawEventWriter.write(spark, settings, output, format);
    LOG.info("generated {} customers ({} bots, anonymous share {}) as {} under {} in {} s", settings.customers(), settings.bots(),
        settings.anonymousShare(), format, output, String.format("%.1f", (System.nanoTime() - started) / 1e9));
  }
}
