package io.lifecycle.generate;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the synthetic population looks like, with every latent parameter known so tests can check
 * what the pipeline recovers. Purchase timing follows BG/NBD (rates per WEEK), spend Gamma-Gamma.
 *
 * @param customers number of customers (bots not included)
 * @param seed the same seed gives the same events, whatever the partitioning
 * @param start first day customers can arrive
 * @param end last day of the observation window (no event after it)
 * @param channels acquisition channels and their weights
 * @param buyerShare share of customers who ever purchase (the others browse and leave)
 * @param r BG/NBD: shape of the gamma distribution of purchase rates (per week)
 * @param alpha BG/NBD: rate (scale^-1) of that gamma
 * @param a BG/NBD: beta distribution of the drop-out probability after each repeat purchase
 * @param b BG/NBD: second beta parameter
 * @param p Gamma-Gamma: shape of each purchase's spend given the customer's nu
 * @param q Gamma-Gamma: shape of the gamma distribution of nu
 * @param v Gamma-Gamma: rate of the gamma distribution of nu (mean spend per purchase = p / nu)
 * @param bots number of bot customers (page views every few seconds)
 * @param eventsPerBot events each bot emits
 * @param rateFactors per acquisition channel, a factor on its customers' purchase rates (1 when absent):
 *     the channel as a covariate of the purchase rate, with a known effect for tests to recover
 * @param anonymousShare share of persons whose events before they sign up or first buy carry only a device's
 *     anonymous id, as a clickstream's pre-login events do (0: no anonymous_id column, the output as before
 *     it existed; see DeviceIdentities)
 */
public record GeneratorSettings(
    long customers,
    long seed,
    LocalDate start,
    LocalDate end,
    Map<String, Double> channels,
    double buyerShare,
    double r,
    double alpha,
    double a,
    double b,
    double p,
    double q,
    double v,
    int bots,
    long eventsPerBot,
    Map<String, Double> rateFactors,
    double anonymousShare) implements java.io.Serializable {

  public GeneratorSettings {
    // In the given order: the simulator maps each customer's draw to a channel through the weights in this
    // order, and Map.copyOf's order changes from one JVM to the next (the same seed gave other channels).
    channels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(channels));
    rateFactors = Map.copyOf(rateFactors);
    check(rateFactors.values().stream().allMatch(f -> f > 0 && Double.isFinite(f)), "rate factors must be > 0");
    check(customers >= 0, "customers must be >= 0");
    check(end.isAfter(start.plusDays(30)), "end must be at least 30 days after start");
    check(!channels.isEmpty() && channels.values().stream().allMatch(w -> w > 0), "channel weights must be > 0");
    check(buyerShare >= 0 && buyerShare <= 1, "buyerShare must be in [0, 1]");
    check(r > 0 && alpha > 0 && a > 0 && b > 0, "r, alpha, a, b must be > 0");
    check(p > 0 && q > 1 && v > 0, "p and v must be > 0 and q > 1");
    check(bots >= 0 && eventsPerBot >= 0, "bots and eventsPerBot must be >= 0");
    check(anonymousShare >= 0 && anonymousShare <= 1, "anonymousShare must be in [0, 1]");
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("generator settings: " + message);
    }
  }

  /** CDNOW-like defaults over two years, weekly rates. */
  public static GeneratorSettings defaults(long customers, long seed) {
    Map<String, Double> channels = new LinkedHashMap<>();
    channels.put("organic", 0.35);
    channels.put("paid_search", 0.25);
    channels.put("social", 0.2);
    channels.put("email", 0.1);
    channels.put("referral", 0.1);
    return new GeneratorSettings(customers, seed, LocalDate.of(2024, 1, 1), LocalDate.of(2025, 12, 31), channels,
        0.7, 0.25, 4.0, 0.8, 2.5, 6.0, 4.0, 15.0, 0, 0, Map.of(), 0.0);
  }

  public GeneratorSettings withBots(int count, long eventsEach) {
    return new GeneratorSettings(customers, seed, start, end, channels, buyerShare, r, alpha, a, b, p, q, v, count, eventsEach, rateFactors, anonymousShare);
  }

  public GeneratorSettings withWindow(LocalDate from, LocalDate to) {
    return new GeneratorSettings(customers, seed, from, to, channels, buyerShare, r, alpha, a, b, p, q, v, bots, eventsPerBot, rateFactors, anonymousShare);
  }

  /** These settings with {@code channel}'s customers buying at {@code factor} times the rate they would. */
  public GeneratorSettings withRateFactor(String channel, double factor) {
    Map<String, Double> factors = new LinkedHashMap<>(rateFactors);
    factors.put(channel, factor);
    return new GeneratorSettings(customers, seed, start, end, channels, buyerShare, r, alpha, a, b, p, q, v, bots, eventsPerBot, factors, anonymousShare);
  }

  /** Whether events carry anonymous ids (a positive anonymous share); without, the output is as it always was. */
  public boolean anonymousIds() {
    return anonymousShare > 0;
  }

  /** These settings with {@code share} of the persons anonymous until they sign up or first buy. */
  public GeneratorSettings withAnonymousShare(double share) {
    return new GeneratorSettings(customers, seed, start, end, channels, buyerShare, r, alpha, a, b, p, q, v, bots, eventsPerBot, rateFactors, share);
  }
}
