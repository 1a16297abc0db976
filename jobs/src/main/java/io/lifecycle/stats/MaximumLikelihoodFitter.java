package io.lifecycle.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.NonSymmetricMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maximises a {@link LogLikelihood} over log-transformed positive parameters and reports estimates,
 * standard errors and honest convergence diagnostics.
 *
 * <p><b>Optimizer choice.</b> commons-math3's BOBYQA (Powell's bound-constrained quadratic-model trust
 * region method), a Spark dependency. Breeze's L-BFGS, the other candidate, cannot be driven from Java:
 * javac (and {@code java.lang.reflect.Proxy}) reject implementing {@code breeze.optimize.DiffFunction}
 * because its {@code double apply(T)} clashes with {@code Function1.apply(T): Object}; the only way in is
 * to subclass an unrelated concrete Breeze class with a null delegate, which is fragile across Breeze
 * versions. BOBYQA suits these problems well: 2-4 parameters, smooth, strongly correlated ridges
 * (r vs alpha) that its quadratic models follow, and box bounds that stop a degenerate parameter from
 * running to infinity (which we then flag). It needs no gradient, so the same path serves models with
 * analytic gradients and those (Pareto/NBD) without.
 *
 * <p><b>Convergence is verified, not assumed.</b> After BOBYQA stops, the observed information is
 * computed (finite differences of the analytic gradient when there is one, else second differences of
 * the likelihood) and the fit counts as converged only if it is positive definite and the Newton step
 * from the reported point changes no log-parameter by more than {@code stepTolerance} and promises no
 * more than {@code gainTolerance} of log-likelihood (or 1e-11 of its magnitude, when that is larger: see
 * {@link #RELATIVE_GAIN_FLOOR}). Otherwise
 * BOBYQA is restarted from the best point with a smaller trust region, a few times at most. Several
 * starting points can be given; the best maximum wins and the message says how many starts agreed.
 *
 * <p><b>Refinement.</b> {@link #refine} polishes a start already close to the maximum (a fit on
 * coarsened data). With an analytic gradient it uses safeguarded Newton-Raphson on the observed
 * information it has to compute anyway (two or three iterations instead of a hundred BOBYQA
 * evaluations, which matters when one evaluation is a pass over 300K rows), falling back to BOBYQA.
 *
 * <p>Stateless apart from its options, so one instance can be shared between threads.
 */
public final class MaximumLikelihoodFitter {

  private static final Logger LOG = LoggerFactory.getLogger(MaximumLikelihoodFitter.class);

  /** Log-step for differentiating an analytic gradient (about eps^(1/3)). */
  private static final double GRADIENT_STEP = 1e-5;
  /** Log-step for second differences of the likelihood itself (about eps^(1/4)). */
  private static final double VALUE_STEP = 1e-4;
  /** A parameter within this factor of the search box is reported as at the boundary. */
  private static final double BOUNDARY_MARGIN = 100.0;

  /**
   * Fitter settings.
   *
   * @param maxEvaluations  likelihood evaluations allowed per BOBYQA run
   * @param initialRadius   initial trust region radius in log-parameter units (0.5: a factor 1.65)
   * @param stoppingRadius  final trust region radius in log-parameter units
   * @param stepTolerance   largest acceptable Newton step (log units, i.e. relative change) at the optimum
   * @param gainTolerance   largest acceptable log-likelihood gain predicted by that Newton step
   * @param searchRange     each parameter is searched within [start / range, start * range]
   * @param maxRestarts     BOBYQA restarts from the best point when the convergence check fails
   */
  public record Options(int maxEvaluations, double initialRadius, double stoppingRadius,
              double stepTolerance, double gainTolerance, double searchRange, int maxRestarts) {

    public Options {
      if (maxEvaluations < 10 || !(initialRadius > stoppingRadius) || !(stoppingRadius > 0)
          || !(stepTolerance > 0) || !(gainTolerance > 0) || !(searchRange > BOUNDARY_MARGIN) || maxRestarts < 0) {
        throw new IllegalArgumentException("invalid fitter options: " + this);
      }
    }

    public static Options defaults() {
      // A derivative-free method resolves a log-parameter only to about sqrt(eps |LL| / curvature),
      // ~1e-6 on CDNOW; 1e-4 (0.01 %) is far below any standard error yet safely above that floor.
      return new Options(5_000, 0.5, 1e-10, 1e-4, 1e-6, 1e6, 5);
    }
  }

  private final Options options;

  public MaximumLikelihoodFitter() {
    this(Options.defaults());
  }

  public MaximumLikelihoodFitter(Options options) {
    this.options = options;
  }

  public Options options() {
    return options;
  }

  /**
   * Maximises {@code likelihood} from each start (natural parameters, all &gt; 0) and returns the best.
   * Never throws for numerical trouble inside the likelihood: that ends up in the result's message.
   */
  public MleResult fit(LogLikelihood likelihood, List<double[]> starts) {
    int n = likelihood.dimension();
    if (starts.isEmpty()) {
      throw new IllegalArgumentException("at least one start is needed");
    }
    List<Attempt> attempts = new ArrayList<>();
    int evaluations = 0;
    for (double[] start : starts) {
      if (start.length != n || Arrays.stream(start).anyMatch(v -> !(v > 0) || !Double.isFinite(v))) {
        throw new IllegalArgumentException("start must have " + n + " positive finite values: " + Arrays.toString(start));
      }
      Attempt a = run(likelihood, start);
      evaluations += a.evaluations;
      LOG.debug("start {} -> {}", Arrays.toString(start), a);
      attempts.add(a);
    }
    Attempt best = null;
    for (Attempt a : attempts) {
      if (Double.isFinite(a.logLikelihood) && (best == null || a.logLikelihood > best.logLikelihood
          || (a.logLikelihood == best.logLikelihood && a.converged && !best.converged))) {
        best = a;
      }
    }
    if (best == null) {
      double[] nan = filled(n, Double.NaN);
      String why = attempts.stream().map(a -> a.message).distinct().reduce((x, y) -> x + "; " + y).orElse("");
      return new MleResult(likelihood.parameterNames(), nan, nan, nanMatrix(n), Double.NaN, evaluations,
          false, false, "no start produced a finite log-likelihood: " + why);
    }
    long agreeing = 0;
    for (Attempt a : attempts) {
      if (Math.abs(a.logLikelihood - best.logLikelihood) <= 1e-6 * Math.max(1.0, Math.abs(best.logLikelihood))) {
        agreeing++;
      }
    }
    String message = best.message + "; " + agreeing + " of " + attempts.size() + " starts reached this maximum";
    return new MleResult(likelihood.parameterNames(), best.theta, best.standardErrors, best.covariance,
        best.logLikelihood, evaluations, best.converged, best.atBoundary, message);
  }

  /**
   * Maximises from a single start already believed close to the maximum (e.g. a fit on coarsened
   * data), with a smaller initial trust region so that few evaluations are spent getting there.
   */
  public MleResult refine(LogLikelihood likelihood, double[] start, double initialRadius) {
    int n = likelihood.dimension();
    if (start.length != n || Arrays.stream(start).anyMatch(v -> !(v > 0) || !Double.isFinite(v))) {
      throw new IllegalArgumentException("start must have " + n + " positive finite values: " + Arrays.toString(start));
    }
    if (!(initialRadius > options.stoppingRadius())) {
      throw new IllegalArgumentException("initial radius must exceed the stopping radius: " + initialRadius);
    }
    double[] from = start;
    if (likelihood.hasAnalyticGradient()) {
      Attempt newton;
      try {
        newton = newton(likelihood, start);
      } catch (ArithmeticException | IllegalArgumentException e) {
        newton = Attempt.failed("Newton refinement failed: " + e.getMessage(), 0, n);
      }
      if (newton.converged) {
        return new MleResult(likelihood.parameterNames(), newton.theta, newton.standardErrors,
            newton.covariance, newton.logLikelihood, newton.evaluations, true, newton.atBoundary,
            newton.message);
      }
      if (Arrays.stream(newton.theta).allMatch(v -> v > 0 && Double.isFinite(v))) {
        from = newton.theta;
      }
    }
    Attempt a = run(likelihood, from, Math.min(initialRadius, options.initialRadius()));
    return new MleResult(likelihood.parameterNames(), a.theta, a.standardErrors, a.covariance, a.logLikelihood,
        a.evaluations, a.converged, a.atBoundary, a.message);
  }

  /**
   * Newton-Raphson in log-parameters with step halving, for {@link #refine} when an analytic gradient
   * exists. From a start near the maximum it converges in two or three iterations, each costing one
   * observed-information computation (2n gradients), i.e. far fewer passes over large data than a
   * derivative-free search. It gives up (and BOBYQA takes over) as soon as the information is not
   * positive definite or a step fails to increase the likelihood.
   */
  private Attempt newton(LogLikelihood likelihood, double[] start) {
    int n = start.length;
    double[] phi = new double[n];
    for (int i = 0; i < n; i++) {
      phi[i] = Math.log(start[i]);
    }
    double f = likelihood.value(start);
    int evaluations = 1;
    for (int iteration = 0; iteration < 20 && Double.isFinite(f); iteration++) {
      Assessment a = assess(likelihood, phi);
      evaluations += 2 * n + 1;
      if (acceptable(a, f)) {
        return new Attempt(exp(phi), f, a.standardErrors, a.covariance, evaluations, true, false,
            "converged (Newton refinement, " + iteration + " steps)");
      }
      if (!a.informationPositiveDefinite || a.newtonDirection == null) {
        break;
      }
      // Never jump by more than a factor e in any parameter in one step.
      double scale = Math.min(1.0, 1.0 / a.newtonStep);
      boolean improved = false;
      for (int halving = 0; halving < 8 && !improved; halving++, scale /= 2) {
        double[] trial = phi.clone();
        for (int i = 0; i < n; i++) {
          trial[i] += scale * a.newtonDirection[i];
        }
        double ft = likelihood.value(exp(trial));
        evaluations++;
        if (ft >= f) {
          phi = trial;
          f = ft;
          improved = true;
        }
      }
      if (!improved) {
        break;
      }
    }
    return new Attempt(exp(phi), f, filled(n, Double.NaN), nanMatrix(n), evaluations, false, false,
        "Newton refinement did not converge");
  }

  private Attempt run(LogLikelihood likelihood, double[] start) {
    return run(likelihood, start, options.initialRadius());
  }

  private Attempt run(LogLikelihood likelihood, double[] start, double initialRadius) {
    int n = start.length;
    double[] phi0 = new double[n];
    double[] lower = new double[n];
    double[] upper = new double[n];
    double range = Math.log(options.searchRange());
    for (int i = 0; i < n; i++) {
      phi0[i] = Math.log(start[i]);
      lower[i] = phi0[i] - range;
      upper[i] = phi0[i] + range;
    }
    TrackingObjective objective = new TrackingObjective(likelihood);
    double[] phi = phi0;
    double radius = initialRadius;
    String failure = null;
    Assessment assessment = null;
    for (int round = 0; round <= options.maxRestarts(); round++) {
      failure = null;
      try {
        BOBYQAOptimizer optimizer = new BOBYQAOptimizer(2 * n + 1, radius, options.stoppingRadius());
        PointValuePair p = optimizer.optimize(new MaxEval(options.maxEvaluations()),
            new ObjectiveFunction(objective), GoalType.MAXIMIZE, new InitialGuess(phi),
            new SimpleBounds(lower, upper));
        LOG.trace("BOBYQA round {} ended at {}", round, p.getValue());
      } catch (TooManyEvaluationsException e) {
        failure = "evaluation budget of " + options.maxEvaluations() + " exhausted";
      } catch (MathIllegalStateException | ArithmeticException | IllegalArgumentException e) {
        failure = "optimizer stopped: " + e.getMessage();
      }
      if (objective.bestPoint == null) {
        return Attempt.failed(failure == null ? "no finite log-likelihood" : failure, objective.count, n);
      }
      // BOBYQA returns its best point; after a failure only the tracked best point is known.
      phi = objective.bestPoint.clone();
      assessment = assess(likelihood, phi);
      if (failure == null && acceptable(assessment, objective.bestValue)) {
        break;
      }
      LOG.debug("round {}: newton step {}, PD {}, failure {}", round, assessment.newtonStep,
          assessment.informationPositiveDefinite, failure);
      // Restart from the best point: a fresh quadratic model usually finishes the job. After a
      // numerical failure the trust region shrinks, since BOBYQA's first steps span the whole
      // initial radius and would reach the failing region again.
      double next = failure != null ? radius / 4
          : Double.isFinite(assessment.newtonStep) ? 2 * assessment.newtonStep : 0.1;
      radius = Math.max(100 * options.stoppingRadius(), Math.min(options.initialRadius(), next));
    }
    boolean atBoundary = false;
    double margin = range - Math.log(BOUNDARY_MARGIN);
    for (int i = 0; i < n; i++) {
      atBoundary |= Math.abs(phi[i] - phi0[i]) >= margin;
    }
    boolean converged = failure == null && acceptable(assessment, objective.bestValue);
    StringBuilder msg = new StringBuilder(converged ? "converged" : "NOT converged");
    if (failure != null) {
      msg.append(": ").append(failure);
    }
    if (!assessment.informationPositiveDefinite) {
      msg.append(": observed information not positive definite (no standard errors)");
    } else if (!acceptable(assessment, objective.bestValue)) {
      msg.append(": Newton step at the reported point is ").append(assessment.newtonStep)
          .append(" with predicted log-likelihood gain ").append(assessment.predictedGain);
    }
    if (atBoundary) {
      msg.append(": a parameter is at the edge of the search range (degenerate model)");
    }
    double[] theta = exp(phi);
    return new Attempt(theta, objective.bestValue, assessment.standardErrors, assessment.covariance,
        objective.count, converged, atBoundary, msg.toString());
  }

  /**
   * Relative floor of the gain tolerance. A log-likelihood summed over millions of customers is only
   * exact to a few units in its last places times the square root of the terms: at 4.78 million
   * (about -2e7) the predicted gain at the optimum stayed at 5e-6 whatever the optimizer did, and
   * a Newton step from there did not raise the computed value. 1e-11 of |LL| is far below anything
   * that changes an estimate (the step tolerance still holds each parameter to 0.01 %).
   */
  static final double RELATIVE_GAIN_FLOOR = 1e-11;

  private boolean acceptable(Assessment a, double logLikelihood) {
    return a.informationPositiveDefinite && a.newtonStep <= options.stepTolerance()
        && a.predictedGain <= Math.max(options.gainTolerance(), RELATIVE_GAIN_FLOOR * Math.abs(logLikelihood));
  }

  /**
   * Observed information, standard errors and the Newton step (length, predicted gain) at phi; a
   * numerical failure while differentiating counts as "not positive definite" rather than escaping.
   */
  private static Assessment assess(LogLikelihood likelihood, double[] phi) {
    try {
      return assessOrThrow(likelihood, phi);
    } catch (ArithmeticException | IllegalArgumentException e) {
      LOG.debug("observed information failed at {}: {}", Arrays.toString(exp(phi)), e.getMessage());
      int n = phi.length;
      return new Assessment(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, false, filled(n, Double.NaN),
          nanMatrix(n), null);
    }
  }

  private static Assessment assessOrThrow(LogLikelihood likelihood, double[] phi) {
    int n = phi.length;
    double[] theta = exp(phi);
    double[] gradTheta = likelihood.gradient(theta);
    double[][] hessTheta = likelihood.hasAnalyticGradient()
        ? hessianFromGradient(likelihood, theta) : hessianFromValues(likelihood, phi);
    // Chain rule to log space: H_phi = D H_theta D + diag(theta * g_theta), g_phi = theta * g_theta.
    double[] gradPhi = new double[n];
    double[][] negHessPhi = new double[n][n];
    for (int i = 0; i < n; i++) {
      gradPhi[i] = theta[i] * gradTheta[i];
      for (int j = 0; j < n; j++) {
        negHessPhi[i][j] = -theta[i] * hessTheta[i][j] * theta[j];
      }
      negHessPhi[i][i] -= gradPhi[i];
    }
    double step = Double.POSITIVE_INFINITY;
    double gain = Double.POSITIVE_INFINITY;
    double[] delta = null;
    boolean pd = false;
    double[][] covariance = nanMatrix(n);
    double[] se = filled(n, Double.NaN);
    try {
      delta = cholesky(negHessPhi).getSolver().solve(new ArrayRealVector(gradPhi)).toArray();
      step = Arrays.stream(delta).map(Math::abs).max().orElse(0);
      gain = 0;
      for (int i = 0; i < n; i++) {
        gain += 0.5 * gradPhi[i] * delta[i];
      }
      double[][] negHessTheta = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          negHessTheta[i][j] = -hessTheta[i][j];
        }
      }
      RealMatrix inv = cholesky(negHessTheta).getSolver().getInverse();
      covariance = inv.getData();
      for (int i = 0; i < n; i++) {
        se[i] = Math.sqrt(covariance[i][i]);
      }
      pd = true;
    } catch (NonPositiveDefiniteMatrixException | NonSymmetricMatrixException e) {
      // reported through pd = false
    }
    if (Arrays.stream(gradPhi).anyMatch(v -> !Double.isFinite(v))) {
      pd = false;
    }
    return new Assessment(step, gain, pd, se, covariance, delta);
  }

  private static CholeskyDecomposition cholesky(double[][] m) {
    return new CholeskyDecomposition(new Array2DRowRealMatrix(m, true), 1e-10, 1e-14);
  }

  /** Hessian in natural parameters by central differences of the analytic gradient, symmetrised. */
  static double[][] hessianFromGradient(LogLikelihood likelihood, double[] theta) {
    int n = theta.length;
    double[][] h = new double[n][n];
    double[] p = theta.clone();
    for (int j = 0; j < n; j++) {
      double up = theta[j] * Math.exp(GRADIENT_STEP);
      double down = theta[j] * Math.exp(-GRADIENT_STEP);
      p[j] = up;
      double[] gUp = likelihood.gradient(p);
      p[j] = down;
      double[] gDown = likelihood.gradient(p);
      p[j] = theta[j];
      for (int i = 0; i < n; i++) {
        h[i][j] = (gUp[i] - gDown[i]) / (up - down);
      }
    }
    symmetrise(h);
    return h;
  }

  /** Hessian in natural parameters from second differences of the likelihood in log space. */
  static double[][] hessianFromValues(LogLikelihood likelihood, double[] phi) {
    int n = phi.length;
    double s = VALUE_STEP;
    double f0 = likelihood.value(exp(phi));
    double[][] hPhi = new double[n][n];
    double[] gPhi = new double[n];
    for (int i = 0; i < n; i++) {
      double fp = valueAt(likelihood, phi, i, s, -1, 0);
      double fm = valueAt(likelihood, phi, i, -s, -1, 0);
      hPhi[i][i] = (fp - 2 * f0 + fm) / (s * s);
      gPhi[i] = (fp - fm) / (2 * s);
      for (int j = 0; j < i; j++) {
        double fpp = valueAt(likelihood, phi, i, s, j, s);
        double fpm = valueAt(likelihood, phi, i, s, j, -s);
        double fmp = valueAt(likelihood, phi, i, -s, j, s);
        double fmm = valueAt(likelihood, phi, i, -s, j, -s);
        hPhi[i][j] = (fpp - fpm - fmp + fmm) / (4 * s * s);
        hPhi[j][i] = hPhi[i][j];
      }
    }
    // Back to natural parameters: H_theta = D^-1 (H_phi - diag(g_phi)) D^-1.
    double[] theta = exp(phi);
    double[][] h = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        h[i][j] = (hPhi[i][j] - (i == j ? gPhi[i] : 0)) / (theta[i] * theta[j]);
      }
    }
    return h;
  }

  private static double valueAt(LogLikelihood likelihood, double[] phi, int i, double di, int j, double dj) {
    double[] p = phi.clone();
    p[i] += di;
    if (j >= 0) {
      p[j] += dj;
    }
    return likelihood.value(exp(p));
  }

  private static void symmetrise(double[][] h) {
    for (int i = 0; i < h.length; i++) {
      for (int j = 0; j < i; j++) {
        double m = 0.5 * (h[i][j] + h[j][i]);
        h[i][j] = m;
        h[j][i] = m;
      }
    }
  }

  private static double[] exp(double[] phi) {
    double[] t = new double[phi.length];
    for (int i = 0; i < phi.length; i++) {
      t[i] = Math.exp(phi[i]);
    }
    return t;
  }

  private static double[] filled(int n, double v) {
    double[] a = new double[n];
    Arrays.fill(a, v);
    return a;
  }

  private static double[][] nanMatrix(int n) {
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      m[i] = filled(n, Double.NaN);
    }
    return m;
  }

  /**
   * Log-parameter objective for BOBYQA. Remembers the best point seen, so that a run cut short by
   * the evaluation budget or a numerical failure still leaves something to restart from; a non-finite
   * likelihood aborts the run (BOBYQA's quadratic models cannot absorb infinities).
   */
  private static final class TrackingObjective implements org.apache.commons.math3.analysis.MultivariateFunction {
    private final LogLikelihood likelihood;
    private double[] bestPoint;
    private double bestValue = Double.NEGATIVE_INFINITY;
    private int count;

    TrackingObjective(LogLikelihood likelihood) {
      this.likelihood = likelihood;
    }

    @Override
    public double value(double[] phi) {
      count++;
      double v = likelihood.value(exp(phi));
      if (!Double.isFinite(v)) {
        throw new ArithmeticException("log-likelihood is " + v + " at " + Arrays.toString(exp(phi)));
      }
      if (v > bestValue) {
        bestValue = v;
        bestPoint = phi.clone();
      }
      return v;
    }
  }

  private record Assessment(double newtonStep, double predictedGain, boolean informationPositiveDefinite, double[] standardErrors,
                double[][] covariance, double[] newtonDirection) {
  }

  private record Attempt(double[] theta, double logLikelihood, double[] standardErrors, double[][] covariance,
               int evaluations, boolean converged, boolean atBoundary, String message) {

    static Attempt failed(String why, int evaluations, int n) {
      return new Attempt(filled(n, Double.NaN), Double.NaN, filled(n, Double.NaN), nanMatrix(n),
          evaluations, false, false, "NOT converged: " + why);
    }

    @Override
    public String toString() {
      return Arrays.toString(theta) + " ll=" + logLikelihood + " evals=" + evaluations + " " + message;
    }
  }
}
