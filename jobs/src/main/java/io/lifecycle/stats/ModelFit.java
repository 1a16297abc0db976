package io.lifecycle.stats;

/**
 * A fitted model together with the diagnostics of its fit, so the model is never used without the
 * information whether the fit can be trusted.
 *
 * @param model the model at the estimates (null when no start produced finite estimates)
 * @param mle   estimates, standard errors, log-likelihood and convergence diagnostics
 * @param <M>   model type
 */
public record ModelFit<M>(M model, MleResult mle) {

  /** Shorthand for {@code mle().converged()}. */
  public boolean converged() {
    return mle.converged();
  }
}
