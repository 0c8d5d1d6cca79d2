package dev.glimpse.testing;

import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Tiny deterministic image-caption data for tests: one coloured square on a gray background. */
public final class ToyData implements Dataset {
  public static final String[] COLORS = {"red", "green", "blue", "yellow"};
  private static final Color[] RGB = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW};
  public static final String[] PLACES = {"left", "right"};

  private final int size;

  public ToyData(int size) {
    this.size = size;
  }

  public static BufferedImage image(int color, int place, int side) {
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.GRAY);
    g.fillRect(0, 0, side, side);
    g.setColor(RGB[color]);
    int box = side / 3;
    g.fillRect(place == 0 ? side / 12 : side - box - side / 12, side / 3, box, box);
    g.dispose();
    return img;
  }

  public static String caption(int color, int place) {
    return "a " + COLORS[color] + " square on the " + PLACES[place];
  }

  public static List<String> allCaptions() {
    List<String> out = new ArrayList<>();
    for (int c = 0; c < COLORS.length; c++) {
      for (int p = 0; p < PLACES.length; p++) {
        out.add(caption(c, p));
      }
    }
    return out;
  }

  @Override
  public String name() {
    return "toy";
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Example get(int index) {
    int combo = index % (COLORS.length * PLACES.length);
    int color = combo / PLACES.length;
    int place = combo % PLACES.length;
    return Example.caption("toy-" + index, image(color, place, 32), List.of(caption(color, place)),
        Map.of("color", color, "place", place));
  }
}
