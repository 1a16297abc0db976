package io.lifecycle.identity;

import static io.lifecycle.tables.Columns.*;
import static io.lifecycle.tables.IdentityMapTable.*;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.spark.RequiredColumns;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identity stitching: resolves every id the events carry in {@code identity_ids} ('&lt;id_type&gt;:&lt;id&gt;')
 * to one customer, as {@code identity_map} rows, and moves each event to its resolved customer. Pure:
 * {@code Dataset<Row> -> Dataset<Row>}; the step adds the run date and writes.
 *
 * <p>A <em>known</em> id has id_type {@code customer_id}; the others (anonymous_id, extra id columns) are
 * non-known. The rules:
 *
 * <ol>
 *   <li><b>Co-occurrence.</b> Ids on one row are seen together. Each non-known id counts the distinct known
 *       ids and the distinct ids of any type it was seen with, over all rows.
 *   <li><b>Shared ids.</b> A non-known id seen with more than {@code maxKnownIdsPerId} known ids (a device two
 *       customers logged in on) or more than {@code maxIdsPerId} ids (a kiosk) links nothing and resolves to
 *       itself: {@code shared_id}.
 *   <li><b>Components.</b> The other pairs seen on a row are the graph's links; its connected components come
 *       from alternating large-star and small-star rounds (Kiveris et al., "Connected Components in MapReduce
 *       and Beyond", 2014: O(log&sup2; n) rounds, each a shuffle of the links, none collected), labelled by
 *       their smallest '&lt;id_type&gt;:&lt;id&gt;'. It stops when the links form one star per component, after
 *       {@code maxRounds} rounds at most; a component whose ids then still carry different labels (a link
 *       between two labels) is {@code unconverged}: its known ids resolve to themselves ({@code known_id}),
 *       the others to themselves.
 *   <li><b>Resolution</b>, per component of n ids holding k known ids. Known ids always resolve to themselves
 *       ({@code known_id}). If n &gt; {@code maxIdsPerCustomer}, nothing merges: the others resolve to
 *       themselves ({@code giant_component}). If k = 1, the others resolve to the known id ({@code linked}).
 *       If k = 0, every id resolves to the component's earliest id (smallest first_seen, ties by the smaller
 *       '&lt;id_type&gt;:&lt;id&gt;'), as '&lt;id_type&gt;:&lt;id&gt;' ({@code anonymous}). If k &gt;= 2 (joined through
 *       non-known ids), a non-known id seen with exactly one known id resolves to it ({@code linked}), the
 *       others to themselves ({@code ambiguous}). {@code identified} is true for known_id and linked.
 *   <li><b>Counts.</b> first_seen and last_seen are the earliest and latest event_time of the rows carrying
 *       the id; events is the number of those rows. Rows whose identity_ids is null carry no ids.
 *   <li><b>Rows.</b> A row's customer is the resolution of its known id; without one, of its first id (in
 *       the sorted identity_ids) that is not shared_id; with only shared ids, of its first id.
 *   <li><b>Determinism.</b> Labels, earliest ids and the row's choice are minima over values, so the output
 *       does not depend on partitioning or input order.
 * </ol>
 *
 * <p>Cost: the events are reduced to their distinct id sets first (one aggregation); the graph's rounds
 * work on the links between distinct ids and are checkpointed each round to cut the lineage; the driver
 * only learns whether a round left anything to do.
 */
