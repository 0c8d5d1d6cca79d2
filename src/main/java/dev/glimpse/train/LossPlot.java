package dev.glimpse.train;

import dev.glimpse.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes the loss curve of a run as a PNG (raw losses and a moving average). */
public final class LossPlot {
  private LossPlot() {}

  public static void write(Path png, String title, List<double[]> stepLoss) {
    if (stepLoss.isEmpty()) {
      return;
    }
    int n = stepLoss.size();
    double[] steps = new double[n];
    double[] losses = new double[n];
    double[] smooth = new double[n];
    int window = Math.max(1, n / 20);
    double sum = 0;
    for (int i = 0; i < n; i++) {
      steps[i] = stepLoss.get(i)[0];
      losses[i] = stepLoss.get(i)[1];
      sum += losses[i];
      if (i >= window) {
        sum -= losses[i - window];
      }
      smooth[i] = sum / Math.min(i + 1, window);
    }
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("step")
        .yAxisTitle("loss").build();
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    chart.getStyler().setYAxisDecimalPattern("0.###");
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setPlotGridLinesColor(new java.awt.Color(225, 225, 225));
    XYSeries raw = chart.addSeries("loss", steps, losses);
    raw.setMarker(SeriesMarkers.NONE);
    raw.setLineColor(new java.awt.Color(150, 170, 220));
    XYSeries avg = chart.addSeries("moving average (" + window + ")", steps, smooth);
    avg.setMarker(SeriesMarkers.NONE);
    avg.setLineColor(new java.awt.Color(20, 50, 160));
    byte[] bytes;
    try {
      bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new dev.glimpse.util.GlimpseException("cannot render the loss plot: " + e.getMessage(), e);
    }
    AtomicFiles.write(png, out -> out.write(bytes));
  }
}
