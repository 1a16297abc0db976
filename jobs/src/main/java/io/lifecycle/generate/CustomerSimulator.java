package io.lifecycle.generate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Simulates one customer's life from their own random stream: arrival through a channel, an awareness
 * session, usually a consideration session (sometimes skipped), then, for buyers, BG/NBD repeat
 * purchases (exponential gaps at rate lambda per week; after each repeat purchase a drop-out with
 * probability p) with Gamma-Gamma spend, and between purchases support tickets, reviews, referrals and
 * browse sessions. Nothing happens after a drop-out. Pure Java: the Spark wrapper only fans it out.
 */
final class CustomerSimulator {
  static final long MINUTE = 60_000L;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;
  static final long WEEK = 7 * DAY;

  /**
   * One raw event, in the shape users give us (strings). A null customer id: an anonymous visitor's
   * event; a null anonymous id: none given (every event when the settings' anonymous share is 0).
   */
  record Event(String customerId, long time, String type, String amount, String channel, String eventId,
      String anonymousId) {}

  /** The latent truth of one customer. */
  record Truth(String customerId, String channel, long arrival, Long firstPurchase, double lambda, double pDropout,
      Long dropout, double nu, int purchases, boolean aliveAtEnd) {}

  /**
   * The ids a person used: whether their first events were anonymous, whether their customer id appears
   * on any event, and their devices' anonymous ids (none when the anonymous share is 0).
   */
  record Identity(boolean anonymousFirst, boolean identified, List<String> anonymousIds) {
    static final Identity CUSTOMER_ID_ONLY = new Identity(false, true, List.of());
  }

  record Customer(Truth truth, List<Event> events, Identity identity) {}

  /** A customer's properties, as a CRM would hold them (a null country: not recorded). */
  record Properties(String customerId, String country, String plan) {}

  /** Countries and their shares; 3% of customers have none. */
  private static final String[] COUNTRIES = {"US", "GB", "DE", "FR", "CA", "AU", "NL", "ES", "IT", "SE", "BR", "JP", "IN", "MX", "PL"};
  private static final double[] COUNTRY_SHARES = {0.27, 0.12, 0.10, 0.08, 0.07, 0.05, 0.04, 0.04, 0.04, 0.03, 0.03, 0.03, 0.03, 0.02, 0.02};
  /** Purchase rate per week above which a customer more often holds the 'pro' plan. */
  static final double PRO_RATE = 0.05;

  private final GeneratorSettings s;
  private final long startMs;
  private final long endMs;
  private final String[] channelNames;
  private final double[] channelCumulative;

  CustomerSimulator(GeneratorSettings settings) {
    this.s = settings;
    this.startMs = settings.start().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    this.endMs = settings.end().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - 1000;
    this.channelNames = settings.channels().keySet().toArray(String[]::new);
    this.channelCumulative = new double[channelNames.length];
    double total = settings.channels().values().stream().mapToDouble(Double::doubleValue).sum();
    double acc = 0;
    for (int i = 0; i < channelNames.length; i++) {
      acc += settings.channels().get(channelNames[i]) / total;
      channelCumulative[i] = acc;
    }
  }

  /**
   * The customer's country and plan, from a random stream of their own (the events do not change with
   * them). The country is independent of behaviour; the plan is not: 'pro' is held by 40% of the
   * customers whose purchase rate (lambda) is at least {@link #PRO_RATE} a week and by 10% of the others,
   * so a breakdown by plan shows pro customers retained more, as a real CRM attribute would.
   */
  Properties properties(long index, double lambda) {
    SplittableRandom rnd = Sampling.forCustomer(s.seed() ^ 0x9E3779B97F4A7C15L, index);
    double u = rnd.nextDouble();
    String country = null;
    double acc = 0;
    for (int i = 0; i < COUNTRIES.length; i++) {
      acc += COUNTRY_SHARES[i];
      if (u < acc) {
        country = COUNTRIES[i];
        break;
      }
    }
    double v = rnd.nextDouble();
    double pro = lambda >= PRO_RATE ? 0.4 : 0.1;
    String plan = v < pro ? "pro" : v < pro + 0.3 ? "plus" : "free";
    return new Properties(customerId(index), country, plan);
  }

  static String customerId(long index) {
    return String.format(Locale.ROOT, "C%08d", index);
  }

  /** The person's life, and with a positive anonymous share the ids each event carries (DeviceIdentities). */
  Customer simulate(long index) {
    Customer life = life(index);
    return s.anonymousIds() ? DeviceIdentities.assign(s, index, life) : life;
  }

