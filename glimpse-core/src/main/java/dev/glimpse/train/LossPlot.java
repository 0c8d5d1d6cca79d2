package dev.glimpse.train;

import dev.glimpse.util.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes the loss curve of a run as a PNG: the raw total loss and its moving average and, when the
 * objective has several named parts ({@code loss_lm}, {@code loss_itc}, ...), each part's moving
 * average as its own curve.
 */
public final class LossPlot {
  private static final Color[] PART_COLORS = {
    new Color(200, 80, 40), new Color(40, 150, 70), new Color(150, 60, 170), new Color(200, 150, 20),
    new Color(30, 150, 170), new Color(120, 120, 120)
  };

  private LossPlot() {}

  /** The total loss only. */
  public static void write(Path png, String title, List<double[]> stepLoss) {
    write(png, title, Map.of("loss", stepLoss));
  }

  /** @param curves {@code loss} (the total) and any named parts, each as (step, value) pairs */
  public static void write(Path png, String title, Map<String, List<double[]>> curves) {
    List<double[]> total = curves.get("loss");
    if (total == null || total.isEmpty()) {
      return;
    }
    int window = Math.max(1, total.size() / 20);
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("step")
        .yAxisTitle("loss").build();
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    chart.getStyler().setYAxisDecimalPattern("0.###");
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
    XYSeries raw = chart.addSeries("loss", column(total, 0), column(total, 1));
    raw.setMarker(SeriesMarkers.NONE);
    raw.setLineColor(new Color(150, 170, 220));
    XYSeries avg = chart.addSeries("moving average (" + window + ")", column(total, 0),
        movingAverage(column(total, 1), window));
    avg.setMarker(SeriesMarkers.NONE);
    avg.setLineColor(new Color(20, 50, 160));
    List<String> parts = curves.keySet().stream().filter(k -> !k.equals("loss")).sorted().toList();
    if (parts.size() > 1) {
      for (int i = 0; i < parts.size(); i++) {
        List<double[]> points = curves.get(parts.get(i));
        if (points.isEmpty()) {
          continue;
        }
        XYSeries part = chart.addSeries(parts.get(i) + " (average)", column(points, 0),
            movingAverage(column(points, 1), Math.max(1, points.size() / 20)));
        part.setMarker(SeriesMarkers.NONE);
        part.setLineColor(PART_COLORS[i % PART_COLORS.length]);
      }
    }
    byte[] bytes;
    try {
      bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new dev.glimpse.util.GlimpseException("cannot render the loss plot: " + e.getMessage(), e);
    }
    AtomicFiles.write(png, out -> out.write(bytes));
  }

  private static double[] column(List<double[]> points, int index) {
    double[] out = new double[points.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = points.get(i)[index];
    }
    return out;
  }

  private static double[] movingAverage(double[] values, int window) {
    double[] smooth = new double[values.length];
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      sum += values[i];
      if (i >= window) {
        sum -= values[i - window];
      }
      smooth[i] = sum / Math.min(i + 1, window);
    }
    return smooth;
  }
}
