package io.lifecycle.generate;

import static io.lifecycle.generate.SyntheticEventGenerator.ANONYMOUS_ID;
import static io.lifecycle.generate.SyntheticEventGenerator.ANONYMOUS_ID_TYPE;
import static io.lifecycle.generate.SyntheticEventGenerator.CUSTOMER_ID_TYPE;
import static io.lifecycle.generate.SyntheticEventGenerator.ID;
import static io.lifecycle.generate.SyntheticEventGenerator.ID_TYPE;
import static io.lifecycle.generate.SyntheticEventGenerator.PERSON_ID;
import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.generate.CustomerSimulator.Customer;
import io.lifecycle.generate.CustomerSimulator.Event;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The anonymous share: without it the generator's output is what it was; with it every event carries a
 * device's anonymous id, anonymous-first persons show their customer id from their first signup or
 * purchase on, and the identity truth names every id the events carry, each of one person.
 */
class DeviceIdentitiesTest {
  private final SparkSession spark = SharedSpark.get();
  private static final GeneratorSettings PLAIN = GeneratorSettings.defaults(200, 11);
  private static final GeneratorSettings SHARED = PLAIN.withAnonymousShare(0.6);
  /** The events of PLAIN as the generator wrote them before the anonymous share existed (a5f77f5). */
  private static final long PLAIN_FINGERPRINT = -4013791629466508948L;
  private static final long PLAIN_ROWS = 2203;

  private static long fingerprint(Dataset<Row> df) {
    return df.select(sum(xxhash64(col("*")).cast("decimal(38,0)"))).head().getDecimal(0).longValue() ^ df.count();
  }

  @Test
  void withoutAnAnonymousShareTheOutputIsAsItWas() {
    Dataset<Row> events = SyntheticEventGenerator.events(spark, PLAIN.withAnonymousShare(0.0));
    assertEquals(SyntheticEventGenerator.RAW_SCHEMA, events.schema());
    assertEquals(PLAIN_ROWS, events.count());
    assertEquals(PLAIN_FINGERPRINT, fingerprint(events));
    assertThrows(IllegalArgumentException.class, () -> PLAIN.withAnonymousShare(1.01));
    assertThrows(IllegalArgumentException.class, () -> PLAIN.withAnonymousShare(Double.NaN));
  }

  /** The ids change, and a second device adds its login; the life (times, types, amounts) does not. */
  @Test
  void theIdsLeaveEachLifeAsItWas() {
    CustomerSimulator plain = new CustomerSimulator(PLAIN);
    CustomerSimulator shared = new CustomerSimulator(SHARED);
    for (long i = 0; i < PLAIN.customers(); i++) {
      Customer before = plain.simulate(i);
      Customer after = shared.simulate(i);
      assertEquals(before.truth(), after.truth());
      String id = before.truth().customerId();
      List<Event> lifeAfter = new ArrayList<>();
      for (Event e : after.events()) {
        if (!e.eventId().equals(id + "-" + (before.events().size() + 1))) {
          lifeAfter.add(new Event(id, e.time(), e.type(), e.amount(), e.channel(), e.eventId(), null));
        }
      }
      assertEquals(before.events(), lifeAfter, id);
      assertEquals(before.events().size() + after.identity().anonymousIds().size() - 1, after.events().size(), "one login per second device");
    }
  }

  /**
   * A second device's session: its first event anonymous, then a page view carrying both ids (the
   * login), then the rest of the session logged in; the events stay in time order.
   */
  @Test
  void aSecondDeviceLogsInAfterItsFirstEvent() {
    CustomerSimulator sim = new CustomerSimulator(SHARED);
    int secondDevices = 0;
    for (long i = 0; i < SHARED.customers(); i++) {
      Customer c = sim.simulate(i);
      List<Event> events = c.events();
      for (int k = 1; k < events.size(); k++) {
        assertTrue(events.get(k).time() >= events.get(k - 1).time());
      }
      if (c.identity().anonymousIds().size() < 2) {
        continue;
      }
      secondDevices++;
      String device2 = DeviceIdentities.deviceId(i, 2);
      List<Event> onDevice2 = events.stream().filter(e -> e.anonymousId().equals(device2)).toList();
      int from = events.indexOf(onDevice2.get(0));
      assertEquals(onDevice2, events.subList(from, from + onDevice2.size()), "one run of events");
      assertNull(onDevice2.get(0).customerId());
      assertEquals(DeviceIdentities.LOGIN_TYPE, onDevice2.get(1).type());
      assertTrue(onDevice2.stream().skip(1).allMatch(e -> c.truth().customerId().equals(e.customerId())));
      assertTrue(onDevice2.get(onDevice2.size() - 1).time() - onDevice2.get(0).time() < 30 * CustomerSimulator.MINUTE);
    }
    assertEquals(24, secondDevices);
  }

