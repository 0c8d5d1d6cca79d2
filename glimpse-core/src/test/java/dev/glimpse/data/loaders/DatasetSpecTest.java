package dev.glimpse.data.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.bench.DataBench;
import dev.glimpse.data.Dataset;
import dev.glimpse.util.GlimpseException;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSpecTest {
  @TempDir Path dir;

  @Test
  void parsesFormatPathAndOptions() {
    DatasetSpec spec = DatasetSpec.parse("coco:ann/captions.json,images=val2017");
    assertEquals("coco", spec.format());
    assertEquals(Path.of("ann/captions.json"), spec.path());
    assertEquals(Map.of("images", "val2017"), spec.options());
    assertEquals("msrvtt", DatasetSpec.parse("video:v.json,frames=f").format());
    assertEquals("wds", DatasetSpec.parse("WebDataset:s-{0..3}.tar,shuffle=100").format());
    assertTrue(DatasetSpec.parse("wds:s.tar").isStreaming());
    assertFalse(DatasetSpec.parse("jsonl:a.jsonl").isStreaming());
  }

  @Test
  void mistakesAreOneLineErrors() {
    assertTrue(assertThrows(GlimpseException.class, () -> DatasetSpec.parse("captions.json"))
        .getMessage().contains("FORMAT:PATH"));
    assertTrue(assertThrows(GlimpseException.class, () -> DatasetSpec.parse("kaggle:x"))
        .getMessage().contains("known: coco, vqa2"));
    assertTrue(assertThrows(GlimpseException.class, () -> DatasetSpec.parse("coco:x.json,imgs=y"))
        .getMessage().contains("unknown option 'imgs' for coco"));
    assertTrue(assertThrows(GlimpseException.class, () -> DatasetSpec.parse("coco:x.json,images"))
        .getMessage().contains("key=value"));
    assertTrue(assertThrows(GlimpseException.class, () -> DatasetSpec.parse("coco:"))
        .getMessage().contains("no path"));
    assertTrue(assertThrows(GlimpseException.class, () -> DatasetSpec.parse("coco:x.json").open())
        .getMessage().contains("needs option 'images=...'"));
    assertTrue(assertThrows(GlimpseException.class, () -> DatasetSpec.parse("wds:x.tar").open())
        .getMessage().contains("streamed"));
    assertTrue(assertThrows(GlimpseException.class, () -> DatasetSpec.parse("msrvtt:v.json,frames=f,num_frames=x").open())
        .getMessage().contains("num_frames"));
  }

  @Test
  void opensEachFormat() {
    Path images = dir.resolve("images");
    TestFiles.write(images.resolve("1.jpg"), TestFiles.jpeg(8, 8, Color.RED));
    TestFiles.write(images.resolve("cls/1.jpg"), TestFiles.jpeg(8, 8, Color.RED));
    Path coco = TestFiles.write(dir.resolve("c.json"),
        "{\"images\": [{\"id\": 1, \"file_name\": \"1.jpg\"}], \"annotations\": [{\"image_id\": 1, \"caption\": \"red\"}]}");
    Path questions = TestFiles.write(dir.resolve("q.json"),
        "{\"questions\": [{\"question_id\": 10, \"image_id\": 1, \"question\": \"colour?\"}]}");
    Path jsonl = TestFiles.write(dir.resolve("d.jsonl"), "{\"image\": \"images/1.jpg\", \"caption\": \"red\"}\n");
    Path videos = TestFiles.write(dir.resolve("v.json"),
        "{\"videos\": [{\"video_id\": \"cls\"}], \"sentences\": [{\"video_id\": \"cls\", \"caption\": \"c\"}]}");
    Map<String, String> specs =
        Map.of(
            "coco:" + coco + ",images=" + images, "red",
            "vqa2:" + questions + ",images=" + images + ",pattern=%d.jpg", "colour?",
            "jsonl:" + jsonl + ",strict=true", "red",
            "imagefolder:" + images, "cls",
            "msrvtt:" + videos + ",frames=" + images + ",num_frames=2", "c");
    specs.forEach(
        (text, expected) -> {
          Dataset data = DatasetSpec.parse(text).open();
          assertEquals(1, data.size(), text);
          var example = data.get(0);
          String seen = example.prompt().isEmpty() ? example.targets().get(0) : example.prompt();
          assertEquals(expected, seen, text);
        });
    assertEquals(2, DatasetSpec.parse("msrvtt:" + videos + ",frames=" + images + ",num_frames=2").open().get(0)
        .frames().size());
  }

  @Test
  void webDatasetSpecsConfigureTheBuilder() {
    DataBench.writeShards(dir, 6, 2, 1);
    WebDataset data =
        DatasetSpec.parse("wds:" + dir.resolve("bench-{000000..000001}.tar") + ",shuffle=4,seed=3,threads=1,size=12,fit=pad")
            .webDataset()
            .build();
    try (data) {
      List<String> ids = new java.util.ArrayList<>();
      data.epoch(0).forEachRemaining(e -> {
        ids.add(e.id());
        assertEquals(12, e.image().getWidth());
      });
      assertEquals(6, ids.size());
      assertEquals(1, data.decodeThreads());
    }
    assertInstanceOf(GlimpseException.class, assertThrows(GlimpseException.class,
        () -> DatasetSpec.parse("wds:x.tar,fit=pad").webDataset()));
    assertThrows(GlimpseException.class, () -> DatasetSpec.parse("coco:x.json,images=y").webDataset());
  }
}
