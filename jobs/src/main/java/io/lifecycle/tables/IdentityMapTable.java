package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.*;

import org.apache.spark.sql.types.DataTypes;

/**
 * {@code identity_map}: every id the input carried (known customer ids, anonymous ids, the configured
 * extra ids) and the customer it resolved to, with the rule that linked it. The join key for BI users
 * who hold a cookie or device id, and the audit trail of the stitching: why two ids are one customer,
 * or why a shared device was not allowed to merge customers.
 */
public final class IdentityMapTable {
  private IdentityMapTable() {}

  /** Which input column the id came from: customer_id (the known id), anonymous_id, or an extra id column. */
  public static final String ID_TYPE = "id_type";
  public static final String ID = "id";
  public static final String LINK_RULE = "link_rule";
  public static final String FIRST_SEEN = "first_seen";
  public static final String LAST_SEEN = "last_seen";
  public static final String EVENTS = "events";
  /** Whether the resolved customer has a known customer id (an identified customer) or is anonymous. */
  public static final String IDENTIFIED = "identified";

  /** link_rule: the id is the customer's known id. */
  public static final String KNOWN_ID = "known_id";
  /** link_rule: linked (on a row or through other ids) to exactly one known id, the customer. */
  public static final String LINKED = "linked";
  /** link_rule: no known id among the ids linked to it; the customer is the group's earliest id. */
  public static final String ANONYMOUS = "anonymous";
  /** link_rule: seen with several known ids, or with more ids than allowed (a shared device): links nothing. */
  public static final String SHARED_ID = "shared_id";
  /** link_rule: its group holds several known ids and it was not seen on a row with exactly one of them. */
  public static final String AMBIGUOUS = "ambiguous";
  /** link_rule: its group holds more ids than identity.max_ids_per_customer, so it was not merged. */
  public static final String GIANT_COMPONENT = "giant_component";
  /** link_rule: the group was still growing after identity.max_rounds rounds, so it was not merged. */
  public static final String UNCONVERGED = "unconverged";

  public static final TableDef DEF =
      TableDef.builder("identity_map", "Every id the input carried (known customer ids, anonymous ids, extra id columns) and the customer it resolved to, with the rule that linked it; written by the stitch step.")
          .required(RUN_DATE, DataTypes.DateType, "As-of date of the run.")
          .required(ID_TYPE, DataTypes.StringType, "Input column the id came from: 'customer_id' (the known id), 'anonymous_id', or an identity.extra_id_columns name.")
          .required(ID, DataTypes.StringType, "The id (pseudonymized when privacy.pseudonymize is on).")
          .required(CUSTOMER_ID, DataTypes.StringType, "The resolved customer: the group's known customer id; for a group without one, its earliest id as '<id_type>:<id>'.")
          .required(IDENTIFIED, DataTypes.BooleanType, "Whether the resolved customer is a known customer id (false: an anonymous visitor).")
          .required(LINK_RULE, DataTypes.StringType, "Why: known_id, linked, anonymous, shared_id, ambiguous, giant_component or unconverged (see the README's identity section).")
          .required(FIRST_SEEN, DataTypes.TimestampType, "First event carrying the id, UTC.")
          .required(LAST_SEEN, DataTypes.TimestampType, "Last event carrying the id, UTC.")
          .required(EVENTS, DataTypes.LongType, "Events carrying the id.")
          .build();
}
