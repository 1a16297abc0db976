package io.lifecycle.ingest;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig.IdColumn;
import io.lifecycle.config.LifecycleConfig.Input;
import io.lifecycle.config.LifecycleConfig.Quality;
import io.lifecycle.config.StageModel;
import io.lifecycle.tables.Columns;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Turns the raw frame into canonical events, each with the first reason it cannot be used (or null):
 * trims ids, parses times to UTC with the configured formats and zone, normalizes event types, and
 * checks amounts. Pure: a frame in, a frame out, built-in functions only.
 */
public final class EventNormalizer {
  /** Output column: the quarantine reason code, null for a usable row. */
  public static final String REASON = "_reason";
  /** Output column: the offending value for the reason. */
  public static final String DETAIL = "_detail";
  public static final String RAW_RECORD = RawColumns.RECORD;
  public static final String SKIPPED = RawColumns.SKIPPED;

  private final Input input;
  private final StageModel stages;
  private final Quality quality;
  private final Instant asOf;
  private final Instant tooLateBefore;

  /**
   * @param asOf the run's as-of instant: events later than it by more than the configured tolerance
   *     are quarantined as future_time
   */
  public EventNormalizer(Input input, StageModel stages, Quality quality, Instant asOf) {
    this(input, stages, quality, asOf, null);
  }

  /**
   * @param tooLateBefore incremental runs: events before this instant are quarantined as too_late
   *     (null: no lateness limit, as in a full run)
   */
  public EventNormalizer(Input input, StageModel stages, Quality quality, Instant asOf, Instant tooLateBefore) {
    this.input = input;
    this.stages = stages;
    this.quality = quality;
    this.asOf = asOf;
    this.tooLateBefore = tooLateBefore;
  }

