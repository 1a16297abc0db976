package io.lifecycle.report;

import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import io.lifecycle.report.SvgChart.Axis;
import io.lifecycle.report.SvgChart.Bars;
import io.lifecycle.tables.ChannelAttributionTable;
import io.lifecycle.tables.Columns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * Channel attribution: the first purchases, their revenue and predicted CLV credited to each channel by each
 * attribution model, all months summed. The query reads one row per channel and model, so the record is bounded
 * by clv.attribution_channels; channels come largest Markov credit first.
 */
final class AttributionSection {
  private AttributionSection() {}

  /** @param channels the channels, the largest Markov credit first */
  record Attribution(List<Channel> channels) {}

  /**
   * One channel's credit, 0 where a model gave it none.
   *
   * @param conversions first purchases credited per model of {@link ChannelAttributionTable#MODELS}
   * @param removalEffect the share of conversions the Markov chain loses without the channel, NaN when unknown
   */
  record Channel(String channel, double[] conversions, double lastTouch, double markov, double markovRevenue, double markovClv,
      double removalEffect) {}

  static Part<Attribution> query(ReportTables tables) {
    return tables.query(ChannelAttributionTable.DEF, "the channel attribution", table -> {
      // Bounded: one row per channel and model, (clv.attribution_channels + 2) x 4.
      List<Row> rows = table.groupBy(Columns.CHANNEL, ChannelAttributionTable.MODEL)
          .agg(sum(ChannelAttributionTable.CONVERSIONS), sum(ChannelAttributionTable.REVENUE),
              sum(ChannelAttributionTable.PREDICTED_CLV), max(ChannelAttributionTable.REMOVAL_EFFECT))
          .collectAsList();
      if (rows.isEmpty()) {
        return Part.missing("Table channel_attribution has no rows: no customer had made a first purchase before "
            + tables.runDate() + ".");
      }
      Map<String, Map<String, Row>> byChannel = new TreeMap<>();
      rows.forEach(r -> byChannel.computeIfAbsent(r.getString(0), c -> new TreeMap<>()).put(r.getString(1), r));
      // Channels by their Markov credit, the largest first.
      List<String> channels = byChannel.keySet().stream().sorted(Comparator.comparingDouble(
          (String c) -> -credit(byChannel.get(c).get(ChannelAttributionTable.MARKOV), 2)).thenComparing(c -> c)).toList();
      List<Channel> credits = new ArrayList<>();
      for (String c : channels) {
        Map<String, Row> models = byChannel.get(c);
        Row markov = models.get(ChannelAttributionTable.MARKOV);
        credits.add(new Channel(c, ChannelAttributionTable.MODELS.stream().mapToDouble(m -> credit(models.get(m), 2)).toArray(),
            credit(models.get(ChannelAttributionTable.LAST_TOUCH), 2), credit(markov, 2), credit(markov, 3), credit(markov, 4),
            markov == null || markov.isNullAt(5) ? Double.NaN : markov.getDouble(5)));
      }
      return Part.of(new Attribution(credits));
    });
  }

  /** A column of an attribution row, 0 when the row or the value is missing. */
  private static double credit(Row r, int column) {
    return r == null || r.isNullAt(column) ? 0 : r.getDouble(column);
  }

  static void render(HtmlPage page, Part<Attribution> attribution) {
    attribution.draw(page, a -> {
      List<Bars> series = new ArrayList<>();
      for (int m = 0; m < ChannelAttributionTable.MODELS.size(); m++) {
        int model = m;
        series.add(new Bars(ChannelAttributionTable.MODELS.get(m).replace('_', ' '),
            a.channels().stream().mapToDouble(c -> c.conversions()[model]).toArray()));
      }
      page.chart(SvgChart.bars("channel-attribution", "First purchases credited to each channel, by attribution model",
          a.channels().stream().map(Channel::channel).toList(), "Channel of the touches before the first purchase",
          Axis.fromZero("First purchases", Markup::compact), series, false));
      page.table(List.of("channel", "first purchases, last touch", "first purchases, Markov", "first-purchase revenue, Markov",
          "predicted CLV, Markov", "removal effect"), a.channels().stream().map(c -> List.of(c.channel(),
              Markup.decimal(c.lastTouch(), 1), Markup.decimal(c.markov(), 1), Markup.decimal(c.markovRevenue(), 0),
              Markup.decimal(c.markovClv(), 0), Markup.decimal(c.removalEffect(), 3))).toList());
      page.note("A journey is the channels of a customer's events up to the first purchase; (none): no event of it had a"
          + " channel. Markov: one chain over every journey, converted or not; a channel's removal effect is the share of"
          + " conversions the chain loses without it, and each month's first purchases, revenue and CLV are split by the"
          + " channels' shares of the removal effects.");
    });
  }
}
