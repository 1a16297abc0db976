package io.lifecycle.clv.model;

import java.util.List;

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

    ParetoNbdLikelihood(RfmSummary data) {
        this.data = data;
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
        double lgR = SpecialFunctions.logGamma(r);
        double head = r * Math.log(alpha) + s * Math.log(beta) - lgR;
        double[] x = data.xs();
        double[] tx = data.txs();
        double[] age = data.ages();
        double[] w = data.weights();
        double total = 0;
        double lastX = Double.NaN;
        double lgRx = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] != lastX) { // rows often come grouped by x
                lgRx = SpecialFunctions.logGamma(r + x[i]);
                lastX = x[i];
            }
            total += w[i] * (lgRx + head + logBracket(r, alpha, s, beta, x[i], tx[i], age[i]));
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
        double c = r + s + x;
        double m = Math.max(alpha, beta);
        double k = alpha >= beta ? s + 1 : r + x;
        double diff = Math.abs(alpha - beta);
        double u = Math.log(Hypergeometric2F1.value(c, k, c + 1, diff / (m + tx))) - c * Math.log(m + tx);
        double v = Math.log(Hypergeometric2F1.value(c, k, c + 1, diff / (m + age))) - c * Math.log(m + age);
        if (!(u > v)) {
            return Double.NEGATIVE_INFINITY; // t_x = T (or rounding at t_x ~ T): the integral is 0
        }
        return SpecialFunctions.logDiffExp(u, v);
    }
}
