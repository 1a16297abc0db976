package io.lifecycle.report;

import static io.lifecycle.report.Markup.escape;
import static io.lifecycle.report.Markup.num;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Line, bar and heatmap charts as inline SVG, written by hand. The report must open anywhere without
 * network access and look the same on every machine, so there is no JavaScript and no charting
 * library: fixed sizes, a fixed palette and a generic font stack. Every string that reaches the SVG is
 * escaped. Each chart is a {@code <figure class="chart">} with the chart's id, its title both as an SVG
 * {@code <title>} (for screen readers) and as visible text, labelled axes and a legend when it has
 * several series.
 */
public final class SvgChart {
  private SvgChart() {}

  /** Okabe-Ito colours: distinguishable with the common colour-vision deficiencies. */
  static final String[] PALETTE = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"};
  private static final String FONT = "font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\"";
  private static final int WIDTH = 760;

  /**
   * A numeric axis: its label (with the unit, e.g. "Retention (% of cohort)"), fixed bounds or NaN to
   * fit the data, and the tick format.
   */
  public record Axis(String label, double min, double max, DoubleFunction<String> format) {
    public static Axis of(String label, DoubleFunction<String> format) {
      return new Axis(label, Double.NaN, Double.NaN, format);
    }

    public static Axis fixed(String label, double min, double max, DoubleFunction<String> format) {
      return new Axis(label, min, max, format);
    }

    /** From zero to fit the data: counts and amounts. */
    public static Axis fromZero(String label, DoubleFunction<String> format) {
      return new Axis(label, 0, Double.NaN, format);
    }
  }

  /**
   * One line: points (x, y), an optional band (lower, upper; null for none), drawn as a step function
   * (survival curves) or straight segments, solid or dashed (baselines).
   */
  public record Series(String name, double[] x, double[] y, double[] lower, double[] upper, boolean step, boolean dashed) {
    public static Series of(String name, double[] x, double[] y) {
      return new Series(name, x, y, null, null, false, false);
    }

    /** The same line dashed: baselines. */
    public Series asDashed() {
      return new Series(name, x, y, lower, upper, step, true);
    }
  }

  /** One bar series: a value per category (NaN for none). */
  public record Bars(String name, double[] values) {}

  // ---------------------------------------------------------------- line

