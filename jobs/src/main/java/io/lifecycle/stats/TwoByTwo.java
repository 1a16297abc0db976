package io.lifecycle.stats;

import org.apache.commons.math3.special.Erf;

/**
 * A 2x2 table of customers, with or without a behaviour by retained or not, and what it says about
 * the two being associated: the odds ratio with Woolf's 95% interval and a two-sided p-value. Plain
 * Java over four counts, so the statistics are tested against textbook values without Spark.
 *
 * <p>The odds ratio is (a d) / (b c); when a cell is 0 every cell gets 0.5 added (Haldane-Anscombe),
 * so the ratio and its interval stay finite. The p-value is Pearson's chi-square with 1 degree of
 * freedom, without continuity correction, when every expected count is at least 5, and Fisher's exact
 * test otherwise (two-sided: the probability of the tables with the same margins no likelier than the
 * observed one, as R's {@code fisher.test}).
 *
 * @param a with the behaviour, retained
 * @param b with the behaviour, not retained
 * @param c without it, retained
 * @param d without it, not retained
 */
public record TwoByTwo(long a, long b, long c, long d) {
  /** The normal quantile of a two-sided 95% interval. */
  public static final double Z_95 = 1.96;
  /** Below this expected count in a cell, the chi-square approximation gives way to Fisher's exact test. */
  public static final double MIN_EXPECTED = 5;
  /** R's relative tolerance when comparing a table's probability with the observed one's. */
  private static final double FISHER_TOLERANCE = 1e-7;

  /** The two-sided test a p-value comes from. */
  public enum Test {
    CHI_SQUARE,
    FISHER
  }

  public TwoByTwo {
    if (a < 0 || b < 0 || c < 0 || d < 0) {
      throw new IllegalArgumentException("negative count in " + a + ", " + b + ", " + c + ", " + d);
    }
  }

  public long total() {
    return a + b + c + d;
  }

  /** A margin is empty (nobody with or without the behaviour, or nobody retained or not): nothing to compare. */
  public boolean degenerate() {
    return a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0;
  }

  /** The odds ratio, Haldane-Anscombe corrected when a cell is 0; NaN for a {@link #degenerate} table. */
  public double oddsRatio() {
    return Math.exp(logOddsRatio());
  }

  /** The lower end of Woolf's 95% interval: exp(ln OR - 1.96 SE), SE = sqrt(1/a + 1/b + 1/c + 1/d). */
  public double ciLower() {
    return Math.exp(logOddsRatio() - Z_95 * standardError());
  }

  /** The upper end of Woolf's 95% interval. */
  public double ciUpper() {
    return Math.exp(logOddsRatio() + Z_95 * standardError());
  }

  private double logOddsRatio() {
    if (degenerate()) {
      return Double.NaN;
    }
    double[] x = corrected();
    return Math.log(x[0]) + Math.log(x[3]) - Math.log(x[1]) - Math.log(x[2]);
  }

  private double standardError() {
    double[] x = corrected();
    return Math.sqrt(1 / x[0] + 1 / x[1] + 1 / x[2] + 1 / x[3]);
  }

  private double[] corrected() {
    double add = a == 0 || b == 0 || c == 0 || d == 0 ? 0.5 : 0;
    return new double[] {a + add, b + add, c + add, d + add};
  }

  /** Chi-square when every expected count is at least {@link #MIN_EXPECTED}, else Fisher. */
  public Test test() {
    // The least expected count is the smaller row margin times the smaller column margin over N.
    double smallerRow = Math.min(a + b, c + d);
    double smallerColumn = Math.min(a + c, b + d);
    long n = total();
    return n > 0 && smallerRow * smallerColumn / n >= MIN_EXPECTED ? Test.CHI_SQUARE : Test.FISHER;
  }

  /** The two-sided p-value of {@link #test}; NaN for a {@link #degenerate} table. */
  public double pValue() {
    if (degenerate()) {
      return Double.NaN;
    }
    return test() == Test.CHI_SQUARE ? chiSquarePValue() : fisherPValue();
  }

  /** Pearson's statistic without continuity correction: N (ad - bc)^2 / (row and column margins' product). */
  public double chiSquare() {
    double n = total();
    double diff = (double) a * d - (double) b * c;
    return n * diff / ((double) (a + b) * (c + d)) * diff / ((double) (a + c) * (b + d));
  }

  /** P(chi-square with 1 df > statistic) = erfc(sqrt(statistic / 2)). */
  public double chiSquarePValue() {
    return Erf.erfc(Math.sqrt(chiSquare() / 2));
  }

  /**
   * Fisher's exact two-sided p-value: with the margins fixed, a is hypergeometric; the sum over the
   * values of a whose probability is at most the observed one's. The loop runs over at most
   * min(margins) + 1 values.
   */
  public double fisherPValue() {
    long row = a + b;
    long column = a + c;
    long n = total();
    long low = Math.max(0, row + column - n);
    long high = Math.min(row, column);
    double observed = logHypergeometric(a, row, column, n);
    double p = 0;
    for (long x = low; x <= high; x++) {
      double lp = logHypergeometric(x, row, column, n);
      if (lp <= observed + FISHER_TOLERANCE * Math.abs(observed) + 1e-12) {
        p += Math.exp(lp);
      }
    }
    return Math.min(1, p);
  }

  /** ln P(a = x) for a table with these margins: C(row, x) C(n - row, column - x) / C(n, column). */
  private static double logHypergeometric(long x, long row, long column, long n) {
    return logChoose(row, x) + logChoose(n - row, column - x) - logChoose(n, column);
  }

  private static double logChoose(long n, long k) {
    return SpecialFunctions.logGamma(n + 1.0) - SpecialFunctions.logGamma(k + 1.0) - SpecialFunctions.logGamma(n - k + 1.0);
  }
}
