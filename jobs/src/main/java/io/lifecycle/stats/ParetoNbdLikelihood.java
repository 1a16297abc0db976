package io.lifecycle.stats;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pareto/NBD log-likelihood over compressed (x, t_x, T) rows.
 *
 * <p>Fader &amp; Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions", eq. 22:
 * L = Gamma(r+x) alpha^r beta^s / Gamma(r) * [ (alpha+T)^-(r+x) (beta+T)^-s + s/(r+s+x) A0 ], where A0
 * is a difference of two 2F1 terms whose form depends on whether alpha &gt;= beta (see
 * {@link #logA0}); the arguments of 2F1 are always in [0, 1). Everything is summed in log space.
 * No analytic gradient: the parameter derivatives of 2F1 have no convenient closed form, so the
 * default central differences are used.
 */
final class ParetoNbdLikelihood implements LogLikelihood {

  static final List<String> NAMES = List.of("r", "alpha", "s", "beta");

  private final RfmSummary data;
  // The 2F1 terms depend on a row only through (x, t_x) and (x, T): both are evaluated once per
  // distinct (x, y) pair, about ten times fewer than rows for daily data.
  private final double[] pairX;
  private final double[] pairY;
  private final int[] rowRecencyPair;
  private final int[] rowAgePair;
  private final DistinctValues xs;

  ParetoNbdLikelihood(RfmSummary data) {
    this.data = data;
    this.xs = new DistinctValues(data.xs());
    int n = data.size();
    Map<Pair, Integer> pairs = new HashMap<>();
    rowRecencyPair = new int[n];
    rowAgePair = new int[n];
    for (int i = 0; i < n; i++) {
      rowRecencyPair[i] = pairs.computeIfAbsent(new Pair(data.x(i), data.tx(i)), k -> pairs.size());
      rowAgePair[i] = pairs.computeIfAbsent(new Pair(data.x(i), data.age(i)), k -> pairs.size());
    }
    pairX = new double[pairs.size()];
    pairY = new double[pairs.size()];
    pairs.forEach((k, v) -> {
      pairX[v] = k.x();
      pairY[v] = k.y();
    });
  }

  private record Pair(double x, double y) {
  }

  @Override
  public List<String> parameterNames() {
    return NAMES;
  }

  @Override
  public double value(double[] p) {
    double r = p[0];
    double alpha = p[1];
    double s = p[2];
    double beta = p[3];
    // Per pair (x, y): u = ln[2F1(c, k; c+1; |alpha-beta|/(m+y)) / (m+y)^c] (A0 = e^u(t_x) - e^u(T))
    // and the "still alive at y" term -(r+x) ln(alpha+y) - s ln(beta+y).
    int np = pairX.length;
    double[] u = new double[np];
    double[] alive = new double[np];
    for (int j = 0; j < np; j++) {
      u[j] = logA0Term(r, alpha, s, beta, pairX[j], pairY[j]);
      alive[j] = -(r + pairX[j]) * Math.log(alpha + pairY[j]) - s * Math.log(beta + pairY[j]);
    }
    double head = r * Math.log(alpha) + s * Math.log(beta) - SpecialFunctions.logGamma(r);
    double logS = Math.log(s);
    int nx = xs.size();
    double[] lgRx = new double[nx];
    double[] logWeightA0 = new double[nx]; // ln(s / (r+s+x))
    for (int k = 0; k < nx; k++) {
      lgRx[k] = SpecialFunctions.logGamma(r + xs.values[k]);
      logWeightA0[k] = logS - Math.log(r + s + xs.values[k]);
    }
    double[] w = data.weights();
    double total = 0;
    for (int i = 0; i < w.length; i++) {
      int kx = xs.index[i];
      // ln(e^alive + s/(r+s+x) (e^ut - e^uT)) with the larger of the two terms factored out;
      // Math.log/exp (JIT intrinsics) rather than log1p/expm1: the absolute error of 1e-16 per
      // row is all a sum needs, and this loop dominates the cost on large data.
      int ka = rowAgePair[i];
      double ut = u[rowRecencyPair[i]];
      double uT = u[ka];
      double logAlive = alive[ka];
      double bracket;
      if (ut > uT) {
        double logDead = logWeightA0[kx] + ut + Math.log(1 - Math.exp(uT - ut));
        bracket = logDead > logAlive
            ? logDead + Math.log(1 + Math.exp(logAlive - logDead))
            : logAlive + Math.log(1 + Math.exp(logDead - logAlive));
      } else {
        bracket = logAlive; // t_x = T: A0 = 0
      }
      total += w[i] * (lgRx[kx] + head + bracket);
    }
    return total;
  }

  /** ln[(alpha+T)^-(r+x) (beta+T)^-s + s/(r+s+x) A0]. */
  static double logBracket(double r, double alpha, double s, double beta, double x, double tx, double age) {
    double first = -(r + x) * Math.log(alpha + age) - s * Math.log(beta + age);
    double second = Math.log(s) - Math.log(r + s + x) + logA0(r, alpha, s, beta, x, tx, age);
    return SpecialFunctions.logSumExp(first, second);
  }

  /**
   * ln A0. With m = max(alpha, beta) and c = r+s+x:
   * A0 = 2F1(c, k; c+1; |alpha-beta|/(m+t_x)) / (m+t_x)^c - 2F1(c, k; c+1; |alpha-beta|/(m+T)) / (m+T)^c,
   * k = s+1 if alpha &gt;= beta, else r+x. A0 is -inf (A0 = 0) when t_x = T.
   */
  static double logA0(double r, double alpha, double s, double beta, double x, double tx, double age) {
    double u = logA0Term(r, alpha, s, beta, x, tx);
    double v = logA0Term(r, alpha, s, beta, x, age);
    if (!(u > v)) {
      return Double.NEGATIVE_INFINITY; // t_x = T (or rounding at t_x ~ T): the integral is 0
    }
    return SpecialFunctions.logDiffExp(u, v);
  }

  /** ln[2F1(c, k; c+1; |alpha-beta|/(m+y)) / (m+y)^c], one of the two terms of A0. */
  static double logA0Term(double r, double alpha, double s, double beta, double x, double y) {
    double c = r + s + x;
    double m = Math.max(alpha, beta);
    double k = alpha >= beta ? s + 1 : r + x;
    return Math.log(Hypergeometric2F1.value(c, k, c + 1, Math.abs(alpha - beta) / (m + y))) - c * Math.log(m + y);
  }
}
