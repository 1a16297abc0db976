package io.lifecycle.report;

import static io.lifecycle.report.Markup.escape;

import java.util.ArrayList;
import java.util.List;

/**
 * A self-contained HTML page: inline CSS, inline SVG charts, no scripts and no external resources, so
 * it opens from a file, a mail attachment or an object store without network access. Text passed in is
 * escaped here; chart markup comes escaped from {@link SvgChart}.
 */
public final class HtmlPage {
  /** Class of the note that replaces a chart or table whose data is missing. */
  public static final String MISSING = "missing";

  private static final String CSS = """
      body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;color:#222;margin:24px auto;max-width:1580px;padding:0 16px;line-height:1.45}
      h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;border-bottom:2px solid #0072B2;padding-bottom:4px;margin-top:36px}
      .subtitle{color:#555;margin:0 0 16px}nav a{margin-right:14px;color:#0072B2;text-decoration:none}
      figure.chart{display:inline-block;margin:12px 16px 12px 0;vertical-align:top;border:1px solid #ddd;background:#fff}
      figure.chart svg{display:block;max-width:100%;height:auto}
      table{border-collapse:collapse;margin:12px 16px 12px 0;font-size:13px;display:inline-table;vertical-align:top}th,td{border:1px solid #ddd;padding:4px 10px}
      th{background:#f3f6fa;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
      p.missing{background:#fff8e5;border-left:4px solid #E69F00;padding:8px 12px;max-width:900px}
      p.note{color:#555;font-size:13px;max-width:900px}footer{margin-top:40px;color:#777;font-size:12px}
      """;

  private final String title;
  private final String subtitle;
  private final List<String> nav = new ArrayList<>();
  private final StringBuilder body = new StringBuilder();

  public HtmlPage(String title, String subtitle) {
    this.title = title;
    this.subtitle = subtitle;
  }

  public HtmlPage section(String id, String heading) {
    nav.add("<a href=\"#" + escape(id) + "\">" + escape(heading) + "</a>");
    body.append("<section id=\"").append(escape(id)).append("\"><h2>").append(escape(heading)).append("</h2>");
    return this;
  }

  public HtmlPage endSection() {
    body.append("</section>");
    return this;
  }

  /** Markup from {@link SvgChart}. */
  public HtmlPage chart(String svgFigure) {
    body.append(svgFigure);
    return this;
  }

  public HtmlPage note(String text) {
    body.append("<p class=\"note\">").append(escape(text)).append("</p>");
    return this;
  }

  /** Says why a chart or table is not there (its table is missing or has no rows for the run). */
  public HtmlPage missing(String text) {
    body.append("<p class=\"").append(MISSING).append("\">").append(escape(text)).append("</p>");
    return this;
  }

  /** A table; cells that look like numbers are right-aligned. */
  public HtmlPage table(List<String> headers, List<List<String>> rows) {
    body.append("<table><thead><tr>");
    headers.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
    body.append("</tr></thead><tbody>");
    for (List<String> row : rows) {
      body.append("<tr>");
      for (String cell : row) {
        boolean numeric = cell != null && cell.matches("[-+]?[0-9][0-9,]*(\\.[0-9]+)?[%kMB]?|n/a");
        body.append(numeric ? "<td class=\"num\">" : "<td>").append(escape(cell)).append("</td>");
      }
      body.append("</tr>");
    }
    body.append("</tbody></table>");
    return this;
  }

  public String render(String footer) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + escape(title) + "</title><style>" + CSS + "</style></head><body>"
        + "<header><h1>" + escape(title) + "</h1><p class=\"subtitle\">" + escape(subtitle) + "</p><nav>"
        + String.join("", nav) + "</nav></header>" + body + "<footer>" + escape(footer) + "</footer></body></html>\n";
  }
}
