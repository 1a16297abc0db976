package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.CHANNEL;
import static io.lifecycle.tables.Columns.RUN_DATE;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code channel_attribution}: what each channel is credited with for the customers it brought to their
 * first purchase, by four attribution models side by side (long format: one row per month, channel and
 * model, so a BI tool filters on the model rather than picking columns).
 */
public final class ChannelAttributionTable {
  private ChannelAttributionTable() {}

  public static final String MONTH = "month";
  public static final String MODEL = "model";
  public static final String CONVERSIONS = "conversions";
  public static final String REVENUE = "revenue";
  public static final String PREDICTED_CLV = "predicted_clv";
  public static final String REMOVAL_EFFECT = "removal_effect";

  /** The model names the {@link #MODEL} column holds. */
  public static final String FIRST_TOUCH = "first_touch";
  public static final String LAST_TOUCH = "last_touch";
  public static final String LINEAR = "linear";
  public static final String MARKOV = "markov";
  public static final List<String> MODELS = List.of(FIRST_TOUCH, LAST_TOUCH, LINEAR, MARKOV);
  /** The channel of a journey with no channel-tagged event, and of the channels beyond clv.attribution_channels. */
  public static final String NO_CHANNEL = "(none)";
  public static final String OTHER_CHANNELS = "(other)";

  public static final TableDef DEF =
      TableDef.builder("channel_attribution", "Conversions, first-purchase revenue and predicted CLV credited to the channels of each customer's journey to the first purchase, per month of the first purchase, by first-touch, last-touch, linear and Markov-chain (removal effect) attribution.")
          .required(RUN_DATE, DataTypes.DateType, "As-of date of the run.")
          .required(MONTH, DataTypes.DateType, "First day of the month of the credited customers' first purchase.")
          .required(CHANNEL, DataTypes.StringType, "Channel of the journeys' touches: one of the clv.attribution_channels channels with the most events, '(other)' for the rest, '(none)' for a journey without a channel-tagged event.")
          .required(MODEL, DataTypes.StringType, "first_touch (all credit to the journey's first touch), last_touch (to its last), linear (each touch 1/n) or markov (the month's totals split by the channels' shares of the removal effects).")
          .required(CONVERSIONS, DataTypes.DoubleType, "First purchases credited to the channel; each model's credits sum to the month's first purchases.")
          .required(REVENUE, DataTypes.DoubleType, "Revenue of those first purchases credited to the channel, by the same shares.")
          .optional(PREDICTED_CLV, DataTypes.DoubleType, "Predicted CLV (customer_value) of the converted customers credited to the channel; null when none of them has one.")
          .optional(REMOVAL_EFFECT, DataTypes.DoubleType, "markov: 1 - P(conversion without the channel) / P(conversion), from one chain over all journeys to the run date; null for the other models.")
          .build();
}
