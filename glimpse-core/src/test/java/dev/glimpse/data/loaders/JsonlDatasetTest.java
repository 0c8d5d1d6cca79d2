package dev.glimpse.data.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.Example;
import dev.glimpse.data.SampleException;
import dev.glimpse.util.GlimpseException;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlDatasetTest {
  @TempDir Path dir;
  Path file;

  @BeforeEach
  void writeFixture() {
    Path data = dir.resolve("data");
    TestFiles.write(data.resolve("images/cat.jpg"), TestFiles.jpeg(20, 10, Color.GRAY));
    TestFiles.write(data.resolve("images/kitchen.png"), TestFiles.png(8, 8, Color.WHITE));
    TestFiles.write(data.resolve("clip/000.png"), TestFiles.png(4, 4, Color.RED));
    TestFiles.write(data.resolve("clip/001.png"), TestFiles.png(4, 4, Color.GREEN));
    TestFiles.write(data.resolve("images/broken.jpg"), TestFiles.corruptPng());
    file =
        TestFiles.write(
            data.resolve("train.jsonl"),
            String.join(
                "\n",
                "{\"image\": \"images/cat.jpg\", \"caption\": \"a cat on a sofa\", \"source\": \"web\", \"score\": 0.5}",
                "",
                "{\"image\": \"images/cat.jpg\", \"captions\": [\"a cat\", \"a sleeping cat\"], \"id\": \"cat-2\"}",
                "{\"image\": \"images/kitchen.png\", \"question\": \"how many cups?\", \"answers\": [\"2\", {\"answer\": \"two\"}]}",
                "{\"image\": \"images/kitchen.png\", \"question\": \"is it white?\", \"answer\": \"yes\"}",
                "{\"images\": [\"clip/000.png\", \"clip/001.png\"], \"caption\": \"red then green\"}",
                "{\"image\": \"images/cat.jpg\", \"caption\": \"unterminated",
                "{\"image\": \"images/cat.jpg\"}",
                "{\"caption\": \"no image\"}",
                "[1, 2]",
                "{\"image\": \"images/missing.jpg\", \"caption\": \"gone\"}",
                "{\"image\": \"images/broken.jpg\", \"caption\": \"corrupt\"}",
                ""));
  }

  @Test
  void readsCaptionsQuestionsAndClips() {
    List<String> warnings = new ArrayList<>();
    JsonlDataset data = JsonlDataset.open(file, false, new SkipLog("train.jsonl", warnings::add));
    assertEquals(7, data.size());
    Example cat = data.get(0);
    assertEquals("1", cat.id(), "line number when there is no id");
    assertEquals(List.of("a cat on a sofa"), cat.targets());
    assertEquals("web", cat.metadata().get("source"));
    assertEquals(0.5, cat.metadata().get("score"));
    assertEquals("images/cat.jpg", cat.metadata().get("image"));
    assertEquals(20, cat.image().getWidth());
    assertEquals("cat-2", data.get(1).id());
    assertEquals(List.of("a cat", "a sleeping cat"), data.get(1).targets());
    Example vqa = data.get(2);
    assertEquals("how many cups?", vqa.prompt());
    assertEquals(List.of("2", "two"), vqa.targets());
    assertEquals(List.of("yes"), data.get(3).targets());
    Example clip = data.get(4);
    assertEquals(2, clip.frames().size());
    assertEquals(0x00ff00, clip.frames().get(1).getRGB(1, 1) & 0xffffff);
  }

  @Test
  void badLinesAreReportedWithTheirLineNumber() {
    List<String> warnings = new ArrayList<>();
    JsonlDataset data = JsonlDataset.open(file, false, new SkipLog("train.jsonl", warnings::add));
    assertEquals(4, data.badLines());
    List<String> problems = data.problems();
    assertTrue(problems.get(0).contains("train.jsonl:7: invalid JSON"), problems.get(0));
    assertTrue(problems.get(1).contains(":8: needs \"caption\""), problems.get(1));
    assertTrue(problems.get(2).contains(":9: needs \"image\""), problems.get(2));
    assertTrue(problems.get(3).contains(":10: expected a JSON object"), problems.get(3));
    assertTrue(warnings.get(0).contains("train.jsonl:7"), warnings.toString());

    GlimpseException strict =
        assertThrows(GlimpseException.class, () -> JsonlDataset.open(file, true, new SkipLog("x", w -> {})));
    assertTrue(strict.getMessage().contains("train.jsonl:7: invalid JSON"), strict.getMessage());
  }

  @Test
  void missingAndCorruptImagesThrowNamingTheFile() {
    JsonlDataset data = JsonlDataset.open(file, false, new SkipLog("x", w -> {}));
    SampleException missing = assertThrows(SampleException.class, () -> data.get(5));
    assertTrue(missing.getMessage().contains("missing.jpg"), missing.getMessage());
    SampleException corrupt = assertThrows(SampleException.class, () -> data.get(6));
    assertTrue(corrupt.getMessage().contains("broken.jpg"), corrupt.getMessage());
    SkippingDataset training = new SkippingDataset(data, new SkipLog("x", w -> {}));
    List<String> ids = new ArrayList<>();
    training.iterator(new int[] {6, 5, 4}).forEachRemaining(e -> ids.add(e.id()));
    assertEquals(List.of("6"), ids, "line 6 is the clip");
    assertEquals(2, training.skippedCount());
  }

  @Test
  void aFileWithNoGoodLineOrAJsonArrayIsAnError() {
    Path array = TestFiles.write(dir.resolve("array.jsonl"), "[{\"image\": \"a.jpg\", \"caption\": \"x\"}]\n");
    GlimpseException e = assertThrows(GlimpseException.class, () -> JsonlDataset.open(array));
    assertTrue(e.getMessage().contains("array.jsonl") && e.getMessage().contains("JSON array"), e.getMessage());
    Path garbage = TestFiles.write(dir.resolve("garbage.jsonl"), "{not json\n{\"also\": \"bad\"}\n");
    e = assertThrows(GlimpseException.class, () -> JsonlDataset.open(garbage, false, new SkipLog("g", w -> {})));
    assertTrue(e.getMessage().contains("garbage.jsonl:1"), e.getMessage());
    Path empty = TestFiles.write(dir.resolve("empty.jsonl"), "\n\n");
    e = assertThrows(GlimpseException.class, () -> JsonlDataset.open(empty));
    assertTrue(e.getMessage().contains("empty.jsonl"), e.getMessage());
    e = assertThrows(GlimpseException.class, () -> JsonlDataset.open(dir.resolve("none.jsonl")));
    assertTrue(e.getMessage().contains("none.jsonl"), e.getMessage());
  }
}
