package io.lifecycle.report;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerJourneysTable;
import io.lifecycle.tables.IdentityMapTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Identity stitching, when the input has ids to stitch: visitors -> identified -> converted (anonymous
 * visitors counted apart, as the funnel asks), and how the ids were linked, from identity_map and
 * customer_journeys. Shared, ambiguous and giant groups are where an analyst looks first when the
 * numbers surprise: the note names them.
 */
final class IdentitySection {
  private IdentitySection() {}

  /**
   * @param visitors customers with a journey
   * @param identified those with a known customer id
   * @param converted identified customers who purchased
   * @param anonymousBuyers visitors never identified who purchased (guest checkouts)
   * @param rules ids per link rule, rule name order
   */
  record Identity(long visitors, long identified, long converted, long anonymousBuyers, List<Row> rules) {}

  static Part<Identity> query(ReportTables tables) {
    return tables.query(IdentityMapTable.DEF, "the identity funnel", map -> {
      Dataset<Row> identified = map.groupBy(col(Columns.CUSTOMER_ID)).agg(max(col(IdentityMapTable.IDENTIFIED)).as("_identified"));
      return tables.query(CustomerJourneysTable.DEF, "the identity funnel", journeys -> {
        // One row: the funnel's counts.
        Row counts = journeys.join(identified, Columns.CUSTOMER_ID, "left_outer")
            .select(coalesce(col("_identified"), lit(true)).as("_identified"),
                col(CustomerJourneysTable.FIRST_PURCHASE_AT).isNotNull().as("_bought"))
            .agg(count(lit(1)), sum(when(col("_identified"), 1).otherwise(0)),
                sum(when(col("_identified").and(col("_bought")), 1).otherwise(0)),
                sum(when(not(col("_identified")).and(col("_bought")), 1).otherwise(0)))
            .head();
        // Bounded: one row per link rule (seven at most).
        List<Row> rules = map.groupBy(col(IdentityMapTable.LINK_RULE)).count().orderBy(col(IdentityMapTable.LINK_RULE)).collectAsList();
        return Part.of(new Identity(counts.getLong(0), asLong(counts.get(1)), asLong(counts.get(2)), asLong(counts.get(3)), rules));
      });
    });
  }

  private static long asLong(Object value) {
    return value == null ? 0L : ((Number) value).longValue();
  }

  static void render(HtmlPage page, Part<Identity> identity) {
    identity.draw(page, i -> {
      page.table(List.of("visitors", "identified", "identified and converted", "anonymous, purchased"), List.of(List.of(
          Markup.count(i.visitors()),
          Markup.count(i.identified()) + " (" + share(i.identified(), i.visitors()) + ")",
          Markup.count(i.converted()) + " (" + share(i.converted(), i.identified()) + " of identified)",
          Markup.count(i.anonymousBuyers()))));
      List<List<String>> rows = new ArrayList<>();
      long held = 0;
      for (Row r : i.rules()) {
        rows.add(List.of(r.getString(0), Markup.count(r.getLong(1))));
        if (List.of(IdentityMapTable.SHARED_ID, IdentityMapTable.AMBIGUOUS, IdentityMapTable.GIANT_COMPONENT,
            IdentityMapTable.UNCONVERGED).contains(r.getString(0))) {
          held += r.getLong(1);
        }
      }
      page.table(List.of("link rule", "ids"), rows);
      page.note("Visitors are the customers with a journey after stitching; anonymous ones were seen only under cookie or"
          + " device ids (split them in the funnel and retention with cohorts.breakdowns = [identity]). "
          + (held == 0 ? "No id was held back from linking."
              : Markup.count(held) + " ids were held back from linking (shared_id, ambiguous, giant_component or unconverged):"
                  + " see identity_map.link_rule and the caps in input.identity."));
    });
  }

  private static String share(long part, long whole) {
    return whole == 0 ? "-" : Markup.percentShort((double) part / whole);
  }
}
