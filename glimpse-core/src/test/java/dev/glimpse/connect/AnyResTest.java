package dev.glimpse.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * AnyRes picks LLaVA-NeXT's grid for a table of image sizes (most effective resolution, then least
 * waste) and keeps the rows and columns HF's unpad_image keeps; the reference table is computed by
 * reference/anyres/make_grids.py, a plain-Python transcription of transformers' functions.
 */
class AnyResTest {
  @Test
  void picksTheDocumentedGridAndLayoutForEveryImageSize() throws Exception {
    JsonObject table;
    try (var in = getClass().getResourceAsStream("/reference/anyres/grids.json")) {
      table = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
    }
    int tile = table.get("tile").getAsInt();
    int side = table.get("side").getAsInt();
    List<List<Integer>> pinpoints = new ArrayList<>();
    for (JsonElement p : table.getAsJsonArray("pinpoints")) {
      JsonArray a = p.getAsJsonArray();
      pinpoints.add(List.of(a.get(0).getAsInt(), a.get(1).getAsInt()));
    }
    pinpoints = AnyRes.checkPinpoints(pinpoints, tile);
    JsonArray cases = table.getAsJsonArray("cases");
    assertEquals(14, cases.size());
    for (JsonElement e : cases) {
      JsonObject c = e.getAsJsonObject();
      int h = c.get("height").getAsInt();
      int w = c.get("width").getAsInt();
      AnyRes.Grid grid = AnyRes.select(h, w, pinpoints, tile);
      String at = h + "x" + w;
      assertEquals(c.get("grid_height").getAsInt(), grid.height(), at);
      assertEquals(c.get("grid_width").getAsInt(), grid.width(), at);
      assertEquals(c.get("rows").getAsInt(), grid.rows(), at);
      assertEquals(c.get("columns").getAsInt(), grid.columns(), at);
      AnyRes.Layout layout = AnyRes.layout(h, w, grid, side, side * side);
      assertEquals(c.get("top").getAsInt(), layout.top(), at);
      assertEquals(c.get("bottom").getAsInt(), layout.bottom(), at);
      assertEquals(c.get("left").getAsInt(), layout.left(), at);
      assertEquals(c.get("right").getAsInt(), layout.right(), at);
      assertEquals(c.get("tokens").getAsInt(), layout.tokens(), at);
    }
  }

  @Test
  void packsTheBaseViewThenTheMapRowByRowWithANewlineAtEachRowEnd() {
    try (NDManager m = NDManager.newBaseManager()) {
      // 1x2 tiles of 2x2 tokens, width 1: tile 0 holds 0..3, tile 1 holds 10..13
      NDArray tiles = m.create(new float[] {0, 1, 2, 3, 10, 11, 12, 13}, new Shape(2, 4, 1));
      NDArray base = m.create(new float[] {-1, -2}, new Shape(2, 1));
      AnyRes.Grid grid = new AnyRes.Grid(2, 4, 1, 2);
      AnyRes.Layout layout = new AnyRes.Layout(grid, 2, 0, 2, 0, 4, 2);
      float[] packed = AnyRes.pack(base, tiles, layout, m.create(new float[] {99})).toFloatArray();
      assertEquals(List.of(-1f, -2f, 0f, 1f, 10f, 11f, 99f, 2f, 3f, 12f, 13f, 99f), boxed(packed));
      assertEquals(layout.tokens(), packed.length);
    }
  }

  @Test
  void refusesResolutionsThatAreNotTileMultiples() {
    assertThrows(IllegalArgumentException.class, () -> AnyRes.checkPinpoints(List.of(List.of(48, 100)), 48));
    assertThrows(IllegalArgumentException.class, () -> AnyRes.checkPinpoints(List.of(), 48));
  }

  private static List<Float> boxed(float[] values) {
    List<Float> out = new ArrayList<>();
    for (float v : values) {
      out.add(v);
    }
    return out;
  }
}
