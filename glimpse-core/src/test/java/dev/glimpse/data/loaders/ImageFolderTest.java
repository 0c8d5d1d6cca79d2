package dev.glimpse.data.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.Example;
import dev.glimpse.data.SampleException;
import dev.glimpse.util.GlimpseException;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
  @TempDir Path dir;
  Path root;

  @BeforeEach
  void writeFixture() throws Exception {
    root = dir.resolve("train");
    TestFiles.write(root.resolve("n02123045/b.jpg"), TestFiles.jpeg(10, 10, Color.ORANGE));
    TestFiles.write(root.resolve("n02123045/a.png"), TestFiles.png(12, 10, Color.ORANGE));
    TestFiles.write(root.resolve("n02123045/sub/c.jpg"), TestFiles.jpeg(14, 10, Color.ORANGE));
    TestFiles.write(root.resolve("n02123045/.hidden.jpg"), TestFiles.corruptPng());
    TestFiles.write(root.resolve("n02123045/readme.txt"), "not an image");
    TestFiles.write(root.resolve("n01440764/fish.JPEG"), TestFiles.jpeg(16, 10, Color.BLUE));
    TestFiles.write(root.resolve("n01440764/broken.jpg"), TestFiles.corruptPng());
    Files.createDirectories(root.resolve(".cache"));
  }

  @Test
  void classesAreSortedFoldersAndLabelsFollowThem() {
    ImageFolder data = ImageFolder.open(root);
    assertEquals(List.of("n01440764", "n02123045"), data.classes());
    assertEquals(5, data.size());
    List<String> files = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      try {
        Example e = data.get(i);
        files.add(e.id() + "=" + e.targets().get(0) + "/" + e.metadata().get("label_index"));
      } catch (SampleException e) {
        files.add("bad");
      }
    }
    assertEquals(
        List.of("bad", "n01440764/fish.JPEG=n01440764/0", "n02123045/a.png=n02123045/1",
            "n02123045/b.jpg=n02123045/1", "n02123045/sub/c.jpg=n02123045/1"),
        files);
  }

  @Test
  void mappingFilesGiveReadableNames() {
    Path txt =
        TestFiles.write(dir.resolve("LOC_synset_mapping.txt"), "# ImageNet\nn01440764 tench, Tinca tinca\nn02123045 tabby, tabby cat\nn99 other\n");
    ImageFolder data = ImageFolder.open(root, txt);
    assertEquals(List.of("tench, Tinca tinca", "tabby, tabby cat"), data.classes());
    assertEquals(List.of("n01440764", "n02123045"), data.classFolders());
    Example fish = data.get(1);
    assertEquals(List.of("tench, Tinca tinca"), fish.targets());
    assertEquals("n01440764", fish.metadata().get("class_folder"));

    Path json = TestFiles.write(dir.resolve("names.json"), "{\"n01440764\": \"tench\", \"n02123045\": \"tabby\"}");
    assertEquals(List.of("tench", "tabby"), ImageFolder.open(root, json).classes());
    Path index =
        TestFiles.write(dir.resolve("imagenet_class_index.json"), "{\"0\": [\"n01440764\", \"tench\"], \"281\": [\"n02123045\", \"tabby\"]}");
    assertEquals(List.of("tench", "tabby"), ImageFolder.open(root, index).classes());
  }

  @Test
  void corruptImageThrowsNamingTheFile() {
    ImageFolder data = ImageFolder.open(root);
    SampleException e = assertThrows(SampleException.class, () -> data.get(0));
    assertTrue(e.getMessage().contains("broken.jpg"), e.getMessage());
    SkippingDataset training = new SkippingDataset(data, new SkipLog("f", w -> {}));
    assertEquals("n01440764/fish.JPEG", training.get(0).id());
    assertEquals(1, training.skippedCount());
  }

  @Test
  void missingFileAfterListingThrowsNamingIt() throws Exception {
    ImageFolder data = ImageFolder.open(root);
    Files.delete(root.resolve("n02123045/b.jpg"));
    SampleException e = assertThrows(SampleException.class, () -> data.get(3));
    assertTrue(e.getMessage().contains("b.jpg") && e.getMessage().contains("not found"), e.getMessage());
  }

  @Test
  void badMappingOrRootIsAnError() {
    Path partial = TestFiles.write(dir.resolve("partial.txt"), "n01440764 tench\n");
    GlimpseException e = assertThrows(GlimpseException.class, () -> ImageFolder.open(root, partial));
    assertTrue(e.getMessage().contains("partial.txt") && e.getMessage().contains("n02123045"), e.getMessage());
    Path malformed = TestFiles.write(dir.resolve("bad.json"), "{\"n01440764\": ");
    e = assertThrows(GlimpseException.class, () -> ImageFolder.open(root, malformed));
    assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    Path oneWord = TestFiles.write(dir.resolve("oneword.txt"), "n01440764\n");
    e = assertThrows(GlimpseException.class, () -> ImageFolder.open(root, oneWord));
    assertTrue(e.getMessage().contains("oneword.txt:1"), e.getMessage());
    e = assertThrows(GlimpseException.class, () -> ImageFolder.open(dir.resolve("nothing")));
    assertTrue(e.getMessage().contains("nothing"), e.getMessage());
    e = assertThrows(GlimpseException.class, () -> ImageFolder.open(root.resolve("n01440764")));
    assertTrue(e.getMessage().contains("no class folders"), e.getMessage());
  }
}