  /**
   * An anonymous-first person's events carry no customer id until their first signup or purchase, which
   * carries both ids; one without either never shows it. The others show it on every event but a second
   * device's first.
   */
  @Test
  void anonymousFirstPersonsShowTheirCustomerIdFromTheirFirstSignupOrPurchase() {
    CustomerSimulator sim = new CustomerSimulator(SHARED);
    int anonymousFirst = 0;
    int identified = 0;
    for (long i = 0; i < SHARED.customers(); i++) {
      Customer c = sim.simulate(i);
      String id = c.truth().customerId();
      String device1 = DeviceIdentities.deviceId(i, 1);
      List<Event> events = c.events();
      if (!c.identity().anonymousFirst()) {
        assertTrue(c.identity().identified());
        assertEquals(events.size() - c.identity().anonymousIds().size() + 1, events.stream().filter(e -> id.equals(e.customerId())).count());
        continue;
      }
      anonymousFirst++;
      int k = 0;
      while (k < events.size() && !List.of("signup", "purchase").contains(events.get(k).type())) {
        k++;
      }
      assertEquals(k < events.size(), c.identity().identified(), id);
      identified += k < events.size() ? 1 : 0;
      assertTrue(events.subList(0, k).stream().allMatch(e -> e.customerId() == null && e.anonymousId().equals(device1)), id);
      if (k < events.size()) {
        assertEquals(id, events.get(k).customerId());
        assertEquals(device1, events.get(k).anonymousId());
      }
    }
    assertEquals(114, anonymousFirst);
    assertEquals(95, identified);
  }

  @Test
  void theIdentityTruthNamesEveryIdOfTheEventsEachOfOnePerson() {
    Dataset<Row> events = SyntheticEventGenerator.events(spark, SHARED);
    Dataset<Row> truth = SyntheticEventGenerator.identityTruth(spark, SHARED);
    assertEquals(SyntheticEventGenerator.RAW_SCHEMA_WITH_ANONYMOUS_ID, events.schema());
    assertEquals(SyntheticEventGenerator.IDENTITY_TRUTH_SCHEMA, truth.schema());
    assertEquals(0, events.where(col(ANONYMOUS_ID).isNull()).count(), "every person's event has a device");

    Dataset<Row> devices = truth.where(col(ID_TYPE).equalTo(ANONYMOUS_ID_TYPE));
    Dataset<Row> known = truth.where(col(ID_TYPE).equalTo(CUSTOMER_ID_TYPE));
    assertEquals(devices.count(), devices.select(ID).distinct().count(), "each anonymous id one person's");
    assertEquals(0, known.where(col(ID).notEqual(col(PERSON_ID))).count());
    // Every id of the events is in the truth, and every id of the truth in the events.
    Dataset<Row> rows = events.join(devices.select(col(ID).as(ANONYMOUS_ID), col(PERSON_ID)), new String[] {ANONYMOUS_ID}, "left")
        .withColumn("at", col("event_time").cast("timestamp"));
    assertEquals(0, rows.where(col(PERSON_ID).isNull()).count());
    assertEquals(devices.count(), events.select(ANONYMOUS_ID).distinct().count());
    assertEquals(known.count(), events.where(col("customer_id").isNotNull()).select("customer_id").distinct().count());
    assertEquals(0, rows.where(col("customer_id").notEqual(col(PERSON_ID))).count(), "no row links two persons");

    Column carriesBoth = col("customer_id").isNotNull();
    Dataset<Row> persons = rows.groupBy(PERSON_ID).agg(
            min_by(carriesBoth, struct(col("at"), col("event_id"))).as("first_known"),
            sum(when(carriesBoth, 1).otherwise(0)).as("known_rows"),
            countDistinct(col(ANONYMOUS_ID)).as("devices"),
            countDistinct(when(carriesBoth, col(ANONYMOUS_ID))).as("linked_devices"))
        .join(known.select(col(PERSON_ID), lit(true).as("identified")), new String[] {PERSON_ID}, "left")
        .na().fill(false, new String[] {"identified"});
    assertEquals(PLAIN.customers(), persons.count(), "every person in the truth and the events");
    long anonymousFirst = persons.where("not first_known").count();
    long neverKnown = persons.where("not identified").count();
    long secondDevices = persons.where("devices = 2").count();
    // Binomial(200, 0.6): 120 expected, 4 standard deviations (6.9 each) either side; then this seed's count.
    assertEquals(120, anonymousFirst, 28);
    assertEquals(114, anonymousFirst);
    assertEquals(19, neverKnown);
    assertEquals(24, secondDevices);
    assertEquals(PLAIN_ROWS + secondDevices, events.count(), "the life's events and one login per second device");
    assertEquals(463, events.where(col("customer_id").isNull()).count(), "anonymous events");
    // Those who never signed up nor bought stay anonymous: no row of theirs carries a customer id.
    assertEquals(0, persons.where("not identified and (known_rows > 0 or first_known)").count());
    // The identified carry both ids on some row for each of their devices (the identifying event, the login).
    assertEquals(0, persons.where("identified and linked_devices <> devices").count());
    assertEquals(0, persons.where("devices = 2 and not identified").count());
  }

  @Test
  void sameSeedSameIdsWhateverThePartitioning() {
    long one = fingerprint(SyntheticEventGenerator.events(spark, SHARED, 1));
    assertEquals(one, fingerprint(SyntheticEventGenerator.events(spark, SHARED, 5)));
    assertNotEquals(one, fingerprint(SyntheticEventGenerator.events(spark, PLAIN.withAnonymousShare(0.5), 1)));
  }
}
