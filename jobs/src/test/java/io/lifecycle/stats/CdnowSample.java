package io.lifecycle.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CDNOW 1/10 sample (2,357 customers) summarised the way the published BG/NBD, Pareto/NBD and
 * Gamma-Gamma results were computed. Conventions (they reproduce the published numbers):
 * <ul>
 *   <li>time in weeks = days / 7; calibration 1997-01-01 .. 1997-09-30;</li>
 *   <li>x = number of distinct purchase days after the first purchase day, in calibration;</li>
 *   <li>t_x = (last calibration purchase day - first purchase day) / 7;</li>
 *   <li>T = (1997-09-30 - first purchase day) / 7 (customer 0001: x = 2, t_x = 30.43, T = 38.86);</li>
 *   <li>spend: dollar values summed per purchase day; mbar = mean of those daily sums over the repeat
 *       days in calibration (first purchase day excluded).</li>
 * </ul>
 * The file is read from the shared data directory beside the project root, never copied into the repo.
 */
final class CdnowSample {

  static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);
  private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

  /** One customer's calibration summary. */
  record Customer(String id, double x, double tx, double age, double meanRepeatDaySpend,
          double meanRepeatTransactionSpend, int repeatTransactions, double holdoutPurchases) {
  }

  final List<Customer> customers;

  private CdnowSample(List<Customer> customers) {
    this.customers = customers;
  }

  static CdnowSample load() {
    Path file = locate().resolve("CDNOW_sample.txt");
    Map<String, TreeMap<LocalDate, double[]>> byCustomer = new TreeMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        String[] f = trimmed.split("\\s+");
        LocalDate day = LocalDate.parse(f[2], YYYYMMDD);
        double dollars = Double.parseDouble(f[4]);
        double[] acc = byCustomer.computeIfAbsent(f[1], k -> new TreeMap<>())
            .computeIfAbsent(day, k -> new double[2]);
        acc[0] += dollars; // spend on that day
        acc[1] += 1; // transactions on that day
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Customer> out = new ArrayList<>();
    for (Map.Entry<String, TreeMap<LocalDate, double[]>> e : byCustomer.entrySet()) {
      TreeMap<LocalDate, double[]> days = e.getValue();
      LocalDate first = days.firstKey();
      int x = 0;
      LocalDate last = first;
      double repeatDaySpend = 0;
      double repeatTransactions = 0;
      int holdout = 0;
      for (Map.Entry<LocalDate, double[]> d : days.entrySet()) {
        if (d.getKey().equals(first)) {
          continue;
        }
        if (d.getKey().isAfter(CALIBRATION_END)) {
          holdout++;
          continue;
        }
        x++;
        last = d.getKey();
        repeatDaySpend += d.getValue()[0];
        repeatTransactions += d.getValue()[1];
      }
      double tx = ChronoUnit.DAYS.between(first, last) / 7.0;
      double age = ChronoUnit.DAYS.between(first, CALIBRATION_END) / 7.0;
      out.add(new Customer(e.getKey(), x, tx, age,
          x > 0 ? repeatDaySpend / x : Double.NaN,
          x > 0 ? repeatDaySpend / repeatTransactions : Double.NaN,
          (int) repeatTransactions, holdout));
    }
    return new CdnowSample(out);
  }

  RfmSummary rfm() {
    int n = customers.size();
    double[] x = new double[n];
    double[] tx = new double[n];
    double[] age = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = customers.get(i).x();
      tx[i] = customers.get(i).tx();
      age[i] = customers.get(i).age();
    }
    return RfmSummary.aggregate(x, tx, age);
  }

  /** Gamma-Gamma input: repeat customers only, mbar = mean spend per repeat purchase day. */
  SpendSummary spend() {
    List<Customer> repeat = customers.stream().filter(c -> c.x() > 0).toList();
    double[] x = repeat.stream().mapToDouble(Customer::x).toArray();
    double[] m = repeat.stream().mapToDouble(Customer::meanRepeatDaySpend).toArray();
    return SpendSummary.perCustomer(x, m);
  }

  Customer customer(String id) {
    return customers.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }

  /** shared/datasets/cdnow, found by walking up from the working directory. */
  static Path locate() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared").resolve("datasets").resolve("cdnow");
      if (Files.isRegularFile(candidate.resolve("CDNOW_sample.txt"))) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("shared/datasets/cdnow/CDNOW_sample.txt not found above "
        + Path.of("").toAbsolutePath());
  }
}
