package dev.glimpse.data.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.Example;
import dev.glimpse.data.SampleException;
import dev.glimpse.util.GlimpseException;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoCaptionsTest {
  @TempDir Path dir;
  Path images;
  Path annotations;

  @BeforeEach
  void writeFixture() {
    images = dir.resolve("val2017");
    TestFiles.write(images.resolve("000000000139.jpg"), TestFiles.jpeg(40, 30, Color.RED));
    TestFiles.write(images.resolve("000000000285.png"), TestFiles.png(20, 24, Color.BLUE));
    TestFiles.write(images.resolve("000000000632.jpg"), TestFiles.corruptPng());
    // 776 is listed but its file is missing; 999 has no caption and is left out.
    annotations =
        TestFiles.write(
            dir.resolve("captions_val2017.json"),
            """
            {"info": {"year": 2017}, "licenses": [],
             "images": [
               {"id": 139, "file_name": "000000000139.jpg", "width": 40, "height": 30},
               {"id": 285, "file_name": "000000000285.png"},
               {"id": 632, "file_name": "000000000632.jpg"},
               {"id": 776, "file_name": "000000000776.jpg"},
               {"id": 999, "file_name": "000000000999.jpg"}],
             "annotations": [
               {"image_id": 139, "id": 1, "caption": "A red square. "},
               {"image_id": 285, "id": 2, "caption": "a blue thing"},
               {"image_id": 139, "id": 3, "caption": "red everywhere"},
               {"image_id": 632, "id": 4, "caption": "broken"},
               {"image_id": 776, "id": 5, "caption": "missing"}]}
            """);
  }

  @Test
  void readsImagesWithAllTheirCaptionsInFileOrder() {
    CocoCaptions coco = CocoCaptions.open(annotations, images);
    assertEquals("coco/captions_val2017", coco.name());
    assertEquals(4, coco.size());
    assertEquals(5, coco.captionCount());
    Example first = coco.get(0);
    assertEquals("139", first.id());
    assertEquals(List.of("A red square.", "red everywhere"), first.targets());
    assertEquals("", first.prompt());
    assertEquals(139L, first.metadata().get("image_id"));
    assertEquals("000000000139.jpg", first.metadata().get("file_name"));
    BufferedImage image = first.image();
    assertEquals(40, image.getWidth());
    assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
    assertEquals(List.of("a blue thing"), coco.get(1).targets());
  }

  @Test
  void missingAndCorruptImagesThrowNamingTheFileAndAreSkippedWhenWrapped() {
    CocoCaptions coco = CocoCaptions.open(annotations, images);
    SampleException missing = assertThrows(SampleException.class, () -> coco.get(3));
    assertTrue(missing.getMessage().contains("000000000776.jpg"), missing.getMessage());
    SampleException corrupt = assertThrows(SampleException.class, () -> coco.get(2));
    assertTrue(corrupt.getMessage().contains("000000000632.jpg"), corrupt.getMessage());

    List<String> warnings = new ArrayList<>();
    SkippingDataset training = new SkippingDataset(coco, new SkipLog(coco.name(), warnings::add));
    List<String> ids = new ArrayList<>();
    training.iterator(new int[] {0, 1, 2, 3}).forEachRemaining(e -> ids.add(e.id()));
    assertEquals(List.of("139", "285"), ids);
    assertEquals(2, training.skippedCount());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("000000000776.jpg")), warnings.toString());
  }

  @Test
  void malformedAnnotationsAreAnErrorNamingTheFile() {
    Path bad = TestFiles.write(dir.resolve("bad.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"},");
    GlimpseException e = assertThrows(GlimpseException.class, () -> CocoCaptions.open(bad, images));
    assertTrue(e.getMessage().startsWith("invalid JSON in ") && e.getMessage().contains("bad.json"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());

    Path unquoted = TestFiles.write(dir.resolve("unquoted.json"), "{images: []}");
    e = assertThrows(GlimpseException.class, () -> CocoCaptions.open(unquoted, images));
    assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    assertTrue(e.getMessage().contains("malformed JSON at line 1"), e.getMessage());

    Path noId = TestFiles.write(dir.resolve("noid.json"), "{\"images\": [{\"file_name\": \"a.jpg\"}]}");
    e = assertThrows(GlimpseException.class, () -> CocoCaptions.open(noId, images));
    assertTrue(e.getMessage().contains("noid.json") && e.getMessage().contains("\"id\""), e.getMessage());

    Path orphan =
        TestFiles.write(
            dir.resolve("orphan.json"),
            "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}], \"annotations\": [{\"image_id\": 2, \"caption\": \"x\"}]}");
    e = assertThrows(GlimpseException.class, () -> CocoCaptions.open(orphan, images));
    assertTrue(e.getMessage().contains("image_id 2"), e.getMessage());

    Path latin1 = dir.resolve("latin1.json");
    TestFiles.write(latin1, new byte[] {'{', '"', (byte) 0xe9, '"', ':', '1', '}'});
    e = assertThrows(GlimpseException.class, () -> CocoCaptions.open(latin1, images));
    assertTrue(e.getMessage().contains("not valid UTF-8") && e.getMessage().contains("latin1.json"), e.getMessage());
  }

  @Test
  void missingFilesAndFoldersAreErrorsAtConstruction() throws Exception {
    GlimpseException e =
        assertThrows(GlimpseException.class, () -> CocoCaptions.open(dir.resolve("nope.json"), images));
    assertEquals("file not found: " + dir.resolve("nope.json"), e.getMessage());
    e = assertThrows(GlimpseException.class, () -> CocoCaptions.open(annotations, dir.resolve("train2017")));
    assertTrue(e.getMessage().contains("train2017"), e.getMessage());
    assertTrue(Files.exists(annotations));
  }

  @Test
  void aTestSplitImageListGivesEveryImageWithoutCaptions() {
    Path info =
        TestFiles.write(
            dir.resolve("image_info_test2017.json"),
            "{\"images\": [{\"id\": 139, \"file_name\": \"000000000139.jpg\"}, {\"id\": 285, \"file_name\": \"000000000285.png\"}]}");
    CocoCaptions test = CocoCaptions.open(info, images);
    assertEquals(2, test.size());
    assertEquals(List.of(), test.get(1).targets());
  }
}
