package io.lifecycle.report;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a section's query found for one chart or table: its data, the note that stands in its place (its
 * table is missing or has no rows for the run), or nothing to show. The query decides which and the renderer
 * draws it, so the page says why something is absent at the place where it would have been.
 *
 * @param data what to draw; null when there is a note or nothing
 * @param missing the note that replaces the chart or table; null when there is data or nothing
 */
record Part<T>(T data, String missing) {
  static <T> Part<T> of(T data) {
    return new Part<>(Objects.requireNonNull(data), null);
  }

  static <T> Part<T> missing(String note) {
    return new Part<>(null, Objects.requireNonNull(note));
  }

  static <T> Part<T> none() {
    return new Part<>(null, null);
  }

  /** Draws the data with {@code renderer}, or the note; nothing when there is neither. */
  void draw(HtmlPage page, Consumer<T> renderer) {
    if (data != null) {
      renderer.accept(data);
    } else if (missing != null) {
      page.missing(missing);
    }
  }
}