  /** A line chart; {@code diagonal} adds the y = x reference line (ROC, calibration). */
  public static String line(String id, String title, Axis xAxis, Axis yAxis, List<Series> series, boolean diagonal) {
    Frame f = new Frame(WIDTH, 400, 72, 24, series.size() > 1 ? 64 : 44, 58);
    Scale xs = Scale.of(xAxis, series.stream().flatMap(s -> stream(s.x()).stream()).toList());
    List<Double> ys = new ArrayList<>();
    for (Series s : series) {
      ys.addAll(stream(s.y()));
      ys.addAll(stream(s.lower()));
      ys.addAll(stream(s.upper()));
    }
    Scale yScale = Scale.of(yAxis, ys);
    StringBuilder b = f.open(id, title);
    f.legend(b, series.stream().map(Series::name).toList(), series.stream().map(Series::dashed).toList());
    f.xTicks(b, xs, xAxis.format());
    f.yTicks(b, yScale, yAxis.format());
    if (diagonal) {
      b.append(String.format(Locale.ROOT, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#999\" stroke-dasharray=\"3 3\"/>",
          num(f.x(xs, Math.max(xs.lo, yScale.lo))), num(f.y(yScale, Math.max(xs.lo, yScale.lo))),
          num(f.x(xs, Math.min(xs.hi, yScale.hi))), num(f.y(yScale, Math.min(xs.hi, yScale.hi)))));
    }
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      String color = PALETTE[i % PALETTE.length];
      if (s.lower() != null && s.upper() != null) {
        b.append("<path class=\"band\" fill=\"").append(color).append("\" fill-opacity=\"0.15\" stroke=\"none\" d=\"")
            .append(bandPath(f, xs, yScale, s)).append("\"/>");
      }
      StringBuilder d = new StringBuilder();
      int drawn = 0;
      for (int k = 0; k < s.x().length; k++) {
        if (!Double.isFinite(s.x()[k]) || !Double.isFinite(s.y()[k])) {
          continue;
        }
        double px = f.x(xs, s.x()[k]);
        double py = f.y(yScale, s.y()[k]);
        if (drawn == 0) {
          d.append('M').append(num(px)).append(' ').append(num(py));
        } else if (s.step()) {
          d.append(" H").append(num(px)).append(" V").append(num(py));
        } else {
          d.append(" L").append(num(px)).append(' ').append(num(py));
        }
        drawn++;
      }
      if (drawn == 0) {
        continue;
      }
      b.append("<path class=\"series\" fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\"")
          .append(s.dashed() ? " stroke-dasharray=\"6 4\"" : "").append(" d=\"").append(d).append("\"><title>")
          .append(escape(s.name())).append("</title></path>");
      if (!s.step() && drawn <= 40) {
        for (int k = 0; k < s.x().length; k++) {
          if (Double.isFinite(s.x()[k]) && Double.isFinite(s.y()[k])) {
            b.append("<circle cx=\"").append(num(f.x(xs, s.x()[k]))).append("\" cy=\"").append(num(f.y(yScale, s.y()[k])))
                .append("\" r=\"2.5\" fill=\"").append(color).append("\"><title>").append(escape(s.name())).append(": ")
                .append(escape(xAxis.format().apply(s.x()[k]))).append(", ").append(escape(yAxis.format().apply(s.y()[k])))
                .append("</title></circle>");
          }
        }
      }
    }
    f.axisLabels(b, xAxis.label(), yAxis.label());
    return f.close(b);
  }

  private static String bandPath(Frame f, Scale xs, Scale ys, Series s) {
    StringBuilder d = new StringBuilder();
    List<Integer> idx = new ArrayList<>();
    for (int k = 0; k < s.x().length; k++) {
      if (Double.isFinite(s.x()[k]) && Double.isFinite(s.lower()[k]) && Double.isFinite(s.upper()[k])) {
        idx.add(k);
      }
    }
    if (idx.isEmpty()) {
      return "M0 0";
    }
    for (int i = 0; i < idx.size(); i++) {
      int k = idx.get(i);
      d.append(i == 0 ? "M" : " L").append(num(f.x(xs, s.x()[k]))).append(' ').append(num(f.y(ys, s.upper()[k])));
      if (s.step() && i + 1 < idx.size()) {
        d.append(" L").append(num(f.x(xs, s.x()[idx.get(i + 1)]))).append(' ').append(num(f.y(ys, s.upper()[k])));
      }
    }
    for (int i = idx.size() - 1; i >= 0; i--) {
      int k = idx.get(i);
      if (s.step() && i + 1 < idx.size()) {
        d.append(" L").append(num(f.x(xs, s.x()[idx.get(i + 1)]))).append(' ').append(num(f.y(ys, s.lower()[k])));
      }
      d.append(" L").append(num(f.x(xs, s.x()[k]))).append(' ').append(num(f.y(ys, s.lower()[k])));
    }
    return d.append(" Z").toString();
  }

  // ---------------------------------------------------------------- bars

  /**
   * Vertical bars, one group per category (grouped, or stacked when {@code stacked}); category labels
   * are turned when they would not fit. A single series shows its values on the bars.
   */
  public static String bars(String id, String title, List<String> categories, String xLabel, Axis yAxis,
      List<Bars> series, boolean stacked) {
    int longest = categories.stream().mapToInt(String::length).max().orElse(1);
    double slot0 = (WIDTH - 96.0) / Math.max(1, categories.size());
    boolean turn = longest * 7.0 > slot0;
    int bottom = turn ? 40 + (int) Math.min(110, longest * 5.2) : 58;
    Frame f = new Frame(WIDTH, 360 + bottom - 58, 72, 24, series.size() > 1 ? 64 : 44, bottom);
    List<Double> values = new ArrayList<>();
    for (int c = 0; c < categories.size(); c++) {
      double total = 0;
      for (Bars s : series) {
        double v = s.values()[c];
        if (Double.isFinite(v)) {
          total += v;
          values.add(v);
        }
      }
      if (stacked) {
        values.add(total);
      }
    }
    values.add(0.0);
    Scale ys = Scale.of(yAxis, values);
    StringBuilder b = f.open(id, title);
    if (series.size() > 1) {
      f.legend(b, series.stream().map(Bars::name).toList(), series.stream().map(s -> false).toList());
    }
    f.yTicks(b, ys, yAxis.format());
    double slot = (f.x1 - f.x0) / Math.max(1, categories.size());
    int groups = stacked ? 1 : series.size();
    double barWidth = Math.max(1, slot * 0.78 / groups);
    for (int c = 0; c < categories.size(); c++) {
      double left = f.x0 + c * slot + slot * 0.11;
      double base = 0;
      for (int i = 0; i < series.size(); i++) {
        double v = series.get(i).values()[c];
        if (!Double.isFinite(v)) {
          continue;
        }
        double from = stacked ? base : 0;
        double to = from + v;
        double bx = stacked ? left : left + i * barWidth;
        double top = f.y(ys, Math.max(from, to));
        double height = Math.abs(f.y(ys, from) - f.y(ys, to));
        b.append("<rect class=\"bar\" x=\"").append(num(bx)).append("\" y=\"").append(num(top)).append("\" width=\"")
            .append(num(Math.max(0.5, barWidth - 1))).append("\" height=\"").append(num(Math.max(0, height)))
            .append("\" fill=\"").append(PALETTE[i % PALETTE.length]).append("\"><title>")
            .append(escape(categories.get(c))).append(series.size() > 1 ? ", " + escape(series.get(i).name()) : "")
            .append(": ").append(escape(yAxis.format().apply(v))).append("</title></rect>");
        if (series.size() == 1 && categories.size() <= 16) {
          b.append(text(bx + barWidth / 2, top - 4, "middle", 10.5, "#333", yAxis.format().apply(v)));
        }
        if (stacked) {
          base = to;
        }
      }
      double cx = f.x0 + c * slot + slot / 2;
      String label = shorten(categories.get(c), 24);
      if (turn) {
        b.append("<text x=\"").append(num(cx)).append("\" y=\"").append(num(f.y1 + 14)).append("\" ").append(FONT)
            .append(" font-size=\"10.5\" fill=\"#333\" text-anchor=\"end\" transform=\"rotate(-40 ").append(num(cx)).append(' ')
            .append(num(f.y1 + 14)).append(")\">").append(escape(label)).append("</text>");
      } else {
        b.append(text(cx, f.y1 + 16, "middle", 11, "#333", label));
      }
    }
    f.axisLabels(b, xLabel, yAxis.label());
    return f.close(b);
  }

  /** Horizontal bars for long category labels (stage paths), one series, largest first as given. */
  public static String horizontalBars(String id, String title, List<String> labels, Axis xAxis, double[] values, String yLabel) {
    int longest = labels.stream().mapToInt(l -> Math.min(l.length(), 60)).max().orElse(1);
    // Labels are mostly capitals (stage names), about 7 px each at this size.
    int left = 36 + (int) Math.min(440, longest * 7.2);
    int rowHeight = 22;
    Frame f = new Frame(left + 520, 44 + labels.size() * rowHeight + 56, left, 64, 44, 56);
    List<Double> vs = new ArrayList<>(stream(values));
    vs.add(0.0);
    Scale xs = Scale.of(xAxis, vs);
    StringBuilder b = f.open(id, title);
    f.xTicks(b, xs, xAxis.format());
    for (int i = 0; i < labels.size(); i++) {
      double top = f.y0 + i * rowHeight + 3;
      double v = values[i];
      double w = Double.isFinite(v) ? f.x(xs, v) - f.x0 : 0;
      b.append("<rect class=\"bar\" x=\"").append(num(f.x0)).append("\" y=\"").append(num(top)).append("\" width=\"")
          .append(num(Math.max(0.5, w))).append("\" height=\"").append(rowHeight - 6).append("\" fill=\"").append(PALETTE[0])
          .append("\"><title>").append(escape(labels.get(i))).append(": ").append(escape(xAxis.format().apply(v))).append("</title></rect>");
      b.append(text(f.x0 - 6, top + rowHeight / 2.0 + 1, "end", 10.5, "#333", shorten(labels.get(i), 60)));
      b.append(text(f.x0 + w + 4, top + rowHeight / 2.0 + 1, "start", 10.5, "#333", xAxis.format().apply(v)));
    }
    f.axisLabels(b, xAxis.label(), yLabel);
    return f.close(b);
  }

  // ---------------------------------------------------------------- heatmap

  /**
   * A matrix of cells coloured from white to dark blue by value between {@code min} and {@code max}
   * (NaN: empty cell), each labelled when there is room. Cells flagged in {@code marked} are hatched and
   * explained by {@code markedNote} (projected retention).
   */
  public static String heatmap(String id, String title, List<String> rows, List<String> cols, double[][] values,
      boolean[][] marked, double min, double max, String xLabel, String yLabel, DoubleFunction<String> format,
      String scaleLabel, String markedNote) {
    int rowLabel = 34 + (int) Math.min(180, rows.stream().mapToInt(String::length).max().orElse(1) * 7.0);
    double cellW = Math.max(10, Math.min(72, (WIDTH + 280 - rowLabel - 110.0) / Math.max(1, cols.size())));
    double cellH = Math.max(10, Math.min(26, 600.0 / Math.max(1, rows.size())));
    int longestCol = cols.stream().mapToInt(String::length).max().orElse(1);
    boolean turn = longestCol * 6.4 > cellW;
    int bottom = 58 + (turn ? (int) Math.min(110, longestCol * 5.0) : 0);
    int width = Math.max(420, (int) Math.ceil(rowLabel + cellW * cols.size() + 110));
    int top = markedNote == null ? 48 : 64;
    int height = (int) (top + cellH * rows.size() + bottom);
    Frame f = new Frame(width, height, rowLabel, (int) (width - rowLabel - cellW * cols.size()), top, bottom);
    StringBuilder b = f.open(id, title);
    b.append("<defs><pattern id=\"").append(escape(id)).append("-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" ")
        .append("patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"none\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" ")
        .append("stroke=\"#333\" stroke-width=\"1.5\" stroke-opacity=\"0.35\"/></pattern>")
        .append("<linearGradient id=\"").append(escape(id)).append("-scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">")
        .append("<stop offset=\"0\" stop-color=\"").append(color(0)).append("\"/><stop offset=\"0.5\" stop-color=\"").append(color(0.5))
        .append("\"/><stop offset=\"1\" stop-color=\"").append(color(1)).append("\"/></linearGradient></defs>");
    boolean labels = cellW >= 26 && cellH >= 13;
    double fontSize = Math.min(cellW >= 34 ? 11 : 9.5, cellH * 0.55);
    for (int r = 0; r < rows.size(); r++) {
      double y = f.y0 + r * cellH;
      b.append(text(f.x0 - 6, y + cellH / 2 + 3.5, "end", Math.min(11, Math.max(8, cellH * 0.6)), "#333", rows.get(r)));
      for (int c = 0; c < cols.size(); c++) {
        double v = values[r][c];
        if (!Double.isFinite(v)) {
          continue;
        }
        double t = max > min ? Math.max(0, Math.min(1, (v - min) / (max - min))) : 0;
        double x = f.x0 + c * cellW;
        boolean flagged = marked != null && marked[r][c];
        b.append("<rect class=\"cell\" x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"")
            .append(num(cellW - 1)).append("\" height=\"").append(num(cellH - 1)).append("\" fill=\"").append(color(t))
            .append("\"><title>").append(escape(rows.get(r))).append(", ").append(escape(cols.get(c))).append(": ")
            .append(escape(format.apply(v))).append(flagged ? " (projected)" : "").append("</title></rect>");
        if (flagged) {
          b.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"").append(num(cellW - 1))
              .append("\" height=\"").append(num(cellH - 1)).append("\" fill=\"url(#").append(escape(id)).append("-hatch)\"/>");
        }
        if (labels) {
          b.append("<text x=\"").append(num(x + cellW / 2)).append("\" y=\"").append(num(y + cellH / 2 + fontSize * 0.36))
              .append("\" ").append(FONT).append(" font-size=\"").append(num(fontSize)).append("\" text-anchor=\"middle\" fill=\"")
              .append(t > 0.55 ? "#fff" : "#222").append("\"").append(flagged ? " font-style=\"italic\"" : "").append(">")
              .append(escape(format.apply(v))).append("</text>");
        }
      }
    }
    int every = (int) Math.ceil((turn ? 14 : longestCol * 6.4 + 6) / cellW);
    for (int c = 0; c < cols.size(); c += Math.max(1, every)) {
      double cx = f.x0 + c * cellW + cellW / 2;
      double cy = f.y0 + rows.size() * cellH + 14;
      if (turn) {
        b.append("<text x=\"").append(num(cx)).append("\" y=\"").append(num(cy)).append("\" ").append(FONT)
            .append(" font-size=\"10.5\" fill=\"#333\" text-anchor=\"end\" transform=\"rotate(-35 ").append(num(cx)).append(' ')
            .append(num(cy)).append(")\">").append(escape(cols.get(c))).append("</text>");
      } else {
        b.append(text(cx, cy, "middle", 10.5, "#333", cols.get(c)));
      }
    }
    // Colour scale.
    double sx = f.x0 + cellW * cols.size() + 24;
    double sh = Math.min(180, rows.size() * cellH);
    b.append("<rect x=\"").append(num(sx)).append("\" y=\"").append(num(f.y0)).append("\" width=\"14\" height=\"").append(num(sh))
        .append("\" fill=\"url(#").append(escape(id)).append("-scale)\" stroke=\"#ccc\"/>");
    b.append(text(sx + 18, f.y0 + 8, "start", 10, "#333", format.apply(max)));
    b.append(text(sx + 18, f.y0 + sh, "start", 10, "#333", format.apply(min)));
    b.append("<text ").append(FONT).append(" font-size=\"10\" fill=\"#333\" text-anchor=\"middle\" transform=\"translate(")
        .append(num(sx + 62)).append(' ').append(num(f.y0 + sh / 2)).append(") rotate(90)\">").append(escape(scaleLabel)).append("</text>");
    f.axisLabels(b, xLabel, yLabel);
    if (markedNote != null) {
      b.append(text(f.width / 2.0, 44, "middle", 11, "#555", markedNote));
    }
    return f.close(b);
  }

  /** White (0) to dark blue (1), through the ColorBrewer "Blues" ramp. */
  static String color(double t) {
    int[][] stops = {{247, 251, 255}, {198, 219, 239}, {107, 174, 214}, {33, 113, 181}, {8, 48, 107}};
    double p = Math.max(0, Math.min(1, t)) * (stops.length - 1);
    int i = Math.min(stops.length - 2, (int) Math.floor(p));
    double w = p - i;
    int[] rgb = new int[3];
    for (int k = 0; k < 3; k++) {
      rgb[k] = (int) Math.round(stops[i][k] + w * (stops[i + 1][k] - stops[i][k]));
    }
    return String.format(Locale.ROOT, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
  }

  // ---------------------------------------------------------------- frame

  private static String text(double x, double y, String anchor, double size, String fill, String s) {
    return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" " + FONT + " font-size=\"" + num(size) + "\" fill=\"" + fill
        + "\" text-anchor=\"" + anchor + "\">" + escape(s) + "</text>";
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
  }

  private static List<Double> stream(double[] a) {
    List<Double> out = new ArrayList<>();
    if (a != null) {
      for (double v : a) {
        if (Double.isFinite(v)) {
          out.add(v);
        }
      }
    }
    return out;
  }

  /** A nice range and its ticks (steps of 1, 2 or 5 x 10^k). */
  record Scale(double lo, double hi, double[] ticks) {
    static Scale of(Axis axis, List<Double> data) {
      double lo = Double.isNaN(axis.min()) ? data.stream().mapToDouble(d -> d).min().orElse(0) : axis.min();
      double hi = Double.isNaN(axis.max()) ? data.stream().mapToDouble(d -> d).max().orElse(1) : axis.max();
      if (!(hi > lo)) {
        hi = lo + (lo == 0 ? 1 : Math.abs(lo) * 0.1);
      }
      double raw = (hi - lo) / 5;
      double mag = Math.pow(10, Math.floor(Math.log10(raw)));
      double norm = raw / mag;
      double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
      double niceLo = Double.isNaN(axis.min()) ? Math.floor(lo / step + 1e-9) * step : lo;
      double niceHi = Double.isNaN(axis.max()) ? Math.ceil(hi / step - 1e-9) * step : hi;
      List<Double> ticks = new ArrayList<>();
      for (double t = Math.ceil(niceLo / step - 1e-9) * step; t <= niceHi + step * 1e-9; t += step) {
        ticks.add(Math.abs(t) < step * 1e-9 ? 0 : t);
      }
      return new Scale(niceLo, niceHi, ticks.stream().mapToDouble(d -> d).toArray());
    }
  }

  /** The drawing area of a chart and its decorations. */
  private static final class Frame {
    final int width;
    final int height;
    final double x0;
    final double x1;
    final double y0;
    final double y1;

    Frame(int width, int height, int left, int right, int top, int bottom) {
      this.width = width;
      this.height = height;
      this.x0 = left;
      this.x1 = width - right;
      this.y0 = top;
      this.y1 = height - bottom;
    }

    double x(Scale s, double v) {
      return x0 + (v - s.lo()) / (s.hi() - s.lo()) * (x1 - x0);
    }

    double y(Scale s, double v) {
      return y1 - (v - s.lo()) / (s.hi() - s.lo()) * (y1 - y0);
    }

    StringBuilder open(String id, String title) {
      StringBuilder b = new StringBuilder(4096);
      b.append("<figure class=\"chart\" id=\"").append(escape(id)).append("\">");
      b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
          .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" role=\"img\" aria-labelledby=\"")
          .append(escape(id)).append("-title\">");
      b.append("<title id=\"").append(escape(id)).append("-title\">").append(escape(title)).append("</title>");
      b.append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
      b.append(text(width / 2.0, 24, "middle", 15, "#111", title).replace("<text ", "<text class=\"chart-title\" font-weight=\"bold\" "));
      return b;
    }

    void legend(StringBuilder b, List<String> names, List<Boolean> dashed) {
      if (names.size() < 2) {
        return;
      }
      double x = x0;
      double y = 46;
      for (int i = 0; i < names.size(); i++) {
        String name = shorten(names.get(i), 48);
        double w = 28 + name.length() * 6.6;
        if (x + w > width - 10) {
          x = x0;
          y += 15;
        }
        b.append("<line x1=\"").append(num(x)).append("\" y1=\"").append(num(y - 4)).append("\" x2=\"").append(num(x + 18))
            .append("\" y2=\"").append(num(y - 4)).append("\" stroke=\"").append(PALETTE[i % PALETTE.length])
            .append("\" stroke-width=\"").append(dashed.get(i) ? "2" : "6").append("\"")
            .append(dashed.get(i) ? " stroke-dasharray=\"5 3\"" : "").append("/>");
        b.append(text(x + 22, y, "start", 11, "#333", name).replace("<text ", "<text class=\"legend\" "));
        x += w;
      }
    }

    void yTicks(StringBuilder b, Scale s, DoubleFunction<String> format) {
      for (double t : s.ticks()) {
        double py = y(s, t);
        b.append("<line x1=\"").append(num(x0)).append("\" y1=\"").append(num(py)).append("\" x2=\"").append(num(x1))
            .append("\" y2=\"").append(num(py)).append("\" stroke=\"#e5e5e5\"/>");
        b.append(text(x0 - 6, py + 3.5, "end", 10.5, "#444", format.apply(t)));
      }
      b.append("<line x1=\"").append(num(x0)).append("\" y1=\"").append(num(y0)).append("\" x2=\"").append(num(x0))
          .append("\" y2=\"").append(num(y1)).append("\" stroke=\"#888\"/>");
      b.append("<line x1=\"").append(num(x0)).append("\" y1=\"").append(num(y1)).append("\" x2=\"").append(num(x1))
          .append("\" y2=\"").append(num(y1)).append("\" stroke=\"#888\"/>");
    }

    void xTicks(StringBuilder b, Scale s, DoubleFunction<String> format) {
      for (double t : s.ticks()) {
        double px = x(s, t);
        b.append("<line x1=\"").append(num(px)).append("\" y1=\"").append(num(y0)).append("\" x2=\"").append(num(px))
            .append("\" y2=\"").append(num(y1)).append("\" stroke=\"#f0f0f0\"/>");
        b.append(text(px, y1 + 15, "middle", 10.5, "#444", format.apply(t)));
      }
      b.append("<line x1=\"").append(num(x0)).append("\" y1=\"").append(num(y1)).append("\" x2=\"").append(num(x1))
          .append("\" y2=\"").append(num(y1)).append("\" stroke=\"#888\"/>");
    }

    void axisLabels(StringBuilder b, String xLabel, String yLabel) {
      b.append(text((x0 + x1) / 2, height - 12, "middle", 12, "#222", xLabel).replace("<text ", "<text class=\"axis-label\" "));
      double cy = (y0 + y1) / 2;
      b.append("<text class=\"axis-label\" ").append(FONT).append(" font-size=\"12\" fill=\"#222\" text-anchor=\"middle\" transform=\"translate(16 ")
          .append(num(cy)).append(") rotate(-90)\">").append(escape(yLabel)).append("</text>");
    }

    String close(StringBuilder b) {
      return b.append("</svg></figure>").toString();
    }
  }
}