  private Customer life(long index) {
    SplittableRandom rnd = Sampling.forCustomer(s.seed(), index);
    String id = customerId(index);
    String channel = pickChannel(rnd.nextDouble());
    // Arrivals spread over the window, leaving the last week for at least a first visit.
    long arrival = startMs + (long) (rnd.nextDouble() * (endMs - WEEK - startMs));
    double lambda = Sampling.gamma(rnd, s.r(), s.alpha()) * s.rateFactors().getOrDefault(channel, 1.0);
    double pDrop = Sampling.beta(rnd, s.a(), s.b());
    double nu = Sampling.gamma(rnd, s.q(), s.v());
    boolean buyer = rnd.nextDouble() < s.buyerShare();

    List<Event> events = new ArrayList<>();
    Builder out = new Builder(id, channel, events);
    long t = session(rnd, out, arrival, awarenessTypes(channel), 1 + rnd.nextInt(3), null);
    boolean considers = rnd.nextDouble() < 0.75;
    long next = t + HOUR + (long) (rnd.nextDouble() * 5 * DAY);
    if (considers && next < endMs) {
      t = session(rnd, out, next, new String[] {"product_view", "product_view", "add_to_cart", "signup"}, 2 + rnd.nextInt(4), null);
    }
    if (!buyer) {
      if (rnd.nextDouble() < 0.3) {
        long again = t + DAY + (long) (rnd.nextDouble() * 20 * DAY);
        if (again < endMs) {
          session(rnd, out, again, new String[] {"page_view", "product_view"}, 1 + rnd.nextInt(3), null);
        }
      }
      return new Customer(new Truth(id, channel, arrival, null, lambda, pDrop, null, nu, 0, false), events, Identity.CUSTOMER_ID_ONLY);
    }
    // The first purchase closes the consideration session (or the awareness one, when it was skipped).
    long firstPurchase = t + (1 + rnd.nextInt(8)) * MINUTE;
    if (firstPurchase >= endMs) {
      return new Customer(new Truth(id, channel, arrival, null, lambda, pDrop, null, nu, 0, false), events, Identity.CUSTOMER_ID_ONLY);
    }
    out.purchase(firstPurchase, spend(rnd, nu));
    int purchases = 1;
    long last = firstPurchase;
    Long dropout = null;
    while (true) {
      long gap = (long) (Sampling.exponential(rnd, lambda) * WEEK);
      long nextPurchase = gap > endMs - last ? Long.MAX_VALUE : last + gap;
      between(rnd, out, last, Math.min(nextPurchase, endMs));
      if (nextPurchase >= endMs) {
        break;
      }
      // A repeat purchase session: up to two product views a few minutes before the purchase.
      int views = rnd.nextInt(3);
      for (int v = views; v >= 1; v--) {
        long at = nextPurchase - v * (MINUTE + (long) (rnd.nextDouble() * 3 * MINUTE));
        if (at > last + HOUR) {
          out.add(at, "product_view", null);
        }
      }
      out.purchase(nextPurchase, spend(rnd, nu));
      purchases++;
      last = nextPurchase;
      if (rnd.nextDouble() < pDrop) {
        dropout = last;
        break;
      }
    }
    events.sort(Comparator.comparingLong(Event::time));
    return new Customer(new Truth(id, channel, arrival, firstPurchase, lambda, pDrop, dropout, nu, purchases, dropout == null), events, Identity.CUSTOMER_ID_ONLY);
  }

  /** Support tickets, reviews, referrals and browsing between two purchases, an hour clear of both. */
  private void between(SplittableRandom rnd, Builder out, long after, long before) {
    long cursor = after + 2 * HOUR;
    String[][] kinds = {{"support_ticket"}, {"review"}, {"referral"}, {"page_view", "product_view"}};
    double[] chance = {0.15, 0.12, 0.05, 0.35};
    long[] delay = {2 * DAY, 7 * DAY, 10 * DAY, 14 * DAY};
    for (int k = 0; k < kinds.length; k++) {
      if (rnd.nextDouble() < chance[k]) {
        long at = cursor + (long) (rnd.nextDouble() * delay[k]);
        if (at + 2 * HOUR < before) {
          cursor = session(rnd, out, at, kinds[k], k == 3 ? 1 + rnd.nextInt(4) : 1, null) + 2 * HOUR;
        }
      }
    }
  }

  /** Events a few minutes apart (well under the 30-minute session gap); returns the last event's time. */
  private long session(SplittableRandom rnd, Builder out, long start, String[] types, int count, String amount) {
    long t = start;
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        t += 10_000 + (long) (rnd.nextDouble() * 8 * MINUTE);
      }
      if (t >= endMs) {
        break;
      }
      out.add(t, types[rnd.nextInt(types.length)], amount);
    }
    return t;
  }

  private static String[] awarenessTypes(String channel) {
    return switch (channel) {
      case "paid_search" -> new String[] {"ad_click", "page_view"};
      case "email" -> new String[] {"email_open", "page_view"};
      default -> new String[] {"page_view"};
    };
  }

  private String spend(SplittableRandom rnd, double nu) {
    double z = Math.max(0.01, Sampling.gamma(rnd, s.p(), nu));
    return String.format(Locale.ROOT, "%.2f", z);
  }

  private String pickChannel(double u) {
    for (int i = 0; i < channelCumulative.length; i++) {
      if (u < channelCumulative[i]) {
        return channelNames[i];
      }
    }
    return channelNames[channelNames.length - 1];
  }

  /** Bots: a page view every 2 to 10 seconds, streamed (a bot may emit millions of events). */
  Iterator<Event> bot(long botIndex) {
    SplittableRandom rnd = Sampling.forCustomer(s.seed() ^ 0x5DEECE66DL, botIndex);
    String id = String.format(Locale.ROOT, "BOT%05d", botIndex);
    long total = s.eventsPerBot();
    return new Iterator<>() {
      long emitted = 0;
      long t = startMs + (long) (rnd.nextDouble() * DAY);

      @Override
      public boolean hasNext() {
        return emitted < total;
      }

      @Override
      public Event next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        emitted++;
        t += 2000 + rnd.nextInt(8000);
        return new Event(id, t, "page_view", null, "bot", id + "-" + emitted, null);
      }
    };
  }

  /** Collects one customer's events; the acquisition channel is on the first session only. */
  private static final class Builder {
    private final String id;
    private final String channel;
    private final List<Event> events;

    Builder(String id, String channel, List<Event> events) {
      this.id = id;
      this.channel = channel;
      this.events = events;
    }

    void add(long time, String type, String amount) {
      String eventChannel = events.size() < 3 ? channel : null;
      events.add(new Event(id, time, type, amount, eventChannel, id + "-" + (events.size() + 1), null));
    }

    void purchase(long time, String amount) {
      add(time, "purchase", amount);
    }
  }

  static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

}
