package io.lifecycle.identity;

import static io.lifecycle.tables.Columns.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.identity.IdentityGraph.Limits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class IdentityGraphTest {
  private final SparkSession spark = SharedSpark.get();
  private static final Limits LIMITS = new Limits(1, 50, 1000, 20);

  private static final StructType EVENTS = new StructType()
      .add(CUSTOMER_ID, DataTypes.StringType)
      .add(EVENT_TIME, DataTypes.TimestampType, false)
      .add(EVENT_TYPE, DataTypes.StringType, false)
      .add(IDENTITY_IDS, DataTypes.createArrayType(DataTypes.StringType));

  /** An event at 2024-03-01 {@code hhmm} carrying {@code ids} ('type:id', sorted here), its customer_id the known one. */
  private static Row ev(String hhmm, String type, String... ids) {
    String[] sorted = ids.clone();
    Arrays.sort(sorted);
    String known = Arrays.stream(sorted).filter(i -> i.startsWith("customer_id:")).findFirst()
        .map(i -> i.substring("customer_id:".length())).orElse(null);
    return RowFactory.create(known, time(hhmm), type, Arrays.asList(sorted));
  }

  private static Instant time(String hhmm) {
    return Instant.parse("2024-03-01T" + hhmm.substring(0, 2) + ":" + hhmm.substring(2) + ":00Z");
  }

  private Dataset<Row> events(Row... rows) {
    return spark.createDataFrame(List.of(rows), EVENTS);
  }

  /** The map's rows: id_type|id|customer_id|identified|link_rule|first_seen|last_seen|events, sorted. */
  private static List<String> map(Dataset<Row> map) {
    return TestSupport.rows(map);
  }

  /** The rows' customers: customer_id|event_time|event_type, sorted. */
  private static List<String> customers(Dataset<Row> events, Dataset<Row> map) {
    return TestSupport.rows(IdentityGraph.customerOfRows(events, map).select(CUSTOMER_ID, EVENT_TIME, EVENT_TYPE));
  }

  private static String t(String hhmm) {
    return time(hhmm).toString();
  }

  @Test
  void aVisitorsAnonymousEventsMoveToTheCustomerTheyLoggedInAs() {
    Dataset<Row> in = events(
        ev("1000", "view", "anonymous_id:v1"),
        ev("1005", "view", "anonymous_id:v1"),
        ev("1010", "login", "anonymous_id:v1", "customer_id:c1"),
        ev("1020", "purchase", "customer_id:c1"));
    Dataset<Row> map = new IdentityGraph(LIMITS).resolve(in);
    assertEquals(List.of(
            "anonymous_id|v1|c1|true|linked|" + t("1000") + "|" + t("1010") + "|3",
            "customer_id|c1|c1|true|known_id|" + t("1010") + "|" + t("1020") + "|2"),
        map(map));
    assertEquals(List.of(
            "c1|" + t("1000") + "|view",
            "c1|" + t("1005") + "|view",
            "c1|" + t("1010") + "|login",
            "c1|" + t("1020") + "|purchase"),
        customers(in, map));
    // Other columns unchanged, in their order.
    assertEquals(Arrays.asList(in.columns()), Arrays.asList(IdentityGraph.customerOfRows(in, map).columns()));
  }

  @Test
  void twoDevicesOfOneCustomerAreOneCustomer() {
    Dataset<Row> in = events(
        ev("0900", "view", "device_id:phone"),
        ev("0910", "login", "customer_id:c1", "device_id:phone"),
        ev("1100", "view", "device_id:laptop"),
        ev("1110", "login", "customer_id:c1", "device_id:laptop"));
    Dataset<Row> map = new IdentityGraph(LIMITS).resolve(in);
    assertEquals(List.of(
            "customer_id|c1|c1|true|known_id|" + t("0910") + "|" + t("1110") + "|2",
            "device_id|laptop|c1|true|linked|" + t("1100") + "|" + t("1110") + "|2",
            "device_id|phone|c1|true|linked|" + t("0900") + "|" + t("0910") + "|2"),
        map(map));
    assertEquals(List.of(
            "c1|" + t("0900") + "|view", "c1|" + t("0910") + "|login",
            "c1|" + t("1100") + "|view", "c1|" + t("1110") + "|login"),
        customers(in, map));
  }

  @Test
  void idsWithoutAKnownIdResolveToTheirEarliestIdTiesToTheSmallerOne() {
    Dataset<Row> in = events(
        // Never identified.
        ev("1000", "view", "anonymous_id:lone"),
        // device_id:d9 is seen first, though anonymous_id:z is the smaller string.
        ev("0800", "view", "device_id:d9"),
        ev("0900", "view", "anonymous_id:z", "device_id:d9"),
        ev("0930", "view", "anonymous_id:z"),
        // Seen only together: the same first_seen, the smaller string wins.
        ev("1200", "view", "anonymous_id:p", "device_id:o"));
    Dataset<Row> map = new IdentityGraph(LIMITS).resolve(in);
    assertEquals(List.of(
            "anonymous_id|lone|anonymous_id:lone|false|anonymous|" + t("1000") + "|" + t("1000") + "|1",
            "anonymous_id|p|anonymous_id:p|false|anonymous|" + t("1200") + "|" + t("1200") + "|1",
            "anonymous_id|z|device_id:d9|false|anonymous|" + t("0900") + "|" + t("0930") + "|2",
            "device_id|d9|device_id:d9|false|anonymous|" + t("0800") + "|" + t("0900") + "|2",
            "device_id|o|anonymous_id:p|false|anonymous|" + t("1200") + "|" + t("1200") + "|1"),
        map(map));
    assertEquals(List.of(
            "anonymous_id:lone|" + t("1000") + "|view",
            "anonymous_id:p|" + t("1200") + "|view",
            "device_id:d9|" + t("0800") + "|view",
            "device_id:d9|" + t("0900") + "|view",
            "device_id:d9|" + t("0930") + "|view"),
        customers(in, map));
  }

  @Test
  void aKioskSeenWithThreeCustomersLinksNothing() {
    Dataset<Row> in = events(
        ev("0900", "login", "customer_id:c1", "device_id:kiosk"),
        ev("1000", "login", "customer_id:c2", "device_id:kiosk"),
        ev("1100", "login", "customer_id:c3", "device_id:kiosk"),
        ev("1200", "view", "device_id:kiosk"),
        // A cookie seen only on the kiosk: the kiosk does not link it either, it stays its own visitor.
        ev("1300", "view", "anonymous_id:a2", "device_id:kiosk"),
        // c1's own cookie still links.
        ev("1400", "login", "anonymous_id:a1", "customer_id:c1"));
    Dataset<Row> map = new IdentityGraph(LIMITS).resolve(in);
    assertEquals(List.of(
            "anonymous_id|a1|c1|true|linked|" + t("1400") + "|" + t("1400") + "|1",
            "anonymous_id|a2|anonymous_id:a2|false|anonymous|" + t("1300") + "|" + t("1300") + "|1",
            "customer_id|c1|c1|true|known_id|" + t("0900") + "|" + t("1400") + "|2",
            "customer_id|c2|c2|true|known_id|" + t("1000") + "|" + t("1000") + "|1",
            "customer_id|c3|c3|true|known_id|" + t("1100") + "|" + t("1100") + "|1",
            "device_id|kiosk|device_id:kiosk|false|shared_id|" + t("0900") + "|" + t("1300") + "|5"),
        map(map));
    assertEquals(List.of(
            "anonymous_id:a2|" + t("1300") + "|view",
            "c1|" + t("0900") + "|login",
            "c1|" + t("1400") + "|login",
            "c2|" + t("1000") + "|login",
            "c3|" + t("1100") + "|login",
            "device_id:kiosk|" + t("1200") + "|view"),
        customers(in, map));
  }

  @Test
  void aDeviceWithMoreCookiesThanAllowedIsShared() {
    Dataset<Row> in = events(
        ev("0900", "view", "anonymous_id:k1", "device_id:d"),
        ev("0901", "view", "anonymous_id:k2", "device_id:d"),
        ev("0902", "view", "anonymous_id:k3", "device_id:d"),
        // The shared id sorts first on this row: the row goes to the next id, not to the device.
        ev("0903", "view", "device_id:d", "web_id:w"));
    Dataset<Row> map = new IdentityGraph(new Limits(1, 3, 1000, 20)).resolve(in);
    assertEquals(List.of(
            "anonymous_id|k1|anonymous_id:k1|false|anonymous|" + t("0900") + "|" + t("0900") + "|1",
            "anonymous_id|k2|anonymous_id:k2|false|anonymous|" + t("0901") + "|" + t("0901") + "|1",
            "anonymous_id|k3|anonymous_id:k3|false|anonymous|" + t("0902") + "|" + t("0902") + "|1",
            "device_id|d|device_id:d|false|shared_id|" + t("0900") + "|" + t("0903") + "|4",
            "web_id|w|web_id:w|false|anonymous|" + t("0903") + "|" + t("0903") + "|1"),
        map(map));
    assertEquals(List.of(
            "anonymous_id:k1|" + t("0900") + "|view",
            "anonymous_id:k2|" + t("0901") + "|view",
            "anonymous_id:k3|" + t("0902") + "|view",
            "web_id:w|" + t("0903") + "|view"),
        customers(in, map));
    // With four ids allowed the device is not shared: all five ids are one anonymous visitor.
    assertEquals(List.of("anonymous", "anonymous", "anonymous", "anonymous", "anonymous"),
        TestSupport.rows(new IdentityGraph(new Limits(1, 4, 1000, 20)).resolve(in).select("link_rule")));
  }

  @Test
  void aChainThroughAnonymousIdsBetweenTwoCustomersMergesNothingAmbiguous() {
    Dataset<Row> in = events(
        ev("0900", "login", "anonymous_id:a1", "customer_id:c1"),
        ev("0910", "view", "anonymous_id:a1", "anonymous_id:a2"),
        ev("0920", "login", "anonymous_id:a2", "customer_id:c2"),
        ev("0930", "view", "anonymous_id:a1", "anonymous_id:a3"),
        ev("0940", "view", "anonymous_id:a3"));
    Dataset<Row> map = new IdentityGraph(LIMITS).resolve(in);
    assertEquals(List.of(
            "anonymous_id|a1|c1|true|linked|" + t("0900") + "|" + t("0930") + "|3",
            "anonymous_id|a2|c2|true|linked|" + t("0910") + "|" + t("0920") + "|2",
            "anonymous_id|a3|anonymous_id:a3|false|ambiguous|" + t("0930") + "|" + t("0940") + "|2",
            "customer_id|c1|c1|true|known_id|" + t("0900") + "|" + t("0900") + "|1",
            "customer_id|c2|c2|true|known_id|" + t("0920") + "|" + t("0920") + "|1"),
        map(map));
    assertEquals(List.of(
            "anonymous_id:a3|" + t("0940") + "|view",
            "c1|" + t("0900") + "|login",
            "c1|" + t("0910") + "|view",   // no known id: its first id, a1, is c1's
            "c1|" + t("0930") + "|view",
            "c2|" + t("0920") + "|login"),
        customers(in, map));
  }

  @Test
  void aComponentLargerThanTheCapIsNotMerged() {
    Dataset<Row> in = events(
        ev("0900", "login", "anonymous_id:a1", "customer_id:c1"),
        ev("0910", "login", "anonymous_id:a2", "customer_id:c1"),
        ev("0920", "login", "anonymous_id:a3", "customer_id:c1"),
        ev("0930", "view", "anonymous_id:a3"),
        // A component of three stays within the cap.
        ev("1000", "login", "anonymous_id:b1", "customer_id:c2"),
        ev("1010", "view", "anonymous_id:b1", "device_id:b2"));
    Dataset<Row> map = new IdentityGraph(new Limits(1, 50, 3, 20)).resolve(in);
    assertEquals(List.of(
            "anonymous_id|a1|anonymous_id:a1|false|giant_component|" + t("0900") + "|" + t("0900") + "|1",
            "anonymous_id|a2|anonymous_id:a2|false|giant_component|" + t("0910") + "|" + t("0910") + "|1",
            "anonymous_id|a3|anonymous_id:a3|false|giant_component|" + t("0920") + "|" + t("0930") + "|2",
            "anonymous_id|b1|c2|true|linked|" + t("1000") + "|" + t("1010") + "|2",
            "customer_id|c1|c1|true|known_id|" + t("0900") + "|" + t("0920") + "|3",
            "customer_id|c2|c2|true|known_id|" + t("1000") + "|" + t("1000") + "|1",
            "device_id|b2|c2|true|linked|" + t("1010") + "|" + t("1010") + "|1"),
        map(map));
    assertEquals(List.of(
            "anonymous_id:a3|" + t("0930") + "|view",
            "c1|" + t("0900") + "|login",
            "c1|" + t("0910") + "|login",
            "c1|" + t("0920") + "|login",
            "c2|" + t("1000") + "|login",
            "c2|" + t("1010") + "|view"),
        customers(in, map));
  }

  /** A path of 40 anonymous ids in a scrambled order ending at customer c, and a separate pair. */
  private Dataset<Row> longChain() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 39; i++) {
      rows.add(ev("1000", "view", chainId(i), chainId(i + 1)));
    }
    rows.add(ev("1100", "login", chainId(39), "customer_id:c"));
    rows.add(ev("1200", "login", "anonymous_id:x", "customer_id:d"));
    return spark.createDataFrame(rows, EVENTS);
  }

  /** The i-th id of the path: 7i mod 40, so neighbours on the path are far apart in the ids' order. */
  private static String chainId(int i) {
    return String.format("anonymous_id:p%02d", (7 * i) % 40);
  }

  @Test
  void aLongChainConvergesWithinTheRoundsBudget() {
    Dataset<Row> map = new IdentityGraph(LIMITS).resolve(longChain());
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String last = i == 39 ? t("1100") : t("1000");  // the path's last id is on the login row too
      expected.add("anonymous_id|" + chainId(i).substring(13) + "|c|true|linked|" + t("1000") + "|" + last + "|" + (i == 0 ? 1 : 2));
    }
    expected.add("anonymous_id|x|d|true|linked|" + t("1200") + "|" + t("1200") + "|1");
    expected.add("customer_id|c|c|true|known_id|" + t("1100") + "|" + t("1100") + "|1");
    expected.add("customer_id|d|d|true|known_id|" + t("1200") + "|" + t("1200") + "|1");
    Collections.sort(expected);
    assertEquals(expected, map(map));
  }

  @Test
  void aLongChainBeyondTheRoundsBudgetIsUnconvergedTheSettledPairIsNot() {
    for (int rounds : new int[] {1, 2}) {
      Dataset<Row> map = new IdentityGraph(new Limits(1, 50, 1000, rounds)).resolve(longChain());
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        expected.add(chainId(i) + "|" + chainId(i) + "|false|unconverged");
      }
      expected.add("anonymous_id:x|d|true|linked");
      expected.add("customer_id:c|c|true|known_id");
      expected.add("customer_id:d|d|true|known_id");
      Collections.sort(expected);
      assertEquals(expected,
          TestSupport.rows(map.selectExpr("concat(id_type, ':', id)", CUSTOMER_ID, "identified", "link_rule")),
          rounds + " rounds");
    }
  }

  @Test
  void firstAndLastSeenAndEventsCountTheRowsCarryingTheId() {
    Dataset<Row> in = events(
        ev("1200", "view", "anonymous_id:v", "customer_id:c"),
        ev("0800", "view", "anonymous_id:v"),
        ev("0800", "view", "anonymous_id:v"),   // the same time twice: two events
        ev("1500", "view", "customer_id:c"),
        RowFactory.create("c", time("2300"), "view", List.of("customer_id:c", "customer_id:c")),  // one id once
        RowFactory.create("n", time("0100"), "offline", null));   // carries no ids
    Dataset<Row> map = new IdentityGraph(LIMITS).resolve(in);
    assertEquals(List.of(
            "anonymous_id|v|c|true|linked|" + t("0800") + "|" + t("1200") + "|3",
            "customer_id|c|c|true|known_id|" + t("1200") + "|" + t("2300") + "|3"),
        map(map));
    assertEquals(List.of(
            "c|" + t("0800") + "|view", "c|" + t("0800") + "|view", "c|" + t("1200") + "|view",
            "c|" + t("1500") + "|view", "c|" + t("2300") + "|view",
            "n|" + t("0100") + "|offline"),
        customers(in, map));
  }

  /**
   * A random graph of 200 anonymous ids on 150 rows, against union-find: every row at the same time, so each
   * id's customer is its component's smallest id. Given in reverse order over three partitions, as the
   * result must not depend on either.
   */
  @Test
  void randomGraphsGetTheComponentsOfUnionFindWhateverTheInputOrder() {
    Random random = new Random(24);
    int[] parent = new int[200];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < 150; r++) {
      int size = 1 + random.nextInt(3);
      List<String> ids = new ArrayList<>();
      int first = random.nextInt(200);
      for (int j = 0; j < size; j++) {
        int id = j == 0 ? first : random.nextInt(200);
        ids.add(String.format("anonymous_id:r%03d", id));
        parent[find(parent, id)] = find(parent, first);
      }
      rows.add(ev("1000", "view", ids.toArray(String[]::new)));
    }
    Collections.reverse(rows);
    Dataset<Row> in = spark.createDataFrame(rows, EVENTS).repartition(3);
    List<String> expected = new ArrayList<>();
    for (String key : TestSupport.rows(in.selectExpr("explode(identity_ids)").distinct())) {
      int id = Integer.parseInt(key.substring("anonymous_id:r".length()));
      int smallest = id;
      for (int other = 0; other < parent.length; other++) {
        if (find(parent, other) == find(parent, id)) {
          smallest = Math.min(smallest, other);
        }
      }
      expected.add(key + "|" + String.format("anonymous_id:r%03d", smallest));
    }
    Dataset<Row> map = new IdentityGraph(new Limits(1, 1000, 1000, 20)).resolve(in);
    assertEquals(expected, TestSupport.rows(map.selectExpr("concat(id_type, ':', id)", CUSTOMER_ID)));
    assertTrue(expected.stream().map(e -> e.split("\\|")[1]).distinct().count() < expected.size() / 2,
        "the graph has components to find");
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      i = parent[i];
    }
    return i;
  }

  @Test
  void limitsMustBePositive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Limits(1, 0, 10, 5));
    assertEquals("maxIdsPerId must be > 0, got 0", e.getMessage());
  }
}
