package io.lifecycle.clv;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The removal effects of a first-order Markov chain over customer journeys (Anderl et al. 2016; the
 * "ChannelAttribution" R package): states {@code (start)}, the channels, and the absorbing
 * {@code (conversion)} and {@code (null)}; transition probabilities are the observed moves out of each
 * state. P = the probability of absorption in {@code (conversion)} from {@code (start)}; removing a
 * channel sends the moves into it to {@code (null)}, and its removal effect is 1 - P(without it) / P.
 *
 * <p>Solved exactly rather than simulated: the absorption probabilities x of the transient states
 * satisfy x = Q x + r (Q the moves between transient states, r the moves into conversion), so
 * (I - Q) x = r is one linear solve; removing channel c replaces its equation by x_c = 0. The chain has
 * a state per channel, bounded by {@code clv.attribution_channels}, so this is plain Java in the driver.
 */
public final class RemovalEffects {
  public static final String START = "(start)";
  public static final String CONVERSION = "(conversion)";
  public static final String NULL = "(null)";

  /** Moves observed from one state to another: from is START or a channel, to a channel, CONVERSION or NULL. */
  public record Transition(String from, String to, long count) {}

  private final double conversionProbability;
  private final Map<String, Double> effects;

  private RemovalEffects(double conversionProbability, Map<String, Double> effects) {
    this.conversionProbability = conversionProbability;
    this.effects = effects;
  }

  /** The chain of these moves; a channel with no move out of it is absorbed in {@code (null)}. */
  public static RemovalEffects of(Collection<Transition> transitions) {
    TreeSet<String> channels = new TreeSet<>();
    for (Transition t : transitions) {
      for (String s : List.of(t.from(), t.to())) {
        if (!s.equals(START) && !s.equals(CONVERSION) && !s.equals(NULL)) {
          channels.add(s);
        }
      }
    }
    List<String> states = new ArrayList<>();
    states.add(START);
    states.addAll(channels);
    int n = states.size();
    double[][] q = new double[n][n];
    double[] r = new double[n];
    double[] out = new double[n];
    for (Transition t : transitions) {
      out[states.indexOf(t.from())] += t.count();
    }
    for (Transition t : transitions) {
      int i = states.indexOf(t.from());
      if (t.to().equals(CONVERSION)) {
        r[i] += t.count() / out[i];
      } else if (!t.to().equals(NULL)) {
        q[i][states.indexOf(t.to())] += t.count() / out[i];
      }
    }
    double p = absorption(q, r, -1);
    Map<String, Double> effects = new LinkedHashMap<>();
    for (int c = 1; c < n; c++) {
      effects.put(states.get(c), p > 0 ? 1 - absorption(q, r, c) / p : 0.0);
    }
    return new RemovalEffects(p, effects);
  }

  /** P: the probability that a journey from {@code (start)} ends in a conversion. */
  public double conversionProbability() {
    return conversionProbability;
  }

  /** Each channel's removal effect, channels in name order (0 for all when no journey converts). */
  public Map<String, Double> effects() {
    return java.util.Collections.unmodifiableMap(effects);
  }

  /**
   * Each channel's share of the sum of the removal effects: the fraction of the conversions (and of any
   * value) the Markov model credits to it. Empty when no journey converts.
   */
  public Map<String, Double> shares() {
    double total = effects.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> shares = new LinkedHashMap<>();
    if (total > 0) {
      effects.forEach((c, e) -> shares.put(c, e / total));
    }
    return shares;
  }

  /**
   * x_start of (I - Q) x = r by Gaussian elimination with partial pivoting, with state {@code removed}'s
   * equation replaced by x_removed = 0 (none when -1). A state with no move out has the equation x = 0.
   */
  private static double absorption(double[][] q, double[] r, int removed) {
    int n = r.length;
    double[][] a = new double[n][n + 1];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        a[i][j] = (i == j ? 1 : 0) - (i == removed ? 0 : q[i][j]);
      }
      a[i][n] = i == removed ? 0 : r[i];
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int i = col + 1; i < n; i++) {
        if (Math.abs(a[i][col]) > Math.abs(a[pivot][col])) {
          pivot = i;
        }
      }
      double[] swap = a[col];
      a[col] = a[pivot];
      a[pivot] = swap;
      if (a[col][col] == 0) {
        // Only a closed loop of channels with no way out, which journeys that all end cannot produce.
        throw new IllegalStateException("the journeys' chain has states that never reach (conversion) or (null)");
      }
      for (int i = col + 1; i < n; i++) {
        double f = a[i][col] / a[col][col];
        for (int j = col; j <= n; j++) {
          a[i][j] -= f * a[col][j];
        }
      }
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = a[i][n];
      for (int j = i + 1; j < n; j++) {
        s -= a[i][j] * x[j];
      }
      x[i] = s / a[i][i];
    }
    return x[0];
  }
}
