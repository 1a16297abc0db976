package io.lifecycle.config;

import io.lifecycle.config.LifecycleConfig.Generate;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/** The {@code generate} section: the defaults of {@code bin/lifecycle generate}'s synthetic events. */
final class GenerateSettings {
  private GenerateSettings() {}

  private static final String P = "lifecycle.generate.";
  private static final List<String> FORMATS = List.of("csv", "json", "parquet");

  static final Setting<Long> CUSTOMERS = Setting.longValue(P + "customers", "customers to generate")
      .check(customers -> customers >= 1, customers -> "must be at least 1");
  static final Setting<Long> SEED = Setting.longValue(P + "seed", "seed of the generator");
  static final Setting<LocalDate> START = Setting.date(P + "start", "first day of the generated events");
  static final Setting<LocalDate> END = Setting.date(P + "end", "last day of the generated events, after start");
  static final Setting<String> FORMAT = Setting.string(P + "format", "csv, json or parquet")
      .<String>map(format -> format.toLowerCase(Locale.ROOT))
      .check(FORMATS::contains, format -> "'" + format + "' is not one of " + FORMATS);
  static final Setting<Integer> BOTS = Setting.intAtLeast(P + "bots", 0, "bot customers with far more events than people");
  static final Setting<Long> EVENTS_PER_BOT = Setting.longValue(P + "events_per_bot", "events of each bot");

  static Generate read(ConfigReader r) {
    LocalDate start = r.get(START);
    LocalDate end = r.get(END);
    if (!end.isAfter(start)) {
      throw r.fail(END, "must be after generate.start");
    }
    String format = r.get(FORMAT);
    long customers = r.get(CUSTOMERS);
    return new Generate(customers, r.get(SEED), start, end, format, r.get(BOTS), r.get(EVENTS_PER_BOT));
  }
}
