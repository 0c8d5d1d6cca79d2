package dev.glimpse.data.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.synth.Box;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SuiteFiles;
import dev.glimpse.data.synth.SyntheticRegions;
import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Visual Genome region descriptions: the synthetic suite's files read back, boxes checked against the image. */
class VisualGenomeRegionsTest {
  @Test
  void theSuitesRegionFilesReadBackAsTheirRegions(@TempDir Path dir) {
    SyntheticRegions regions = new SyntheticRegions(new SceneGenerator(SceneConfig.defaults().withSeed(1)), Split.VAL, 5);
    SuiteFiles.writeRegions(regions, dir, i -> {});
    Dataset vg = DatasetSpec.parse("vg:" + dir.resolve("region_descriptions_val.json") + ",images="
        + dir.resolve("images/val") + ",image_data=" + dir.resolve("image_data_val.json")).open();
    assertEquals(5, vg.size());
    for (int i = 0; i < 5; i++) {
      Example ex = vg.get(i);
      List<SyntheticRegions.Region> expected = SyntheticRegions.regions(regions.scene(i));
      assertEquals(expected, ex.get(SyntheticRegions.REGIONS));
      assertEquals(expected.stream().map(SyntheticRegions.Region::phrase).toList(), ex.targets());
    }
    Dataset withoutImageData = DatasetSpec.parse("visualgenome:" + dir.resolve("region_descriptions_val.json")
        + ",images=" + dir.resolve("images/val")).open();
    assertEquals(vg.get(2).get(SyntheticRegions.REGIONS), withoutImageData.get(2).get(SyntheticRegions.REGIONS),
        "file names by image id and sizes from the images themselves");
  }

  private static Path oneImage(Path dir, String regionsJson) throws IOException {
    Files.createDirectories(dir.resolve("images"));
    ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("images/7.png").toFile());
    Files.writeString(dir.resolve("regions.json"), "[{\"id\": 7, \"regions\": [" + regionsJson + "]}]");
    Files.writeString(dir.resolve("image_data.json"),
        "[{\"image_id\": 7, \"width\": 64, \"height\": 48, \"url\": \"https://example.org/VG_100K/7.png\"}]");
    return dir;
  }

  @Test
  void aBoxPastTheEdgeIsClippedAndOneOutsideIsAnError(@TempDir Path dir) throws IOException {
    oneImage(dir, """
        {"region_id": 1, "image_id": 7, "phrase": "a red circle", "x": 50, "y": 40, "width": 20, "height": 10}""");
    Dataset vg = VisualGenomeRegions.open(dir.resolve("regions.json"), dir.resolve("images"),
        dir.resolve("image_data.json"));
    assertEquals(new Box(50, 40, 14, 8), vg.get(0).get(SyntheticRegions.REGIONS).get(0).box());

    Path bad = Files.createDirectories(dir.resolve("bad"));
    oneImage(bad, """
        {"region_id": 3, "image_id": 7, "phrase": "a blue square", "x": 70, "y": 5, "width": 10, "height": 10}""");
    GlimpseException e = assertThrows(GlimpseException.class, () -> VisualGenomeRegions.open(
        bad.resolve("regions.json"), bad.resolve("images"), bad.resolve("image_data.json")));
    assertTrue(e.getMessage().contains("image 7 region 3") && e.getMessage().contains("outside the 64x48 image"),
        e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    // without image_data the box is checked when its image is read
    Dataset lazy = VisualGenomeRegions.open(bad.resolve("regions.json"), bad.resolve("images"), null);
    GlimpseException late = assertThrows(GlimpseException.class, () -> lazy.get(0));
    assertTrue(late.getMessage().contains("outside"), late.getMessage());
  }

  @Test
  void malformedFilesNameTheProblem(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("images"));
    Files.writeString(dir.resolve("regions.json"), "{\"regions\": []}");
    GlimpseException e = assertThrows(GlimpseException.class,
        () -> VisualGenomeRegions.open(dir.resolve("regions.json"), dir.resolve("images"), null));
    assertTrue(e.getMessage().contains("expected a JSON array"), e.getMessage());
    Files.writeString(dir.resolve("regions.json"), "[{\"id\": 1, \"regions\": [{\"phrase\": \"x\", \"x\": 1}]}]");
    e = assertThrows(GlimpseException.class,
        () -> VisualGenomeRegions.open(dir.resolve("regions.json"), dir.resolve("images"), null));
    assertTrue(e.getMessage().contains("needs a number \"y\""), e.getMessage());
  }
}
