package io.inos.bench.fanout;

import java.util.List;
import java.util.Locale;

/** Horizontal bar charts in plain text, for the console and for the Markdown report. */
public final class AsciiChart {

  /** One bar: its label, its value, and a note printed after the value. */
  public record Bar(String label, double value, String note) {
  }

  private AsciiChart() {
  }

  /** @return the bars scaled to the largest value, {@code width} characters at most, one per line */
  public static String bars(List<Bar> bars, int width, String unit) {
    double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
    int labelWidth = bars.stream().mapToInt(b -> b.label().length()).max().orElse(0);
    StringBuilder out = new StringBuilder();
    for (Bar bar : bars) {
      int n = max <= 0 ? 0 : (int) Math.round(bar.value() / max * width);
      out.append(String.format(Locale.ROOT, "%-" + labelWidth + "s |%-" + width + "s| %s %s%s%n", bar.label(),
        "#".repeat(n), human(bar.value()), unit, bar.note() == null || bar.note().isEmpty() ? "" : "  " + bar.note()));
    }
    return out.toString();
  }

  /** @return 1234567 as "1.23M", 45600 as "45.6k" */
  public static String human(double v) {
    if (v >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", v / 1e6);
    }
    if (v >= 1e4) {
      return String.format(Locale.ROOT, "%.1fk", v / 1e3);
    }
    return String.format(Locale.ROOT, "%,.0f", v);
  }
}
