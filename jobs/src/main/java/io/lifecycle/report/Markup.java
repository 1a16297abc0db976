package io.lifecycle.report;

import java.util.Locale;

/** Escaping for HTML and SVG text and attributes, and number formats for people. */
public final class Markup {
  private Markup() {}

  /** Escapes text for an HTML or SVG element body or a double-quoted attribute. */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          // Control characters are not allowed in XML 1.0 (SVG): drop them.
          if (c >= 0x20 || c == '\n' || c == '\t') {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** A whole number with thousands separators: 12,345. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A share as a percentage with one decimal: 45.2%. */
  public static String percent(double share) {
    return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f%%", 100 * share) : "n/a";
  }

  /** A share as a whole percentage: 45%. */
  public static String percentShort(double share) {
    return Double.isFinite(share) ? String.format(Locale.ROOT, "%.0f%%", 100 * share) : "n/a";
  }

  /** A number with thousands separators and the given decimals: 1,234.57. */
  public static String decimal(double v, int decimals) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%,." + decimals + "f", v) : "n/a";
  }

  /** A number with three significant digits and a k / M / B suffix: 1.23k, 45.6M, 0.123. */
  public static String compact(double v) {
    if (!Double.isFinite(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a >= 1e9) {
      return trimmed(v / 1e9) + "B";
    }
    if (a >= 1e6) {
      return trimmed(v / 1e6) + "M";
    }
    if (a >= 1e4) {
      return trimmed(v / 1e3) + "k";
    }
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return trimmed(v);
  }

  private static String trimmed(double v) {
    double a = Math.abs(v);
    String s = a >= 100 ? String.format(Locale.ROOT, "%.0f", v)
        : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
        : a >= 1 ? String.format(Locale.ROOT, "%.2f", v)
        : a == 0 ? "0" : String.format(Locale.ROOT, "%.3f", v);
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s.equals("-0") ? "0" : s;
  }

  /** A cohort's or calendar period's first day (ISO date) as a label: the day for weeks, the month (yyyy-MM) for months. */
  static String period(String iso, boolean weeks) {
    return weeks || iso.length() < 7 ? iso : iso.substring(0, 7);
  }

  /** A coordinate for SVG: at most two decimals, no locale. */
  static String num(double v) {
    if (!Double.isFinite(v)) {
      return "0";
    }
    long r = Math.round(v * 100);
    return r % 100 == 0 ? Long.toString(r / 100) : String.format(Locale.ROOT, "%.2f", v);
  }
}
