package io.lifecycle.generate;

import io.lifecycle.generate.CustomerSimulator.Customer;
import io.lifecycle.generate.CustomerSimulator.Event;
import io.lifecycle.generate.CustomerSimulator.Identity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The ids a simulated person's events carry, as a clickstream's do, so identity stitching has input with a
 * known answer: every person browses from a device with an anonymous id; an anonymous-first person (the
 * settings' anonymous share) shows no customer id until their first signup or purchase, which carries both
 * ids (the link), and one who never signs up nor buys stays anonymous throughout; the others carry both ids
 * on every event. {@link #SECOND_DEVICE_SHARE} of the identified persons also use a second device for one
 * later session: its first event is anonymous, then a login links that device to the customer.
 *
 * <p>Applied to a simulated life from a random stream of its own, so the life is the same with or without
 * it, and the output with no anonymous share is byte for byte what it was before this existed.
 */
final class DeviceIdentities {
  /** Share of the identified persons who use a second device, a round figure (no study behind it). */
  static final double SECOND_DEVICE_SHARE = 0.2;
  /**
   * The login's event type: an identify call, as Segment and RudderStack send at login with both ids;
   * one of the default input.identity.link_event_types, so it links the ids and is no interaction.
   */
  static final String LOGIN_TYPE = "identify";
  /** The events that make an anonymous-first person known. */
  private static final Set<String> IDENTIFYING = Set.of("signup", "purchase");
  /**
   * The simulator's events within a session are at most about 12 minutes apart and its sessions at
   * least an hour apart, so this gap (the pipeline's default) finds its sessions.
   */
  private static final long SESSION_GAP = 30 * CustomerSimulator.MINUTE;
  private static final long SALT = 0x2545F4914F6CDD1DL;

  private DeviceIdentities() {}

  /** A device's anonymous id: unique per person and device (1 or 2). */
  static String deviceId(long index, int device) {
    return String.format(Locale.ROOT, "D%08d-%d", index, device);
  }

  static Customer assign(GeneratorSettings s, long index, Customer life) {
    SplittableRandom rnd = Sampling.forCustomer(s.seed() ^ SALT, index);
    boolean anonymousFirst = rnd.nextDouble() < s.anonymousShare();
    boolean secondDevice = rnd.nextDouble() < SECOND_DEVICE_SHARE;
    List<Event> events = life.events();
    String customerId = life.truth().customerId();
    // The first event carrying the customer id (events.size(): none does).
    int known = anonymousFirst ? firstIdentifying(events) : 0;
    int second = secondDevice && known < events.size() ? secondDeviceSession(rnd, events, known) : -1;
    String device1 = deviceId(index, 1);
    String device2 = deviceId(index, 2);
    List<Event> out = new ArrayList<>(events.size() + 1);
    boolean onDevice2 = false;
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      onDevice2 = i == second || onDevice2 && e.time() - events.get(i - 1).time() <= SESSION_GAP;
      if (i == second) {
        out.add(carrying(e, null, device2));
        // Half-way to the session's next event, so the login falls inside the session.
        long at = e.time() + (events.get(i + 1).time() - e.time()) / 2;
        out.add(new Event(customerId, at, LOGIN_TYPE, null, null, customerId + "-" + (events.size() + 1), device2));
      } else {
        out.add(carrying(e, i >= known ? customerId : null, onDevice2 ? device2 : device1));
      }
    }
    List<String> devices = second >= 0 ? List.of(device1, device2) : List.of(device1);
    return new Customer(life.truth(), out, new Identity(anonymousFirst, known < events.size(), devices));
  }

  private static int firstIdentifying(List<Event> events) {
    for (int i = 0; i < events.size(); i++) {
      if (IDENTIFYING.contains(events.get(i).type())) {
        return i;
      }
    }
    return events.size();
  }

  /**
   * The first event of a session on the second device, or -1: one of the sessions that start after the
   * customer id first appears, have at least two events (the anonymous one, then the logged-in rest) and
   * do not open with an identifying event (a signup or purchase needs the customer's login first).
   */
  private static int secondDeviceSession(SplittableRandom rnd, List<Event> events, int known) {
    List<Integer> starts = new ArrayList<>();
    for (int i = known + 1; i + 1 < events.size(); i++) {
      boolean opens = events.get(i).time() - events.get(i - 1).time() > SESSION_GAP;
      boolean continues = events.get(i + 1).time() - events.get(i).time() <= SESSION_GAP;
      if (opens && continues && !IDENTIFYING.contains(events.get(i).type())) {
        starts.add(i);
      }
    }
    return starts.isEmpty() ? -1 : starts.get(rnd.nextInt(starts.size()));
  }

  private static Event carrying(Event e, String customerId, String anonymousId) {
    return new Event(customerId, e.time(), e.type(), e.amount(), e.channel(), e.eventId(), anonymousId);
  }
}