  public Dataset<Row> normalize(Dataset<Row> raw) {
    List<IdColumn> otherIds = input.otherIdColumns();
    Column typeText = input.eventTypeConstant() != null ? lit(input.eventTypeConstant()) : nullIfBlank(col(RawColumns.EVENT_TYPE));
    // First parse each field once; the checks below then refer to the parsed columns by name, so the
    // costly parses (several timestamp patterns) are not repeated in every check.
    List<Column> fields = new ArrayList<>(List.of(
        col(RawColumns.MALFORMED), col(RawColumns.SKIPPED), col(RawColumns.SOURCE_FILE), col(RawColumns.RECORD),
        nullIfBlank(col(RawColumns.CUSTOMER_ID)).as(P_CUSTOMER),
        nullIfBlank(col(RawColumns.EVENT_TIME)).as(P_TIME_TEXT),
        col(RawColumns.EVENT_TS).as(P_TS),
        canonicalType(typeText).as(P_TYPE),
        nullIfBlank(col(RawColumns.AMOUNT)).as(P_AMOUNT_TEXT),
        nullIfBlank(col(RawColumns.CHANNEL)).as(Columns.CHANNEL),
        nullIfBlank(col(RawColumns.EVENT_ID)).as(Columns.EVENT_ID)));
    for (int i = 0; i < otherIds.size(); i++) {
      fields.add(nullIfBlank(col(RawColumns.otherId(i))).as(otherIdField(i)));
    }
    Dataset<Row> parsed = raw.select(fields.toArray(Column[]::new))
        .withColumn(P_TIME, coalesce(col(P_TS), parseTime(col(P_TIME_TEXT))))
        .withColumn(P_AMOUNT, col(P_AMOUNT_TEXT).try_cast("double"));

    Column time = col(P_TIME);
    Column type = col(P_TYPE);
    Column amount = col(P_AMOUNT);
    Column amountText = col(P_AMOUNT_TEXT);
    Timestamp future = Timestamp.from(asOf.plus(quality.futureTolerance()));
    Timestamp start = Timestamp.from(quality.earliestEventDate().atStartOfDay(ZoneOffset.UTC).toInstant());
    Column badAmount = amountText.isNotNull()
        .and(amount.isNull().or(isnan(amount)).or(amount.isin(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
    Column badBytes = undecodable(otherIds);
    Column[][] checks = {
      {col(RawColumns.MALFORMED).isNotNull(), reason(QuarantineReason.MALFORMED), col(RawColumns.MALFORMED)},
      {badBytes.notEqual(""), reason(QuarantineReason.INVALID_ENCODING), badBytes},
      otherIds.isEmpty()
          ? new Column[] {col(P_CUSTOMER).isNull(), reason(QuarantineReason.MISSING_CUSTOMER_ID), lit(null)}
          : new Column[] {noId(otherIds), reason(QuarantineReason.MISSING_IDENTITY), lit(null)},
      {col(P_TIME_TEXT).isNull().and(col(P_TS).isNull()), reason(QuarantineReason.MISSING_TIME), lit(null)},
      {time.isNull(), reason(QuarantineReason.UNPARSEABLE_TIME), col(P_TIME_TEXT)},
      {time.lt(lit(start)), reason(QuarantineReason.BEFORE_START), time.cast("string")},
      {time.gt(lit(future)), reason(QuarantineReason.FUTURE_TIME), time.cast("string")},
      {tooLateBefore == null ? lit(false) : time.lt(lit(Timestamp.from(tooLateBefore))),
          reason(QuarantineReason.TOO_LATE), time.cast("string")},
      {type.isNull(), reason(QuarantineReason.MISSING_EVENT_TYPE), lit(null)},
      {lit(stages.strictEventTypes()).and(not(type.isin(stages.knownEventTypes().toArray())))
          .and(not(type.isin(linkEventTypes().toArray()))),
          reason(QuarantineReason.UNKNOWN_EVENT_TYPE), type},
      {badAmount, reason(QuarantineReason.NON_NUMERIC_AMOUNT), amountText},
      {amount.lt(0), reason(QuarantineReason.NEGATIVE_AMOUNT), amountText},
    };
    Column skipped = col(RawColumns.SKIPPED);
    Column reasonCol = lit(null).cast("string");
    Column detailCol = lit(null).cast("string");
    for (int i = checks.length - 1; i >= 0; i--) {
      reasonCol = when(coalesce(checks[i][0], lit(false)), checks[i][1]).otherwise(reasonCol);
      detailCol = when(coalesce(checks[i][0], lit(false)), substring(checks[i][2], 1, 1000)).otherwise(detailCol);
    }
    Column purchase = type.isin(stages.purchaseEventTypes().toArray());
    Dataset<Row> checked = parsed.withColumn(REASON, when(skipped, lit(null)).otherwise(reasonCol))
        .withColumn(DETAIL, when(skipped, lit(null)).otherwise(detailCol));
    List<Column> out = new ArrayList<>(List.of(
        col(P_CUSTOMER).as(Columns.CUSTOMER_ID),
        time.as(Columns.EVENT_TIME),
        type.as(Columns.EVENT_TYPE),
        // Revenue belongs to purchases only; an amount on another event type is not revenue.
        when(purchase, amount).as(Columns.AMOUNT),
        col(Columns.CHANNEL),
        col(Columns.EVENT_ID),
        col(RawColumns.SOURCE_FILE).as(Columns.SOURCE_FILE),
        col(REASON),
        col(DETAIL),
        // Only quarantined rows keep their raw text: rendering it for every clean row costs for nothing.
        when(col(REASON).isNotNull(), substring(col(RawColumns.RECORD), 1, RawEventReader.MAX_RECORD_CHARS)).as(RAW_RECORD),
        skipped.as(SKIPPED)));
    if (!otherIds.isEmpty()) {
      Column[] ids = new Column[otherIds.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = col(otherIdField(i));
      }
      out.add(struct(ids).as(OTHER_IDS));
    }
    return checked.select(out.toArray(Column[]::new));
  }

  /**
   * Output column when identity stitching is on: a struct of the {@code Input#otherIdColumns()}
   * (anonymous, alias and extra ids) as read, field {@link #otherIdField(int) i} the i-th, null when absent.
   */
  public static final String OTHER_IDS = "_other_ids";

  /** The field of {@link #OTHER_IDS} holding the i-th other id. */
  public static String otherIdField(int i) {
    return "id" + i;
  }

  /** Neither the known customer id nor any other id. */
  private static Column noId(List<IdColumn> otherIds) {
    Column none = col(P_CUSTOMER).isNull();
    for (int i = 0; i < otherIds.size(); i++) {
      none = none.and(col(otherIdField(i)).isNull());
    }
    return none;
  }

  private List<String> linkEventTypes() {
    return input.stitchesIdentities() ? input.identity().linkEventTypes() : List.of();
  }

  private static final String P_CUSTOMER = "_p_customer";
  private static final String P_TIME_TEXT = "_p_time_text";
  private static final String P_TS = "_p_ts";
  private static final String P_TIME = "_p_time";
  private static final String P_TYPE = "_p_type";
  private static final String P_AMOUNT_TEXT = "_p_amount_text";
  private static final String P_AMOUNT = "_p_amount";

  /**
   * The names of the text fields holding U+FFFD, the character a decoder puts for bytes that are not
   * valid in the input's encoding ({@code input.options.encoding}, UTF-8 by default), or "". Such a
   * value is not what the source meant, and two different ids would become equal: the row is
   * quarantined, naming the fields, not their values (they may be personal data).
   */
  private static Column undecodable(List<IdColumn> otherIds) {
    List<String> fields = new ArrayList<>(List.of(P_CUSTOMER, P_TYPE, Columns.CHANNEL, Columns.EVENT_ID));
    List<String> names = new ArrayList<>(List.of(Columns.CUSTOMER_ID, Columns.EVENT_TYPE, Columns.CHANNEL, Columns.EVENT_ID));
    for (int i = 0; i < otherIds.size(); i++) {
      fields.add(otherIdField(i));
      names.add(otherIds.get(i).source());
    }
    Column[] found = new Column[fields.size()];
    for (int i = 0; i < found.length; i++) {
      found[i] = when(col(fields.get(i)).contains(REPLACEMENT_CHARACTER), lit(names.get(i)));
    }
    return concat_ws(",", found);
  }

  private static final String REPLACEMENT_CHARACTER = "\uFFFD";

  private static Column reason(QuarantineReason r) {
    return lit(r.code());
  }

  private static Column nullIfBlank(Column c) {
    Column t = trim(c);
    return when(t.equalTo(""), lit(null).cast("string")).otherwise(t);
  }

  /** Tries each configured format in order; local-time formats are read in the configured zone. */
  private Column parseTime(Column text) {
    List<Column> attempts = new ArrayList<>();
    for (String format : input.timestampFormats()) {
      Column parsed;
      if (format.equals("epoch_seconds")) {
        parsed = when(text.rlike("^-?[0-9]{1,12}$"), timestamp_seconds(text.try_cast("long")));
      } else if (format.equals("epoch_millis")) {
        parsed = when(text.rlike("^-?[0-9]{1,15}$"), timestamp_millis(text.try_cast("long")));
      } else {
        parsed = try_to_timestamp(text, lit(format));
        if (!hasOffset(format) && !input.zone().equals(ZoneOffset.UTC) && !input.zone().getId().equals("UTC")) {
          parsed = to_utc_timestamp(parsed, input.zone().getId());
        }
      }
      attempts.add(parsed);
    }
    return attempts.size() == 1 ? attempts.get(0) : coalesce(attempts.toArray(Column[]::new));
  }

  /** Whether a pattern reads a zone offset from the value (then the configured zone does not apply). */
  static boolean hasOffset(String pattern) {
    String letters = pattern.replaceAll("'[^']*'", "");
    return letters.matches(".*[XxZOVz].*");
  }

  /** Lower snake case, then the configured aliases. */
  private Column canonicalType(Column text) {
    Column t = lower(regexp_replace(trim(text), "[\\s-]+", "_"));
    Column result = t;
    for (Map.Entry<String, String> alias : stages.aliases().entrySet()) {
      result = when(t.equalTo(alias.getKey()), lit(alias.getValue())).otherwise(result);
    }
    return result;
  }
}
