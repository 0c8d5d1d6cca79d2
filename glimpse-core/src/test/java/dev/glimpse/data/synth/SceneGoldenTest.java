package dev.glimpse.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Scenes, captions and pixels recorded once (golden-seed0.json) must come out the same on every
 * machine and JVM: a change here means every dataset made so far changes too.
 */
class SceneGoldenTest {
  @Test
  void recordedScenesCaptionsAndPixelsAreReproduced() throws Exception {
    JsonObject golden;
    try (InputStream in = getClass().getResourceAsStream("golden-seed0.json")) {
      golden = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
    }
    SceneGenerator generator = new SceneGenerator(SceneConfig.defaults());
    for (JsonElement element : golden.getAsJsonArray("items")) {
      JsonObject item = element.getAsJsonObject();
      Split split = Split.parse(item.get("split").getAsString());
      long index = item.get("index").getAsLong();
      String where = split.id() + "/" + index;
      Scene scene = generator.scene(split, index);
      assertEquals(SceneJson.fromJson(item.getAsJsonObject("scene"), where), scene, where);
      List<String> captions = new ArrayList<>();
      item.getAsJsonArray("captions").forEach(c -> captions.add(c.getAsString()));
      assertEquals(captions, generator.captions(scene), where);
      assertEquals(item.get("pixels_crc32").getAsString(), crc(generator.render(scene)), where);
    }
  }

  private static String crc(BufferedImage image) {
    int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    ByteBuffer bytes = ByteBuffer.allocate(pixels.length * 4);
    for (int p : pixels) {
      bytes.putInt(p & 0xFFFFFF);
    }
    CRC32 crc = new CRC32();
    crc.update(bytes.array());
    return Long.toHexString(crc.getValue());
  }
}