public final class IdentityGraph {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityGraph.class);

  // Internal column names, prefixed so that they cannot meet the events' own columns.
  private static final String IDS = "_ig_ids";
  private static final String KEY = "_ig_key";
  private static final String A = "_ig_a";
  private static final String B = "_ig_b";
  private static final String KNOWN_WITH = "_ig_known_with";
  private static final String IDS_WITH = "_ig_ids_with";
  private static final String KNOWN_OF = "_ig_known_of";
  private static final String SRC = "_ig_src";
  private static final String DST = "_ig_dst";
  private static final String MIN = "_ig_min";
  private static final String LABEL = "_ig_label";
  private static final String SHARED = "_ig_shared";
  private static final String UNSETTLED = "_ig_unsettled";
  private static final String RULE = "_ig_rule";
  private static final String RANK = "_ig_rank";
  private static final String POS = "_ig_pos";
  private static final String RESOLVED = "_ig_resolved";
  private static final String EARLIEST_KEY = "_ig_earliest";

  private final Limits limits;

  /**
   * The caps of the rules above: shared ids ({@code maxKnownIdsPerId}, {@code maxIdsPerId}, distinct ids seen
   * with a non-known id), giant components ({@code maxIdsPerCustomer} ids) and the graph's rounds.
   */
  public record Limits(int maxKnownIdsPerId, int maxIdsPerId, long maxIdsPerCustomer, int maxRounds) {
    public Limits {
      positive("maxKnownIdsPerId", maxKnownIdsPerId);
      positive("maxIdsPerId", maxIdsPerId);
      positive("maxIdsPerCustomer", maxIdsPerCustomer);
      positive("maxRounds", maxRounds);
    }

    private static void positive(String name, long value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be > 0, got " + value);
      }
    }
  }

  public IdentityGraph(Limits limits) {
    this.limits = limits;
  }

  /**
   * Every distinct id of the events' identity_ids with its resolution, in IdentityMapTable's columns except
   * run_date (the caller adds it): id_type, id, customer_id, identified, link_rule, first_seen, last_seen,
   * events. Runs the graph's rounds now (checkpointed); the result is lazy over them.
   */
  public Dataset<Row> resolve(Dataset<Row> events) {
    RequiredColumns.require(events, IDENTITY_IDS, EVENT_TIME);
    Dataset<Row> sets = events.where(col(IDENTITY_IDS).isNotNull())
        .select(array_sort(array_distinct(filter(col(IDENTITY_IDS), x -> x.isNotNull()))).as(IDS), col(EVENT_TIME))
        .where(size(col(IDS)).gt(0))
        .groupBy(IDS)
        .agg(min(EVENT_TIME).as(FIRST_SEEN), max(EVENT_TIME).as(LAST_SEEN), count(lit(1)).as(EVENTS))
        .localCheckpoint();
    Dataset<Row> ids = sets.select(explode(col(IDS)).as(KEY), col(FIRST_SEEN), col(LAST_SEEN), col(EVENTS))
        .groupBy(KEY)
        .agg(min(FIRST_SEEN).as(FIRST_SEEN), max(LAST_SEEN).as(LAST_SEEN), sum(EVENTS).as(EVENTS));
    // Each ordered pair of distinct ids seen on a row, once.
    Dataset<Row> pairs = sets.where(size(col(IDS)).gt(1))
        .select(explode(col(IDS)).as(A), col(IDS))
        .select(col(A), explode(array_remove(col(IDS), col(A))).as(B))
        .distinct()
        .localCheckpoint();
    Dataset<Row> seenWith = pairs.groupBy(A).agg(
        count(when(known(col(B)), lit(1))).as(KNOWN_WITH),
        count(lit(1)).as(IDS_WITH),
        min(when(known(col(B)), col(B))).as(KNOWN_OF));
    Dataset<Row> shared = seenWith.where(isShared(col(A))).select(col(A).as(KEY));
    Dataset<Row> links = pairs.where(col(A).lt(col(B)))
        .join(shared.select(col(KEY).as(A)), A, "left_anti")
        .join(shared.select(col(KEY).as(B)), B, "left_anti")
        .select(col(A).as(SRC), col(B).as(DST))
        .localCheckpoint();

    Dataset<Row> edges = links;
    boolean settled = isStarForest(edges);
    int rounds = 0;
    while (!settled && rounds < limits.maxRounds()) {
      edges = smallStar(largeStar(edges)).localCheckpoint();
      rounds++;
      settled = isStarForest(edges);
    }
    LOG.info("identity graph: {} after {} rounds", settled ? "converged" : "not converged", rounds);
    // In the star forest (src < dst) an id's label is its star's centre; before that, its smallest neighbour.
    Dataset<Row> labels = edges.groupBy(DST).agg(min(SRC).as(LABEL)).select(col(DST).as(KEY), col(LABEL));

    Dataset<Row> table = ids
        .join(seenWith, col(KEY).equalTo(col(A)), "left")
        .join(labels, KEY, "left")
        .select(col(KEY), col(FIRST_SEEN), col(LAST_SEEN), col(EVENTS), col(KNOWN_WITH), col(KNOWN_OF),
            coalesce(col(LABEL), col(KEY)).as(LABEL),
            coalesce(isShared(col(KEY)), lit(false)).as(SHARED));
    if (settled) {
      table = table.withColumn(UNSETTLED, lit(false));
    } else {
      // A link between two labels: both labels' components are still merging. A component not yet one
      // label has such a link at each of its labels, and a settled one has none, so this marks exactly them.
      Dataset<Row> unsettled = links.select(col(SRC).as(A), col(DST).as(B))
          .join(labels.select(col(KEY).as(A), col(LABEL).as(SRC)), A, "left")
          .join(labels.select(col(KEY).as(B), col(LABEL).as(DST)), B, "left")
          .select(coalesce(col(SRC), col(A)).as(SRC), coalesce(col(DST), col(B)).as(DST))
          .where(col(SRC).notEqual(col(DST)))
          .select(explode(array(col(SRC), col(DST))).as(LABEL))
          .distinct()
          .withColumn(UNSETTLED, lit(true));
      table = table.join(unsettled, LABEL, "left").withColumn(UNSETTLED, coalesce(col(UNSETTLED), lit(false)));
    }

    WindowSpec component = Window.partitionBy(LABEL);
    Column n = count(lit(1)).over(component);
    Column k = count(when(known(col(KEY)), lit(1))).over(component);
    Column theKnown = min(when(known(col(KEY)), col(KEY))).over(component);
    Column earliest = min(struct(col(FIRST_SEEN), col(KEY))).over(component).getField(KEY);
    Column rule = when(col(SHARED), lit(SHARED_ID))
        .when(known(col(KEY)), lit(KNOWN_ID))
        .when(col(UNSETTLED), lit(UNCONVERGED))
        .when(n.gt(limits.maxIdsPerCustomer()), lit(GIANT_COMPONENT))
        .when(k.equalTo(0), lit(ANONYMOUS))
        .when(k.equalTo(1).or(col(KNOWN_WITH).equalTo(1)), lit(LINKED))
        .otherwise(lit(AMBIGUOUS));
    Column customer = when(col(RULE).equalTo(KNOWN_ID), idOf(col(KEY)))
        .when(col(RULE).equalTo(LINKED), idOf(col(KNOWN_OF)))
        .when(col(RULE).equalTo(ANONYMOUS), col(EARLIEST_KEY))
        .otherwise(col(KEY));
    return table
        .select(col(KEY), col(FIRST_SEEN), col(LAST_SEEN), col(EVENTS), rule.as(RULE),
            // k = 1: the component's known id, which is the one a non-known id in it was seen with, if any.
            when(k.equalTo(1), theKnown).otherwise(col(KNOWN_OF)).as(KNOWN_OF),
            earliest.as(EARLIEST_KEY))
        .select(
            substring_index(col(KEY), ":", 1).as(ID_TYPE),
            idOf(col(KEY)).as(ID),
            customer.as(CUSTOMER_ID),
            col(RULE).isin(KNOWN_ID, LINKED).as(IDENTIFIED),
            col(RULE).as(LINK_RULE),
            col(FIRST_SEEN),
            col(LAST_SEEN),
            col(EVENTS));
  }

  /**
   * The events with customer_id replaced by the customer of the row (rule 6); other columns unchanged;
   * rows whose identity_ids is null, or holds no id of the map, keep their customer_id. {@code map} is
   * {@link #resolve}'s output. Each distinct identity_ids is resolved once, then joined back to its rows.
   */
  public static Dataset<Row> customerOfRows(Dataset<Row> events, Dataset<Row> map) {
    RequiredColumns.require(events, IDENTITY_IDS, CUSTOMER_ID);
    RequiredColumns.require(map, ID_TYPE, ID, CUSTOMER_ID, LINK_RULE);
    Dataset<Row> choices = map.select(
        concat(col(ID_TYPE), lit(":"), col(ID)).as(KEY),
        when(col(ID_TYPE).equalTo(CUSTOMER_ID), lit(0)).when(col(LINK_RULE).equalTo(SHARED_ID), lit(2)).otherwise(lit(1)).as(RANK),
        col(CUSTOMER_ID).as(RESOLVED));
    Dataset<Row> perSet = events.select(col(IDENTITY_IDS).as(IDS))
        .where(col(IDS).isNotNull())
        .distinct()
        .select(col(IDS), posexplode(array_sort(col(IDS))).as(new String[] {POS, KEY}))
        .join(choices, KEY)
        .groupBy(IDS)
        .agg(min(struct(col(RANK), col(POS), col(RESOLVED))).getField(RESOLVED).as(RESOLVED));
    Column[] out = Arrays.stream(events.columns())
        .map(c -> c.equals(CUSTOMER_ID) ? coalesce(perSet.col(RESOLVED), events.col(c)).as(c) : events.col(c))
        .toArray(Column[]::new);
    return events.join(perSet, events.col(IDENTITY_IDS).equalTo(perSet.col(IDS)), "left").select(out);
  }

  /** Large-star: links (src &lt; dst) to links (src &gt; dst) joining each id's larger neighbours to its smallest. */
  private static Dataset<Row> largeStar(Dataset<Row> edges) {
    String u = A;
    String v = B;
    return edges.select(col(SRC).as(u), col(DST).as(v))
        .union(edges.select(col(DST).as(u), col(SRC).as(v)))
        .withColumn(MIN, least(col(u), min(col(v)).over(Window.partitionBy(u))))
        .where(col(v).gt(col(u)))
        .select(col(v).as(SRC), col(MIN).as(DST));
  }

  /** Small-star: links (src &gt; dst) to links (src &lt; dst) joining each id and its smaller neighbours to their smallest. */
  private static Dataset<Row> smallStar(Dataset<Row> edges) {
    Column m = col(MIN).as(SRC);
    return edges.withColumn(MIN, min(col(DST)).over(Window.partitionBy(SRC)))
        .select(explode(array(struct(m, col(DST).as(DST)), struct(m, col(SRC).as(DST)))).as(A))
        .select(col(A).getField(SRC).as(SRC), col(A).getField(DST).as(DST))
        .where(col(SRC).notEqual(col(DST)))
        .distinct();
  }

  /**
   * Whether the links (src &lt; dst) are one star per component, each centred on its smallest id: no id is both
   * a centre and a leaf, and no leaf has two centres. The rounds keep the components, so then they are done.
   */
  private static boolean isStarForest(Dataset<Row> edges) {
    Dataset<Row> roles = edges.select(col(SRC).as(KEY), lit(1).as(A), lit(0).as(B))
        .union(edges.select(col(DST).as(KEY), lit(0).as(A), lit(1).as(B)))
        .groupBy(KEY)
        .agg(max(A).as(A), sum(B).as(B));
    // Bounded: isEmpty reads one row at most.
    return roles.where(col(B).gt(1).or(col(B).gt(0).and(col(A).gt(0)))).isEmpty();
  }

  /** Rule 2, over {@code seenWith}'s counts (null for an id seen alone: not shared). */
  private Column isShared(Column key) {
    return not(known(key)).and(
        col(KNOWN_WITH).gt(limits.maxKnownIdsPerId()).or(col(IDS_WITH).gt(limits.maxIdsPerId())));
  }

  private static Column known(Column key) {
    return key.startsWith(CUSTOMER_ID + ":");
  }

  /** The id of '&lt;id_type&gt;:&lt;id&gt;' (id_type holds no ':', the id may). */
  private static Column idOf(Column key) {
    return substr(key, instr(key, ":").plus(1));
  }
}
