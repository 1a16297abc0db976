package io.lifecycle.clv.model;

import java.util.List;

/**
 * Gamma-Gamma model of spend per transaction (Fader &amp; Hardie 2013, "The Gamma-Gamma Model of Monetary
 * Value"): each transaction value is Gamma(p, nu) with nu ~ Gamma(q, v) across customers, independent
 * of the purchase process.
 *
 * <p>The likelihood is the density of a customer's observed mean spend mbar over x repeat transactions
 * (the mean of x Gamma(p, nu) values is Gamma(p x, nu x)), integrated over nu:
 * f(mbar | x) = Gamma(px+q) / (Gamma(px) Gamma(q)) v^q mbar^(px-1) x^(px) / (v + x mbar)^(px+q).
 * This is the form of the Fader-Hardie note and of the lifetimes library; on the CDNOW sample (946
 * repeat customers, mbar per repeat purchase day) it gives p = 6.25, q = 3.74, v = 15.44 and
 * log-likelihood -4055.9 (see the tests). The density of total spend instead would differ by the
 * constant -sum ln x, and does not change the estimates.
 *
 * @param p shape of the transaction-value distribution
 * @param q shape of the distribution of its scale nu
 * @param v scale (currency units) of the distribution of nu
 */
public record GammaGammaModel(double p, double q, double v) {

    static final List<String> NAMES = List.of("p", "q", "v");

    public GammaGammaModel {
        for (double d : new double[] {p, q, v}) {
            if (!(d > 0) || !Double.isFinite(d)) {
                throw new IllegalArgumentException("Gamma-Gamma parameters must be positive and finite: p=" + p
                        + " q=" + q + " v=" + v);
            }
        }
    }

    /** Fits by maximum likelihood with default fitter options and starting values. */
    public static ModelFit<GammaGammaModel> fit(SpendSummary data) {
        return fit(data, new MaximumLikelihoodFitter());
    }

    /** Fits by maximum likelihood; starts put the population mean spend p v / (q-1) at the data's mean. */
    public static ModelFit<GammaGammaModel> fit(SpendSummary data, MaximumLikelihoodFitter fitter) {
        double mean = data.meanOfMeanSpend();
        List<double[]> starts = List.of(
                new double[] {1.0, 2.0, mean},
                new double[] {5.0, 4.0, 0.6 * mean});
        MleResult mle = fitter.fit(likelihood(data), starts);
        double[] e = mle.estimates();
        GammaGammaModel model = mle.hasEstimates() ? new GammaGammaModel(e[0], e[1], e[2]) : null;
        return new ModelFit<>(model, mle);
    }

    /** The likelihood as an optimisation target (parameters p, q, v), with analytic gradient. */
    public static LogLikelihood likelihood(SpendSummary data) {
        return new Likelihood(data);
    }

    /** Total (weighted) log-likelihood of the data under this model. */
    public double logLikelihood(SpendSummary data) {
        return likelihood(data).value(toArray());
    }

    /** Parameters as {p, q, v}. */
    public double[] toArray() {
        return new double[] {p, q, v};
    }

    /**
     * E[M | x, mbar] = p (v + x mbar) / (p x + q - 1): a weighted average of the population mean
     * p v / (q-1) and the customer's own mbar, with weight p x / (p x + q - 1) on the latter.
     * For x = 0 this is the population mean (needs q &gt; 1).
     */
    public double conditionalExpectedMeanSpend(double x, double mbar) {
        if (!(x >= 0) || (x > 0 && !(mbar > 0))) {
            throw new IllegalArgumentException("need x >= 0 and mbar > 0 when x > 0: x=" + x + " mbar=" + mbar);
        }
        double den = p * x + q - 1;
        if (!(den > 0)) {
            return Double.POSITIVE_INFINITY; // heavy tail: the posterior mean does not exist
        }
        return p * (v + (x > 0 ? x * mbar : 0)) / den;
    }

    /** Population mean spend per transaction p v / (q - 1); +inf when q &lt;= 1. */
    public double meanSpend() {
        return q > 1 ? p * v / (q - 1) : Double.POSITIVE_INFINITY;
    }

    private static final class Likelihood implements LogLikelihood {
        private final SpendSummary data;

        Likelihood(SpendSummary data) {
            this.data = data;
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
        public double value(double[] theta) {
            return evaluate(theta, null);
        }

        @Override
        public double[] gradient(double[] theta) {
            double[] g = new double[3];
            evaluate(theta, g);
            return g;
        }

        private double evaluate(double[] theta, double[] grad) {
            double p = theta[0];
            double q = theta[1];
            double v = theta[2];
            double lgQ = SpecialFunctions.logGamma(q);
            double logV = Math.log(v);
            double psiQ = grad == null ? 0 : SpecialFunctions.digamma(q);
            double[] x = data.xs();
            double[] m = data.mbars();
            double[] w = data.weights();
            double total = 0;
            double gp = 0;
            double gq = 0;
            double gv = 0;
            for (int i = 0; i < x.length; i++) {
                double px = p * x[i];
                double logM = Math.log(m[i]);
                double logX = Math.log(x[i]);
                double logDen = Math.log(v + x[i] * m[i]);
                total += w[i] * (SpecialFunctions.logGamma(px + q) - SpecialFunctions.logGamma(px) - lgQ
                        + q * logV + (px - 1) * logM + px * logX - (px + q) * logDen);
                if (grad != null) {
                    double psiPQ = SpecialFunctions.digamma(px + q);
                    gp += w[i] * x[i] * (psiPQ - SpecialFunctions.digamma(px) + logM + logX - logDen);
                    gq += w[i] * (psiPQ - psiQ + logV - logDen);
                    gv += w[i] * (q / v - (px + q) / (v + x[i] * m[i]));
                }
            }
            if (grad != null) {
                grad[0] = gp;
                grad[1] = gq;
                grad[2] = gv;
            }
            return total;
        }
    }
}
