package io.lifecycle.stats;

import java.util.List;

/**
 * BG/NBD log-likelihood over compressed (x, t_x, T) rows, with its analytic gradient.
 *
 * <p>Fader, Hardie &amp; Lee (2005), eq. 6: per customer
 * ln L = ln A1 + ln A2 + ln(exp(ln A3) + [x &gt; 0] exp(ln A4)) with
 * A1 = Gamma(r+x) alpha^r / Gamma(r), A2 = Gamma(a+b) Gamma(b+x) / (Gamma(b) Gamma(a+b+x)),
 * A3 = (alpha+T)^-(r+x), A4 = a / (b+x-1) (alpha+t_x)^-(r+x); the last term is summed in log space.
 * Gamma and digamma terms are computed once per distinct x, logarithms once per distinct T and t_x.
 */
final class BgNbdLikelihood implements LogLikelihood {

  static final List<String> NAMES = List.of("r", "alpha", "a", "b");

  private final RfmSummary data;
  private final DistinctValues xs;
  private final DistinctValues ages;
  private final DistinctValues recencies;

  BgNbdLikelihood(RfmSummary data) {
    this.data = data;
    this.xs = new DistinctValues(data.xs());
    this.ages = new DistinctValues(data.ages());
    this.recencies = new DistinctValues(data.txs());
  }

  @Override
  public List<String> parameterNames() {
    return NAMES;
  }

  @Override
  public boolean hasAnalyticGradient() {
    return true;
  }

  @Override
  public double value(double[] p) {
    return evaluate(p, null);
  }

  @Override
  public double[] gradient(double[] p) {
    double[] g = new double[4];
    evaluate(p, g);
    return g;
  }

  /** Log-likelihood; when {@code grad} is not null also fills d/d(r, alpha, a, b). */
  private double evaluate(double[] p, double[] grad) {
    double r = p[0];
    double alpha = p[1];
    double a = p[2];
    double b = p[3];
    double logAlpha = Math.log(alpha);
    double lgR = SpecialFunctions.logGamma(r);
    double lgB = SpecialFunctions.logGamma(b);
    double lgAB = SpecialFunctions.logGamma(a + b);
    double logA = Math.log(a);

    int nx = xs.size();
    double[] constPart = new double[nx]; // ln A1 + ln A2 without the r ln(alpha) term
    double[] logA4Const = new double[nx]; // ln a - ln(b + x - 1)
    double[] dR = null;
    double[] dA = null;
    double[] dB = null;
    if (grad != null) {
      dR = new double[nx];
      dA = new double[nx];
      dB = new double[nx];
    }
    double psiR = grad == null ? 0 : SpecialFunctions.digamma(r);
    double psiB = grad == null ? 0 : SpecialFunctions.digamma(b);
    double psiAB = grad == null ? 0 : SpecialFunctions.digamma(a + b);
    for (int k = 0; k < nx; k++) {
      double x = xs.values[k];
      constPart[k] = SpecialFunctions.logGamma(r + x) - lgR
          + lgAB + SpecialFunctions.logGamma(b + x) - lgB - SpecialFunctions.logGamma(a + b + x);
      logA4Const[k] = x > 0 ? logA - Math.log(b + x - 1) : Double.NEGATIVE_INFINITY;
      if (grad != null) {
        double psiABX = SpecialFunctions.digamma(a + b + x);
        dR[k] = SpecialFunctions.digamma(r + x) - psiR;
        dA[k] = psiAB - psiABX;
        dB[k] = psiAB + SpecialFunctions.digamma(b + x) - psiB - psiABX;
      }
    }
    double[] logAlphaT = logShift(alpha, ages.values);
    double[] logAlphaTx = logShift(alpha, recencies.values);

    double[] x = data.xs();
    double[] w = data.weights();
    double total = 0;
    double gr = 0;
    double gAlpha = 0;
    double ga = 0;
    double gb = 0;
    for (int i = 0; i < x.length; i++) {
      int k = xs.index[i];
      int kt = ages.index[i];
      int ktx = recencies.index[i];
      double rx = r + x[i];
      double lA3 = -rx * logAlphaT[kt];
      double ll;
      double w4 = 0; // posterior weight of the "dropped out after the last purchase" branch
      if (x[i] > 0) {
        // ln(e^lA3 + e^lA4) with the larger term factored out. Math.log(1 + e) instead of
        // log1p: both JIT intrinsics, and the absolute error (1e-16) is all a sum needs.
        double lA4 = logA4Const[k] - rx * logAlphaTx[ktx];
        double d = lA4 - lA3;
        if (d > 0) {
          double e = Math.exp(-d);
          ll = lA4 + Math.log(1 + e);
          w4 = 1 / (1 + e);
        } else {
          double e = Math.exp(d);
          ll = lA3 + Math.log(1 + e);
          w4 = e / (1 + e);
        }
      } else {
        ll = lA3;
      }
      total += w[i] * (constPart[k] + r * logAlpha + ll);
      if (grad != null) {
        double w3 = 1 - w4;
        double invT = 1 / (alpha + data.ages()[i]);
        double invTx = 1 / (alpha + data.txs()[i]);
        gr += w[i] * (dR[k] + logAlpha - w3 * logAlphaT[kt] - w4 * logAlphaTx[ktx]);
        gAlpha += w[i] * (r / alpha - rx * (w3 * invT + w4 * invTx));
        ga += w[i] * (dA[k] + w4 / a);
        gb += w[i] * (dB[k] - (x[i] > 0 ? w4 / (b + x[i] - 1) : 0));
      }
    }
    if (grad != null) {
      grad[0] = gr;
      grad[1] = gAlpha;
      grad[2] = ga;
      grad[3] = gb;
    }
    return total;
  }

  private static double[] logShift(double alpha, double[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Math.log(alpha + values[i]);
    }
    return out;
  }
}
